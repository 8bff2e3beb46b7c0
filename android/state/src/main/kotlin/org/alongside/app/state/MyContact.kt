package org.alongside.app.state

import java.time.ZoneId
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.ContactRequest
import org.alongside.core.model.Hours

/** The days as the protocol names them, in the week's order. */
val WEEK = listOf("mon", "tue", "wed", "thu", "fri", "sat", "sun")

/** A peer worker's number and hours as the form holds them. */
data class MyContactState(
    val loaded: Boolean = false,
    val phone: String = "",
    val days: Set<String> = WEEK.take(5).toSet(),
    val from: String = "9:00",
    val until: String = "17:00",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

/**
 * The number and usual hours a peer worker shares with their participants
 * (the server keeps them; it needs the network). Hours are in the phone's
 * own time zone; the core and server check every part.
 */
class MyContactModel(app: Alongside, scope: CoroutineScope, private val zone: ZoneId = ZoneId.systemDefault()) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(MyContactState())
    val state: StateFlow<MyContactState> = current.asStateFlow()

    init {
        act({ problem -> current.update { it.copy(loaded = true, problem = problem) } }) {
            val mine = app.core.myContact()
            current.value = MyContactState(
                loaded = true,
                phone = mine.phone.orEmpty(),
                days = mine.hours?.days?.toSet() ?: MyContactState().days,
                from = mine.hours?.from ?: MyContactState().from,
                until = mine.hours?.to ?: MyContactState().until,
            )
        }
    }

    fun edit(change: MyContactState.() -> MyContactState) = current.update { it.change().copy(problem = null, saved = false) }

    fun toggle(day: String) = edit { copy(days = if (day in days) days - day else days + day) }

    fun save() {
        val entered = current.value
        act({ problem -> current.update { it.copy(problem = problem) } }) {
            // "9:00" is how people type it; the protocol's form is "09:00".
            val hours = Hours(zone.id, WEEK.filter { it in entered.days }, padded(entered.from), padded(entered.until))
            app.core.setMyContact(ContactRequest(entered.phone.trim().ifEmpty { null }, hours))
            current.update { it.copy(saved = true) }
        }
    }

    private fun padded(time: String): String = time.trim().let { if (Regex("^\\d:\\d\\d$").matches(it)) "0$it" else it }
}
