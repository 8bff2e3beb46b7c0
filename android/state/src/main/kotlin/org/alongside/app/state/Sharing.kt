package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.AuditEntry
import org.alongside.core.model.Category
import org.alongside.core.model.Sharing

/** Who looked at the participant's records, from the server's audit trail. */
sealed interface WhoLooked {
    data object NotAsked : WhoLooked
    data object Asking : WhoLooked
    data object Offline : WhoLooked
    data class Entries(val entries: List<AuditEntry>) : WhoLooked
}

data class SharingState(
    val sharing: Sharing? = null,
    val until: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
    val whoLooked: WhoLooked = WhoLooked.NotAsked,
)

/** Consent: what the peer worker sees, per category, until when; and who looked. */
class SharingModel(app: Alongside, private val participantId: String, private val session: AppModel, scope: CoroutineScope) :
    ScreenModel(app, scope) {
    private val current = MutableStateFlow(SharingState())
    val state: StateFlow<SharingState> = current.asStateFlow()

    init {
        act({}) {
            val sharing = app.local { sharing(participantId) }
            current.value = SharingState(sharing, sharing.expiresOn?.toString().orEmpty())
        }
    }

    fun shares(sharing: Sharing, category: Category): Boolean = when (category) {
        Category.GOALS -> sharing.goals
        Category.MILESTONES -> sharing.milestones
        Category.CHECK_INS -> sharing.checkIns
        Category.COPING -> sharing.coping
        Category.CONTACTS -> sharing.contacts
        Category.SAFETY_PLAN -> sharing.safetyPlan
        Category.ASSESSMENTS -> sharing.assessments
        Category.ALWAYS -> true
    }

    fun toggle(category: Category) = current.update { state ->
        val s = state.sharing ?: return@update state
        val on = !shares(s, category)
        val next = when (category) {
            Category.GOALS -> s.copy(goals = on)
            Category.MILESTONES -> s.copy(milestones = on)
            Category.CHECK_INS -> s.copy(checkIns = on)
            Category.COPING -> s.copy(coping = on)
            Category.CONTACTS -> s.copy(contacts = on)
            Category.SAFETY_PLAN -> s.copy(safetyPlan = on)
            Category.ASSESSMENTS -> s.copy(assessments = on)
            Category.ALWAYS -> s
        }
        state.copy(sharing = next, problem = null, saved = false)
    }

    fun editUntil(text: String) = current.update { it.copy(until = text, problem = null, saved = false) }

    fun save() {
        val entered = current.value
        val sharing = entered.sharing ?: return
        act({ problem -> current.update { it.copy(problem = problem) } }) {
            val until = typedDate(entered.until, "expires_on", session.words.value.reasons.date)
            val saved = app.local { setSharing(participantId, sharing, until) }
            current.update { it.copy(sharing = saved, saved = true) }
        }
    }

    /** Asks the server who looked (it needs a connection). */
    fun loadWhoLooked() {
        current.update { it.copy(whoLooked = WhoLooked.Asking) }
        act({ current.update { it.copy(whoLooked = WhoLooked.Offline) } }) {
            val entries = app.core.audit(participantId).sortedByDescending { it.at }
            current.update { it.copy(whoLooked = WhoLooked.Entries(entries)) }
        }
    }
}
