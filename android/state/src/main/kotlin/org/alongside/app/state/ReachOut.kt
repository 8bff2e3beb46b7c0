package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.CrisisResource
import org.alongside.core.Delivery
import org.alongside.core.crisisResources
import org.alongside.core.model.Contact
import org.alongside.core.model.RecordSync
import org.alongside.core.model.Urgency

/** "I need to talk", and what became of it, told truthfully. */
sealed interface ReachOutState {
    data class Writing(val urgency: Urgency = Urgency.TODAY, val message: String = "", val problem: Problem? = null) : ReachOutState
    data object Sending : ReachOutState

    /** The server has it. [peerWorker] is who the person added as their peer worker, if anyone. */
    data class Delivered(val peerWorker: Contact?, val crisisLines: List<CrisisResource>) : ReachOutState

    /** Kept on the phone until there is signal: offer a call and the crisis lines now. */
    data class Waiting(val peerWorker: Contact?, val crisisLines: List<CrisisResource>) : ReachOutState

    /** The server refused it: say so, with its code and reason, and offer a call and the lines. */
    data class Refused(val code: String, val reason: String, val peerWorker: Contact?, val crisisLines: List<CrisisResource>) : ReachOutState
}

class ReachOutModel(app: Alongside, private val participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow<ReachOutState>(ReachOutState.Writing())
    private var watching: Job? = null
    val state: StateFlow<ReachOutState> = current.asStateFlow()

    fun edit(change: ReachOutState.Writing.() -> ReachOutState.Writing) = current.update { state ->
        if (state is ReachOutState.Writing) state.change().copy(problem = null) else state
    }

    fun send() {
        val writing = current.value as? ReachOutState.Writing ?: return
        current.value = ReachOutState.Sending
        act({ problem -> current.value = writing.copy(problem = problem) }) {
            val sent = app.core.reachOut(participantId, writing.urgency, writing.message.trim().ifEmpty { null })
            current.value = when (val delivery = sent.delivery) {
                is Delivery.Delivered -> ReachOutState.Delivered(app.local { peerWorker(participantId) }, crisisResources())
                // The core looked the peer worker up already.
                is Delivery.Queued -> ReachOutState.Waiting(delivery.peerWorker, delivery.crisisLines)
            }
            if (current.value is ReachOutState.Waiting) follow(sent.reachOut.id)
        }
    }

    /** While it waits, each sync may carry it: the answer changes when the core's record of it does. */
    private fun follow(reachOutId: String) {
        watching?.cancel()
        watching = scope.launch {
            app.syncStatus.collect {
                val waiting = current.value as? ReachOutState.Waiting ?: return@collect
                when (val sync = app.local { recordSync(reachOutId) }) {
                    RecordSync.Synced -> current.value = ReachOutState.Delivered(waiting.peerWorker, waiting.crisisLines)
                    is RecordSync.Refused -> current.value = ReachOutState.Refused(sync.code, sync.reason, waiting.peerWorker, waiting.crisisLines)
                    RecordSync.Waiting -> Unit
                }
            }
        }
    }
}
