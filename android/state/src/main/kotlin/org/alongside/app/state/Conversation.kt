package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.Collection
import org.alongside.core.model.ConversationMessage

/** What is being written, and the last problem sending it. */
data class MessageDraft(val body: String = "", val problem: Problem? = null)

/**
 * The conversation between a participant and their peer worker, the same on
 * both phones. Opening it reads what the other person sent (read receipts).
 */
class ConversationModel(app: Alongside, private val participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val messages: StateFlow<List<ConversationMessage>?> =
        app.query(participantId, setOf(Collection.MESSAGES)) { conversation(participantId) }.state(null)

    private val draft = MutableStateFlow(MessageDraft())
    val writing: StateFlow<MessageDraft> = draft.asStateFlow()

    init {
        // Shown on screen is read: mark what the other person sent.
        scope.launch {
            messages.collect { shown ->
                shown.orEmpty().filter { !it.mine && it.message.readAt == null }.forEach { unread ->
                    try {
                        app.local { markMessageRead(unread.message.id) }
                    } catch (gone: org.alongside.core.AlongsideException) {
                        // Purged or refused meanwhile: nothing to mark.
                    }
                }
            }
        }
    }

    fun edit(body: String) = draft.update { MessageDraft(body = body) }

    fun send() {
        val body = draft.value.body.trim()
        if (body.isEmpty()) return
        act({ problem -> draft.update { it.copy(problem = problem) } }) {
            app.local { sendMessage(participantId, body) }
            draft.value = MessageDraft()
        }
    }
}
