package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.AccountWords

/** The account screen: a new password, and (a participant) deleting the account. */
data class AccountState(
    val currentPassword: String = "",
    val newPassword: String = "",
    val changed: Boolean = false,
    val deletePassword: String = "",
    /** The person asked to delete and is being asked once more. */
    val confirming: Boolean = false,
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/** A person changes their password; a participant may delete their account. */
class AccountModel(app: Alongside, private val session: AppModel, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(AccountState())
    val state: StateFlow<AccountState> = current.asStateFlow()

    fun edit(change: AccountState.() -> AccountState) = current.update { it.change().copy(problem = null, changed = false) }

    fun changePassword() = submit {
        app.core.changePassword(it.currentPassword, it.newPassword)
        current.update { s -> s.copy(busy = false, currentPassword = "", newPassword = "", changed = true) }
    }

    /** First tap: ask once more. */
    fun askToDelete() = current.update { it.copy(confirming = true, problem = null) }

    fun keep() = current.update { it.copy(confirming = false, deletePassword = "") }

    /** Second tap: the server forgets them, then this phone does. */
    fun delete() = submit {
        app.core.deleteAccount(it.deletePassword)
        session.accountDeleted()
    }

    private fun submit(work: suspend (AccountState) -> Unit) {
        if (current.value.busy) return
        current.update { it.copy(busy = true, problem = null) }
        act({ problem -> current.update { it.copy(busy = false, problem = problem.inWords(session.words.value.account)) } }) {
            work(current.value)
        }
    }
}

/** The server's reasons for the password fields, in the person's language. */
private fun Problem.inWords(words: AccountWords): Problem = when {
    this is Problem.Field && (field == "current_password" || field == "password") -> copy(reason = words.wrongPassword)
    this is Problem.Field && field == "new_password" -> copy(reason = words.shortPassword)
    else -> this
}

/** The reset form, before sign-in. */
data class ResetForm(
    val username: String = "",
    val code: String = "",
    val newPassword: String = "",
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/** Signing in with a reset code an admin read out and a new password. */
class ResetPasswordModel(app: Alongside, private val session: AppModel, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(ResetForm())
    val state: StateFlow<ResetForm> = form.asStateFlow()

    fun edit(change: ResetForm.() -> ResetForm) = form.update { it.change().copy(problem = null) }

    fun reset() {
        if (form.value.busy) return
        form.update { it.copy(busy = true, problem = null) }
        val words = session.words.value
        act({ problem ->
            val shown = when {
                problem == Problem.WrongCredentials -> Problem.Field("code", words.signIn.wrongResetCode)
                else -> problem.inWords(words.account)
            }
            form.update { it.copy(busy = false, problem = shown) }
        }) {
            val entered = form.value
            val account = app.core.resetPassword(entered.username.trim(), entered.code.trim(), entered.newPassword)
            form.update { it.copy(busy = false, newPassword = "") }
            session.signedIn(account)
        }
    }
}
