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
import org.alongside.core.CrisisResource
import org.alongside.core.model.Contact
import org.alongside.core.model.Urgency

/**
 * "I need to talk". The answer is the truth: the peer worker has it, or it
 * waits for signal (and a call and the crisis lines are offered at once), or
 * it was refused (said so, with the same offers).
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
                    Answer(words.reachOut.delivered.fill("name" to (s.peerWorker?.name ?: words.reachOut.yourPeerWorker)))
                    Body(words.reachOut.deliveredBody)
                    CrisisLines(s.crisisLines, nav.app.platform)
                }
                is ReachOutState.Waiting -> {
                    Answer(words.reachOut.waiting)
                    Offers(s.peerWorker, s.crisisLines, nav)
                }
                is ReachOutState.Refused -> {
                    Answer(words.reachOut.statusRefused)
                    Body(refusal(s.code, s.reason, words))
                    Offers(s.peerWorker, s.crisisLines, nav)
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

/** What to do instead of waiting: call the peer worker, or a crisis line. */
@Composable
private fun Offers(peerWorker: Contact?, lines: List<CrisisResource>, nav: Nav) {
    val words = LocalWords.current
    Body(words.reachOut.waitingBody)
    if (peerWorker != null) {
        Panel {
            Text(peerWorker.name, style = MaterialTheme.typography.titleMedium)
            peerWorker.availability?.let { Body(it) }
            CallAndText(peerWorker, nav.app.platform)
        }
    } else {
        Body(words.reachOut.noPeerWorker)
    }
    CrisisLines(lines, nav.app.platform)
}
