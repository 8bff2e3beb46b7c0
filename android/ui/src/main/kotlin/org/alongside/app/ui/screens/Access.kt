package org.alongside.app.ui.screens

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import org.alongside.app.data.Platform
import org.alongside.app.state.Cleared
import org.alongside.app.state.Screen
import org.alongside.app.state.SetUpModel
import org.alongside.app.state.SignInModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.Input
import org.alongside.app.ui.kit.LinkButton
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.core.crisisResources

/**
 * The crisis lines, needing nothing but the library: no account, no database,
 * no network. [startOver], when the app could not read its store, is offered
 * above them (asked twice).
 */
@Composable
fun CrisisScreen(platform: Platform, onBack: (() -> Unit)?, startOver: (() -> Unit)? = null) {
    val words = LocalWords.current
    ScreenFrame(words.crisis.title, onBack = onBack, onCrisis = null) {
        ScrollingColumn {
            if (startOver != null) StartOver(startOver)
            CrisisLines(crisisResources(), platform)
        }
    }
}

/** The store cannot be read: say so plainly, and offer to remove it and start over. */
@Composable
private fun StartOver(startOver: () -> Unit) {
    val crisis = LocalWords.current.crisis
    var asked by rememberSaveable { mutableStateOf(false) }
    Panel {
        Body(crisis.unopened)
        if (asked) {
            Note(crisis.startOverBody)
            SecondaryButton(crisis.startOverConfirm, startOver)
        } else {
            LinkButton(crisis.startOver) { asked = true }
        }
    }
}

@Composable
fun SignInScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { SignInModel(nav.app.alongside, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(
        words.signIn.welcome,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.signIn.signIn, model::signIn, enabled = !form.busy) },
    ) {
        ScrollingColumn {
            val cleared by nav.app.cleared.collectAsState()
            when (cleared) {
                Cleared.FromAnotherDevice -> Note(words.signIn.cleared)
                Cleared.AccountDeleted -> Note(words.signIn.deleted)
                null -> {}
            }
            Body(words.signIn.welcomeBody)
            Field(words.signIn.username, form.username, { v -> model.edit { copy(username = v) } }, "username", form.problem)
            Field(words.signIn.password, form.password, { v -> model.edit { copy(password = v) } }, "password", form.problem, Input.PASSWORD)
            ProblemNote(form.problem, setOf("username", "password"))
            LinkButton(words.signIn.haveCode) { nav.go(Screen.Register) }
            LinkButton(words.signIn.haveResetCode) { nav.go(Screen.ResetPassword) }
        }
    }
}

@Composable
fun RegisterScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { SignInModel(nav.app.alongside, nav.app, it) }
    val form by model.state.collectAsState()
    val fields = setOf("invite_code", "display_name", "username", "password")
    ScreenFrame(
        words.signIn.registerTitle,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.signIn.createAccount, model::register, enabled = !form.busy) },
    ) {
        ScrollingColumn {
            Body(words.signIn.registerBody)
            Field(words.signIn.inviteCode, form.inviteCode, { v -> model.edit { copy(inviteCode = v) } }, "invite_code", form.problem, hint = words.signIn.inviteCodeHint)
            Field(words.signIn.yourName, form.displayName, { v -> model.edit { copy(displayName = v) } }, "display_name", form.problem)
            Field(words.signIn.chooseUsername, form.username, { v -> model.edit { copy(username = v) } }, "username", form.problem)
            Field(words.signIn.choosePassword, form.password, { v -> model.edit { copy(password = v) } }, "password", form.problem, Input.PASSWORD)
            ProblemNote(form.problem, fields)
            LinkButton(words.signIn.haveAccount) { nav.app.navigator.reset(Screen.SignIn) }
        }
    }
}

@Composable
fun SetUpScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { SetUpModel(nav.app.alongside, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(words.setUp.title, onBack = null, onCrisis = nav.crisis, mainAction = { MainButton(words.setUp.start, model::start) }) {
        ScrollingColumn {
            Body(words.setUp.body)
            Field(words.setUp.name, form.displayName, { v -> model.edit { copy(displayName = v) } }, "display_name", form.problem)
            Field(words.setUp.pronouns, form.pronouns, { v -> model.edit { copy(pronouns = v) } }, "pronouns", form.problem)
            Field(words.setUp.timeZone, form.timeZone, { v -> model.edit { copy(timeZone = v) } }, "timezone", form.problem)
            Field(
                words.setUp.recoveryStart, form.recoveryStart, { v -> model.edit { copy(recoveryStart = v) } }, "start_date", form.problem,
                hint = words.common.dateHint,
            )
            Body(words.setUp.recoveryStartHelp)
            ProblemNote(form.problem, setOf("display_name", "pronouns", "timezone", "start_date"))
        }
    }
}
