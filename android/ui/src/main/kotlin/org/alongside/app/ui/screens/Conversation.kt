package org.alongside.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.Send
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.data.ago
import org.alongside.app.data.reasonFor
import org.alongside.app.state.ConversationModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.core.model.ConversationMessage
import org.alongside.core.model.RecordSync

/** Messages between a participant and their peer worker, written offline, with read receipts. */
@Composable
fun ConversationScreen(nav: Nav, participantId: String) {
    val words = LocalWords.current
    val model = rememberModel { ConversationModel(nav.app.alongside, participantId, it) }
    val messages by model.messages.collectAsState()
    val draft by model.writing.collectAsState()
    ScreenFrame(
        words.messages.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = {
            Row(verticalAlignment = Alignment.CenterVertically) {
                val reason = draft.problem.reasonFor("body")
                OutlinedTextField(
                    value = draft.body,
                    onValueChange = model::edit,
                    label = { Text(words.messages.write) },
                    isError = reason != null,
                    supportingText = reason?.let { { Text(it) } },
                    modifier = Modifier.weight(1f),
                )
                IconButton(onClick = model::send) { Icon(Icons.AutoMirrored.Filled.Send, contentDescription = words.messages.send) }
            }
        },
    ) {
        ScrollingColumn {
            if (messages?.isEmpty() == true) Body(words.messages.empty)
            messages.orEmpty().forEach { Bubble(it) }
        }
    }
}

@Composable
private fun Bubble(entry: ConversationMessage) {
    val words = LocalWords.current
    val mine = entry.mine
    Box(Modifier.fillMaxWidth(), contentAlignment = if (mine) Alignment.CenterEnd else Alignment.CenterStart) {
        Surface(
            color = if (mine) MaterialTheme.colorScheme.primaryContainer else MaterialTheme.colorScheme.surfaceContainerHigh,
            shape = MaterialTheme.shapes.large,
            modifier = Modifier.widthIn(max = 320.dp),
        ) {
            Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(entry.message.body, style = MaterialTheme.typography.bodyLarge)
                val status = when {
                    !mine -> null
                    entry.sync is RecordSync.Waiting -> words.messages.waiting
                    entry.message.readAt != null -> words.messages.read
                    else -> words.messages.sent
                }
                Text(listOfNotNull(words.ago(entry.message.sentAt), status).joinToString(" · "), style = MaterialTheme.typography.labelSmall)
            }
        }
    }
}
