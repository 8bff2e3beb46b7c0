package org.alongside.app.ui.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.Modifier
import org.alongside.app.data.fill
import org.alongside.app.state.ReachOutModel
import org.alongside.app.state.ReachOutState
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Choices
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.Input
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.label
import org.alongside.app.ui.kit.refusal
import org.alongside.core.Help
import org.alongside.core.model.Urgency

/**
 * "I need to talk". The answer is the truth, as the core tells it: the peer
 * worker has it; or the server has it but nobody is assigned yet; or it is
 * not through yet; or it was refused (said so). Whenever it is not with a
 * peer worker, someone to call and the crisis lines are offered at once.
 */
@Composable
fun ReachOutScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { ReachOutModel(nav.app.alongside, me, it) }
    val state by model.state.collectAsState()
    val writing = state as? ReachOutState.Writing
    ScreenFrame(
        words.reachOut.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = writing?.let { { MainButton(words.reachOut.send, model::send) } },
    ) {
        ScrollingColumn {
            when (val s = state) {
                is ReachOutState.Writing -> {
                    Body(words.reachOut.intro)
                    Text(words.reachOut.urgency, style = MaterialTheme.typography.labelLarge)
                    Choices(Urgency.entries, s.urgency, { it.label(words) }) { u -> model.edit { copy(urgency = u) } }
                    Field(
                        "${words.reachOut.message} (${words.common.optional})", s.message, { v -> model.edit { copy(message = v) } },
                        "message", s.problem, Input.MULTILINE,
                    )
                    ProblemNote(s.problem, setOf("message"))
                }
                ReachOutState.Sending -> Answer(words.reachOut.sending)
                is ReachOutState.Delivered -> {
                    Answer(words.reachOut.delivered.fill("name" to (s.help.peerWorker?.name ?: words.reachOut.yourPeerWorker)))
                    Body(words.reachOut.deliveredBody)
                    CrisisLines(s.help.crisisLines, nav.app.platform)
                }
                is ReachOutState.NoPeerWorker -> {
                    Answer(words.reachOut.unassigned)
                    Body(words.reachOut.unassignedBody)
                    Offers(s.help, nav)
                }
                is ReachOutState.Waiting -> {
                    Answer(words.reachOut.waiting)
                    Body(words.reachOut.waitingBody)
                    Offers(s.help, nav)
                }
                is ReachOutState.Refused -> {
                    Answer(words.reachOut.statusRefused)
                    Body(refusal(s.code, s.reason, words))
                    Body(words.reachOut.waitingBody)
                    Offers(s.help, nav)
                }
            }
        }
    }
}

/** The answer, announced by screen readers as it changes. */
@Composable
private fun Answer(text: String) {
    Panel(Modifier.semantics { liveRegion = LiveRegionMode.Polite }) {
        Text(text, style = MaterialTheme.typography.headlineSmall)
    }
}

/**
 * Whom to reach instead of waiting: the peer worker (said plainly whether
 * they usually answer now), the program's on-call line when they may not,
 * and the crisis lines, always.
 */
@Composable
private fun Offers(help: Help, nav: Nav) {
    val words = LocalWords.current
    val peerWorker = help.peerWorker
    if (peerWorker != null) {
        Panel {
            Text(peerWorker.name, style = MaterialTheme.typography.titleMedium)
            when (peerWorker.availableNow) {
                true -> Body(words.reachOut.answeringNow)
                false -> Body(words.reachOut.offHours)
                null -> Unit
            }
            CallAndText(peerWorker.name, peerWorker.phone, canText = true, nav.app.platform)
        }
    } else {
        Body(words.reachOut.noPeerWorker)
    }
    help.onCall?.let { line ->
        Panel {
            Text(line.name, style = MaterialTheme.typography.titleMedium)
            Body(words.reachOut.onCall)
            CallAndText(line.name, line.phone, canText = false, nav.app.platform)
        }
    }
    CrisisLines(help.crisisLines, nav.app.platform)
}
