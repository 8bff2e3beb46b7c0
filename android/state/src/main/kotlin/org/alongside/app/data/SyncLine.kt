package org.alongside.app.data

import java.time.Instant
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import org.alongside.core.SyncStatus
import org.alongside.core.model.SyncState

/** The one calm line about sync: which sentence it says. */
sealed interface SyncLine {
    data object Syncing : SyncLine
    /** The server refused changes: shown with a way to see why. */
    data class Refused(val count: Long) : SyncLine
    /** Changes wait for signal (the normal state offline). */
    data class Waiting(val count: Long) : SyncLine
    data object SignedOut : SyncLine
    /** Everything is saved here and sent; [lastSynced] if ever. */
    data class Saved(val lastSynced: Instant?) : SyncLine
}

/** The sync line of [status] with [refused] changes kept on the phone. */
fun syncLine(status: SyncStatus, refused: Long): SyncLine = when {
    refused > 0 -> SyncLine.Refused(refused)
    status.state == SyncState.SignedOut -> SyncLine.SignedOut
    status.pending > 0u -> SyncLine.Waiting(status.pending.toLong())
    status.state == SyncState.Syncing -> SyncLine.Syncing
    else -> SyncLine.Saved(status.lastSuccess)
}

/** The sync line as it changes (refusals come with a push, so each status reads them again). */
fun Alongside.syncLine(): Flow<SyncLine> = syncStatus.map { status -> syncLine(status, local { refusedCount().toLong() }) }
