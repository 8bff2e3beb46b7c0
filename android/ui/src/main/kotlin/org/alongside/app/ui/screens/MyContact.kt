package org.alongside.app.ui.screens

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.alongside.app.data.Problem
import org.alongside.app.state.MyContactModel
import org.alongside.app.state.WEEK
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.state.Screen
import org.alongside.app.ui.kit.LinkButton
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.app.ui.kit.Toggle
import org.alongside.core.model.MyContactWords

/** A peer worker's number and usual hours, offered on their participants' phones when a reach-out cannot wait. */
@Composable
fun MyContactScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { MyContactModel(nav.app.alongside, it) }
    val state by model.state.collectAsState()
    ScreenFrame(words.myContact.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.common.save, model::save) }) {
        ScrollingColumn {
            Body(words.myContact.intro)
            if (state.problem == Problem.Offline) Body(words.myContact.offline)
            if (!state.loaded) return@ScrollingColumn
            Field(words.myContact.phone, state.phone, { v -> model.edit { copy(phone = v) } }, "phone", state.problem)
            SectionTitle(words.myContact.days)
            WEEK.forEach { day -> Toggle(day.label(words.myContact), day in state.days) { model.toggle(day) } }
            ProblemNote(state.problem, setOf("hours.days", "hours.time_zone"))
            Field(words.myContact.from, state.from, { v -> model.edit { copy(from = v) } }, "hours.from", state.problem, hint = words.reminders.timeHint)
            Field(words.myContact.until, state.until, { v -> model.edit { copy(until = v) } }, "hours.to", state.problem, hint = words.reminders.timeHint)
            if (state.saved) Note(words.myContact.saved)
            LinkButton(words.devices.title) { nav.go(Screen.Devices) }
            LinkButton(words.account.title) { nav.go(Screen.Account) }
        }
    }
}

private fun String.label(words: MyContactWords): String = when (this) {
    "mon" -> words.mon
    "tue" -> words.tue
    "wed" -> words.wed
    "thu" -> words.thu
    "fri" -> words.fri
    "sat" -> words.sat
    else -> words.sun
}
