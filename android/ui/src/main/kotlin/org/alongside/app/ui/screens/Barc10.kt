package org.alongside.app.ui.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import org.alongside.app.data.date
import org.alongside.app.data.fill
import org.alongside.app.state.Barc10Model
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Choices
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.core.model.Words

/** The ten statements of BARC-10. */
fun barc10Items(w: Words): List<String> = with(w.barc10) { listOf(item1, item2, item3, item4, item5, item6, item7, item8, item9, item10) }

/** The six answers, 1 (strongly disagree) to 6 (strongly agree). */
fun barc10Answer(value: Long, w: Words): String = with(w.barc10) {
    when (value) {
        1L -> answer1
        2L -> answer2
        3L -> answer3
        4L -> answer4
        5L -> answer5
        else -> answer6
    }
}

/** BARC-10: the ten items, the total, and the change since last time. */
@Composable
fun Barc10Screen(nav: Nav) {
    val words = LocalWords.current
    val barc = words.barc10
    val me = nav.app.participantId
    val model = rememberModel { Barc10Model(nav.app.alongside, me, it) }
    val state by model.state.collectAsState()
    val answered = state.form.answers.count { it != null }
    ScreenFrame(barc.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(barc.save, model::save) }) {
        ScrollingColumn {
            state.summary?.let { summary ->
                Panel {
                    Text(barc.total.fill("total" to summary.total), style = MaterialTheme.typography.headlineSmall)
                    val change = summary.change
                    Body(
                        when {
                            change == null -> barc.first
                            change > 0 -> barc.up.fill("n" to change)
                            change < 0 -> barc.down.fill("n" to -change)
                            else -> barc.same
                        },
                    )
                    Body(barc.takenOn.fill("date" to words.date(summary.takenOn)))
                }
            }
            if (state.form.saved) Note(words.common.saved)
            Body(barc.intro)
            barc10Items(words).forEachIndexed { i, statement ->
                Panel {
                    Text("${i + 1}. $statement", style = MaterialTheme.typography.bodyLarge)
                    Choices((1L..6L).toList(), state.form.answers[i], { barc10Answer(it, words) }) { model.answer(i, it) }
                }
            }
            Body(barc.answered.fill("n" to answered))
            ProblemNote(state.form.problem)
        }
    }
}
