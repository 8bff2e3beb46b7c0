package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.QuietHours
import org.alongside.core.model.ReminderSettings

/** The reminder settings as the form holds them: times as typed. */
data class RemindersState(
    val settings: ReminderSettings? = null,
    val checkInTime: String = "",
    val quiet: Boolean = false,
    val quietFrom: String = "",
    val quietUntil: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

/** Which reminders ring, and when; kept on this phone only. */
class RemindersModel(app: Alongside, private val session: AppModel, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(RemindersState())
    val state: StateFlow<RemindersState> = current.asStateFlow()

    init {
        act({}) {
            val settings = app.local { reminderSettings() }
            current.value = RemindersState(
                settings = settings,
                checkInTime = settings.checkInTime.typed(),
                quiet = settings.quietHours != null,
                // Turning quiet hours on again offers the usual night.
                quietFrom = (settings.quietHours?.start ?: org.alongside.core.model.LocalTime(22u, 0u)).typed(),
                quietUntil = (settings.quietHours?.end ?: org.alongside.core.model.LocalTime(8u, 0u)).typed(),
            )
        }
    }

    fun edit(change: RemindersState.() -> RemindersState) = current.update { it.change().copy(problem = null, saved = false) }

    fun set(change: ReminderSettings.() -> ReminderSettings) = edit { copy(settings = settings?.change()) }

    fun save() {
        val entered = current.value
        val settings = entered.settings ?: return
        val words = session.words.value.reminders
        act({ problem -> current.update { it.copy(problem = problem) } }) {
            val quiet = if (entered.quiet) {
                QuietHours(
                    typedTime(entered.quietFrom, "quiet_hours.start", words.timeFormat),
                    typedTime(entered.quietUntil, "quiet_hours.end", words.timeFormat),
                )
            } else {
                null
            }
            val next = settings.copy(checkInTime = typedTime(entered.checkInTime, "check_in_time", words.timeFormat), quietHours = quiet)
            app.local { setReminderSettings(next) }
            session.reminders.refresh()
            current.update { it.copy(settings = next, saved = true) }
        }
    }
}
