package org.alongside.app.ui.screens

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.alongside.app.data.Problem
import org.alongside.app.state.AccountModel
import org.alongside.app.state.ResetPasswordModel
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
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.core.Role

/** The person's password, and for a participant, leaving: deleting the account asks twice. */
@Composable
fun AccountScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { AccountModel(nav.app.alongside, nav.app, it) }
    val state by model.state.collectAsState()
    val account by nav.app.account.collectAsState()
    ScreenFrame(words.account.title, onBack = nav.back, onCrisis = nav.crisis) {
        ScrollingColumn {
            if (state.problem == Problem.Offline) Body(words.account.offline)
            Panel {
                SectionTitle(words.account.passwordTitle)
                Field(words.account.currentPassword, state.currentPassword, { v -> model.edit { copy(currentPassword = v) } }, "current_password", state.problem, Input.PASSWORD)
                Field(words.account.newPassword, state.newPassword, { v -> model.edit { copy(newPassword = v) } }, "new_password", state.problem, Input.PASSWORD)
                if (state.changed) Note(words.account.changed)
                SecondaryButton(words.account.change, model::changePassword)
            }
            if (account?.role == Role.PARTICIPANT) {
                Panel {
                    SectionTitle(words.account.deleteTitle)
                    Body(words.account.deleteBody)
                    Field(words.account.deletePassword, state.deletePassword, { v -> model.edit { copy(deletePassword = v) } }, "password", state.problem, Input.PASSWORD)
                    if (state.confirming) {
                        Note(words.account.deleteSure)
                        MainButton(words.account.deleteConfirm, model::delete, enabled = !state.busy)
                        LinkButton(words.account.keep, model::keep)
                    } else {
                        SecondaryButton(words.account.delete, model::askToDelete)
                    }
                }
            } else {
                Body(words.account.peerWorkerLeaving)
            }
            ProblemNote(state.problem, setOf("current_password", "new_password", "password"))
        }
    }
}

/** Before sign-in: a new password with the reset code the program read out. */
@Composable
fun ResetPasswordScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { ResetPasswordModel(nav.app.alongside, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(
        words.signIn.resetTitle,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.signIn.reset, model::reset, enabled = !form.busy) },
    ) {
        ScrollingColumn {
            Body(words.signIn.resetBody)
            Field(words.signIn.username, form.username, { v -> model.edit { copy(username = v) } }, "username", form.problem)
            Field(words.signIn.resetCode, form.code, { v -> model.edit { copy(code = v) } }, "code", form.problem, hint = words.signIn.inviteCodeHint)
            Field(words.signIn.newPassword, form.newPassword, { v -> model.edit { copy(newPassword = v) } }, "new_password", form.problem, Input.PASSWORD)
            ProblemNote(form.problem, setOf("username", "code", "new_password"))
        }
    }
}
