package org.alongside.app.data

import kotlinx.coroutines.channels.awaitClose
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.callbackFlow
import kotlinx.coroutines.flow.conflate
import org.alongside.core.Companion
import org.alongside.core.DataChange
import org.alongside.core.DataChangeObserver
import org.alongside.core.SyncStatus
import org.alongside.core.SyncStatusObserver

/**
 * The core's sync statuses as a flow: an observer is registered when the flow
 * is collected and its subscription cancelled when collection stops. Only the
 * newest status matters to a screen, so a slow collector skips to it.
 */
fun Companion.syncEvents(): Flow<SyncStatus> = callbackFlow {
    val subscription = observeSync(object : SyncStatusObserver {
        override fun onStatus(status: SyncStatus) {
            trySend(status)
        }
    })
    awaitClose { subscription.cancel() }
}.conflate()

/**
 * The core's "records changed" events as a flow, registered while collected.
 * [onListening] runs once the observer is registered. Bounded: when the
 * collector falls [CHANGES_BUFFERED] behind, the core's delivering thread
 * waits, the core's own queue for this observer fills, and what does not fit
 * reaches the screens as one "anything may have changed".
 */
fun Companion.changeEvents(onListening: () -> Unit = {}): Flow<DataChange> = callbackFlow {
    val subscription = observeChanges(object : DataChangeObserver {
        override fun onChange(change: DataChange) {
            trySendBlocking(change)
        }
    })
    onListening()
    awaitClose { subscription.cancel() }
}.buffer(CHANGES_BUFFERED)

/** Change events held for a slow collector before the core's thread waits. */
const val CHANGES_BUFFERED = 64
