package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.Profile
import java.time.ZoneId

/** The sign-in and registration forms. */
data class SignInForm(
    val username: String = "",
    val password: String = "",
    val inviteCode: String = "",
    val displayName: String = "",
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/** Signing in, or creating an account with the code a peer worker read out. */
class SignInModel(app: Alongside, private val session: AppModel, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(SignInForm())
    val state: StateFlow<SignInForm> = form.asStateFlow()

    fun edit(change: SignInForm.() -> SignInForm) = form.update { it.change().copy(problem = null) }

    fun signIn() = submit { app.core.login(it.username.trim(), it.password) }

    fun register() = submit { app.core.register(it.inviteCode.trim(), it.username.trim(), it.password, it.displayName.trim()) }

    private fun submit(call: suspend (SignInForm) -> org.alongside.core.Account) {
        if (form.value.busy) return
        form.update { it.copy(busy = true, problem = null) }
        act({ problem -> form.update { it.copy(busy = false, problem = problem) } }) {
            val account = call(form.value)
            form.update { it.copy(busy = false, password = "") }
            session.signedIn(account)
        }
    }
}

/** The first-run form. */
data class SetUpForm(
    val displayName: String = "",
    val pronouns: String = "",
    val timeZone: String = ZoneId.systemDefault().id,
    val recoveryStart: String = "",
    val problem: Problem? = null,
)

/** A participant's first run: their profile and, if they want, the day their recovery started. */
class SetUpModel(app: Alongside, private val session: AppModel, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(SetUpForm(displayName = session.account.value?.displayName.orEmpty()))
    val state: StateFlow<SetUpForm> = form.asStateFlow()

    fun edit(change: SetUpForm.() -> SetUpForm) = form.update { it.change().copy(problem = null) }

    fun start() {
        val entered = form.value
        val participantId = session.participantId
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val start = typedDate(entered.recoveryStart, "start_date", session.words.value.reasons.date)
            app.local {
                setUpParticipant(
                    Profile(
                        participantId = participantId,
                        displayName = entered.displayName.trim(),
                        pronouns = entered.pronouns.trim().ifEmpty { null },
                        timezone = entered.timeZone.trim(),
                    ),
                )
                if (start != null) startRecoveryPeriod(participantId, start, null)
            }
            session.navigator.reset(Screen.Today)
        }
    }
}
