package org.alongside.app.ui.kit

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.data.SyncLine
import org.alongside.app.data.ago
import org.alongside.app.data.count
import org.alongside.app.data.fill

/** The one calm line about sync; refused changes open what to do about them. */
@Composable
fun SyncLineView(line: SyncLine, onRefused: () -> Unit) {
    val words = LocalWords.current
    val common = words.common
    val text = when (line) {
        SyncLine.Syncing -> common.syncRunning
        is SyncLine.Refused -> common.syncRefused.count(line.count)
        is SyncLine.Waiting -> "${common.syncSaved} ${common.syncPending.count(line.count)}"
        SyncLine.SignedOut -> common.syncSignedOut
        is SyncLine.Saved -> "${common.syncSaved} " + (line.lastSynced?.let { common.syncLast.fill("when" to words.ago(it)) } ?: common.syncNever)
    }
    val modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp).padding(vertical = 8.dp)
    Text(
        text,
        style = MaterialTheme.typography.bodySmall,
        color = MaterialTheme.colorScheme.onSurfaceVariant,
        modifier = if (line is SyncLine.Refused) Modifier.clickable(onClick = onRefused).then(modifier) else modifier,
    )
}
