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
import org.alongside.core.Delivery
import org.alongside.core.Help
import org.alongside.core.ReachOutSent
import org.alongside.core.model.Urgency

/** "I need to talk", and what became of it, told truthfully (the core decides which). */
sealed interface ReachOutState {
    data class Writing(val urgency: Urgency = Urgency.TODAY, val message: String = "", val problem: Problem? = null) : ReachOutState
    data object Sending : ReachOutState

    /** The server has it and a peer worker will see it; someone sooner is offered all the same. */
    data class Delivered(val help: Help) : ReachOutState

    /** The server has it, but no peer worker is assigned yet: say so, and offer the lines. */
    data class NoPeerWorker(val help: Help) : ReachOutState

    /** Not through yet (no signal, or no answer in time): offer a call and the crisis lines now. */
    data class Waiting(val help: Help) : ReachOutState

    /** The server refused it: say so, with its code and reason, and offer a call and the lines. */
    data class Refused(val code: String, val reason: String, val help: Help) : ReachOutState
}

/** The screen's state for what the core answered. */
fun ReachOutSent.state(): ReachOutState = when (val d = delivery) {
    Delivery.Delivered -> ReachOutState.Delivered(help)
    Delivery.NoPeerWorker -> ReachOutState.NoPeerWorker(help)
    Delivery.Waiting -> ReachOutState.Waiting(help)
    is Delivery.Refused -> ReachOutState.Refused(d.code, d.reason, help)
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
            current.value = sent.state()
            if (current.value is ReachOutState.Waiting) follow(sent.reachOut.id)
        }
    }

    /** While it waits, each sync may carry it: ask the core again after each. */
    private fun follow(reachOutId: String) {
        watching?.cancel()
        watching = scope.launch {
            app.syncStatus.collect {
                if (current.value !is ReachOutState.Waiting) return@collect
                current.value = app.local { reachOutAnswer(reachOutId) }.state()
            }
        }
    }
}
