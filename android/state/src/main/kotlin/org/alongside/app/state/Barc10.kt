package org.alongside.app.state

import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.Barc10Summary
import org.alongside.core.model.Assessment
import org.alongside.core.model.Collection
import org.alongside.core.model.Instrument

/** The ten answers being given (1..6 each, or not yet). */
data class Barc10Form(val answers: List<Long?> = List(10) { null }, val problem: Problem? = null, val saved: Boolean = false)

data class Barc10State(val summary: Barc10Summary? = null, val form: Barc10Form = Barc10Form())

/** BARC-10: the ten statements, the total the core adds up, and its change since last time. */
class Barc10Model(app: Alongside, private val participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(Barc10Form())
    private val summary = app.query(participantId, setOf(Collection.ASSESSMENTS)) { barc10Summary(participantId) }
    val state: StateFlow<Barc10State> = combine(summary, form) { s, f -> Barc10State(s, f) }.state(Barc10State())

    fun answer(item: Int, value: Long) = form.update { f ->
        f.copy(answers = f.answers.mapIndexed { i, a -> if (i == item) value else a }, problem = null, saved = false)
    }

    fun save() {
        val entered = form.value
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            // Unanswered statements are left out: the core refuses fewer than ten and says so.
            val assessment = Assessment(
                participantId = participantId,
                instrument = Instrument.BARC10,
                responses = entered.answers.filterNotNull(),
                takenOn = LocalDate.now(ZoneId.systemDefault()),
            )
            app.local { createAssessment(assessment) }
            form.value = Barc10Form(saved = true)
        }
    }
}
