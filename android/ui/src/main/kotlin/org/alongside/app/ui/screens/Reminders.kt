package org.alongside.app.ui.screens

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.alongside.app.state.RemindersModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.Toggle

/** Which reminders ring and when, quiet hours, and what the lock screen shows. On this phone only. */
@Composable
fun RemindersScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { RemindersModel(nav.app.alongside, nav.app, it) }
    val state by model.state.collectAsState()
    ScreenFrame(words.reminders.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.common.save, model::save) }) {
        ScrollingColumn {
            val settings = state.settings ?: return@ScrollingColumn
            Toggle(words.reminders.checkIn, settings.checkIn) { on -> model.set { copy(checkIn = on) } }
            if (settings.checkIn) {
                Field(words.reminders.checkInTime, state.checkInTime, { v -> model.edit { copy(checkInTime = v) } }, "check_in_time", state.problem, hint = words.reminders.timeHint)
                ProblemNote(state.problem, setOf("check_in_time", "check_in_time.hour", "check_in_time.minute"))
            }
            Toggle(words.reminders.milestones, settings.milestones) { on -> model.set { copy(milestones = on) } }
            Toggle(words.reminders.goalDates, settings.goalDates) { on -> model.set { copy(goalDates = on) } }
            Toggle(words.reminders.messages, settings.messages) { on -> model.set { copy(messages = on) } }
            Toggle(words.reminders.quietHours, state.quiet) { on -> model.edit { copy(quiet = on) } }
            if (state.quiet) {
                Body(words.reminders.quietHoursHelp)
                Field(words.reminders.quietFrom, state.quietFrom, { v -> model.edit { copy(quietFrom = v) } }, "quiet_hours.start", state.problem, hint = words.reminders.timeHint)
                Field(words.reminders.quietUntil, state.quietUntil, { v -> model.edit { copy(quietUntil = v) } }, "quiet_hours.end", state.problem, hint = words.reminders.timeHint)
                ProblemNote(state.problem, setOf("quiet_hours.start", "quiet_hours.start.hour", "quiet_hours.start.minute", "quiet_hours.end", "quiet_hours.end.hour", "quiet_hours.end.minute"))
            }
            Toggle(words.reminders.discreet, settings.discreet) { on -> model.set { copy(discreet = on) } }
            if (state.saved) Note(words.reminders.saved)
        }
    }
}
