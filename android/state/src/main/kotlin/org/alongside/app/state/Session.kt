package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import org.alongside.app.data.Alongside
import org.alongside.app.data.Platform
import org.alongside.app.data.ReminderKeeper
import org.alongside.core.Account
import org.alongside.core.AlongsideException
import org.alongside.core.Role
import org.alongside.core.model.SyncState
import org.alongside.core.model.Language
import org.alongside.core.model.Words
import org.alongside.core.setLanguage as speak
import org.alongside.core.words

/** Why a phone was emptied. */
enum class Cleared { FromAnotherDevice, AccountDeleted }

/**
 * The app as a whole: who is signed in, the language, and where the person
 * is. Screens get their state holders from here.
 */
class AppModel(
    val alongside: Alongside,
    val platform: Platform,
    language: Language,
    private val scope: CoroutineScope,
) {
    private val _words = MutableStateFlow(wordsIn(language))
    private val _account = MutableStateFlow<Account?>(null)
    private val _cleared = MutableStateFlow<Cleared?>(null)

    /** Why this phone holds nothing any more, if it was cleared: sign-in says so. */
    val cleared: StateFlow<Cleared?> = _cleared.asStateFlow()

    /** Every word the screens show, in the phone's language. */
    val words: StateFlow<Words> = _words.asStateFlow()

    val account: StateFlow<Account?> = _account.asStateFlow()

    val navigator = Navigator(Screen.SignIn)

    /** The local notifications the phone has scheduled, kept up to date. */
    val reminders = ReminderKeeper(alongside, platform)

    /** The participant whose records a participant's screens show (themself). */
    val participantId: String get() = _account.value?.userId.orEmpty()

    /** Opens where the person left off: sign-in, set-up, Today or the caseload. */
    suspend fun start() {
        val account = alongside.local { account() }
        _account.value = account
        navigator.reset(home(account))
        if (!keeping) {
            keeping = true
            scope.launch { reminders.keep(this@AppModel.account) }
            scope.launch { alongside.syncStatus.first { it.state == SyncState.Wiped }.let { cleared(Cleared.FromAnotherDevice) } }
        }
    }

    private var keeping = false

    /** The core deleted what the phone held; the old key goes too, and the person is told why. */
    private suspend fun cleared(why: Cleared) {
        // A pass in flight when the account was deleted may hear "wiped" too.
        if (_cleared.value == Cleared.AccountDeleted) return
        alongside.local { platform.replaceDatabaseKey { key -> rekey(key) } }
        _account.value = null
        _cleared.value = why
        navigator.reset(Screen.SignIn)
    }

    /** The participant deleted their account; the core has emptied the phone. */
    suspend fun accountDeleted() = cleared(Cleared.AccountDeleted)

    /** The phone's language changed. */
    fun setLanguage(language: Language) {
        _words.value = wordsIn(language)
    }

    /** After sign-in or registration. */
    suspend fun signedIn(account: Account) {
        _cleared.value = null
        _account.value = account
        navigator.reset(home(account))
    }

    /** Signs out on the server if it can be reached; this phone forgets the sign-in either way. */
    fun signOut() = scope.launch {
        try {
            alongside.core.logout()
        } catch (offline: AlongsideException) {
            // Offline or already signed out: the token is forgotten here too,
            // and what was not sent waits for the next sign-in.
        }
        _account.value = null
        navigator.reset(Screen.SignIn)
    }

    private suspend fun home(account: Account?): Screen = when {
        account == null -> Screen.SignIn
        account.role == Role.PEER_WORKER -> Screen.Caseload
        alongside.local { listProfiles(account.userId) }.isEmpty() -> Screen.SetUp
        else -> Screen.Today
    }

    private fun wordsIn(language: Language): Words {
        speak(language)
        return words(language)
    }
}
