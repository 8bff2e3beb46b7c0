package org.alongside.app.state

import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.app.data.SyncLine
import org.alongside.app.data.syncLine
import org.alongside.core.model.CheckIn
import org.alongside.core.model.Collection
import org.alongside.core.model.ReachedMilestone
import org.alongside.core.model.Today

/** The quick check-in on Today. */
data class CheckInForm(
    val mood: Long? = null,
    val craving: String = "",
    val note: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

/** The participant's home screen. */
class TodayModel(app: Alongside, private val participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val today: StateFlow<Today?> = app.query(participantId, Collection.entries.toSet()) { today(participantId) }.state(null)
    val sync: StateFlow<SyncLine> = app.syncLine().state(SyncLine.Saved(null))

    private val form = MutableStateFlow(CheckInForm())
    val checkIn: StateFlow<CheckInForm> = form.asStateFlow()

    /** The milestone just celebrated, for a quiet "well done". */
    private val justCelebrated = MutableStateFlow<String?>(null)
    val celebrated: StateFlow<String?> = justCelebrated.asStateFlow()

    fun editCheckIn(change: CheckInForm.() -> CheckInForm) = form.update { it.change().copy(problem = null, saved = false) }

    fun saveCheckIn() {
        val entered = form.value
        val mood = entered.mood ?: return
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val craving = typedNumber(entered.craving)
            app.local {
                createCheckIn(CheckIn(participantId = participantId, at = Instant.now(), mood = mood, craving = craving, note = entered.note.trim().ifEmpty { null }))
            }
            form.value = CheckInForm(saved = true)
        }
    }

    fun celebrate(vararg reached: ReachedMilestone) = act({}) {
        app.local { reached.forEach { celebrate(participantId, it) } }
        justCelebrated.value = reached.firstOrNull()?.title
    }
}

/** The new period's first day, typed; today unless the person says otherwise. */
data class StartAgainForm(val startDate: String = java.time.LocalDate.now().toString(), val problem: Problem? = null)

/**
 * Starting a new recovery period ("starting again"): the current one closes
 * and stays in the history.
 */
class StartAgainModel(app: Alongside, private val participantId: String, private val session: AppModel, scope: CoroutineScope) :
    ScreenModel(app, scope) {
    private val form = MutableStateFlow(StartAgainForm())
    val state: StateFlow<StartAgainForm> = form.asStateFlow()

    fun edit(startDate: String) = form.update { StartAgainForm(startDate) }

    fun start() = act({ problem -> form.update { it.copy(problem = problem) } }) {
        val date = requiredDate(form.value.startDate, "start_date", session.words.value)
        app.local { startRecoveryPeriod(participantId, date, null) }
        session.navigator.back()
    }
}
