package org.alongside.app.data

import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.conflate
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.transform
import kotlinx.coroutines.flow.onSubscription
import kotlinx.coroutines.flow.shareIn
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.plus
import kotlinx.coroutines.withContext
import org.alongside.core.AlongsideException
import org.alongside.core.Companion
import org.alongside.core.DataChange
import org.alongside.core.SyncStatus
import org.alongside.core.model.Collection

/**
 * The app's door to the core, the way Room or PowerSync feel to an Android
 * developer: local calls run on an IO dispatcher ([local]), network calls are
 * the bindings' own `suspend` functions on [core], sync status is a
 * [StateFlow], and each screen's data is a [Flow] that reads again whenever
 * the core says its collections changed ([query]).
 *
 * One observer of each kind crosses the FFI for the whole app; [close] (or
 * cancelling [scope]) cancels their subscriptions.
 */
class Alongside(
    val core: Companion,
    scope: CoroutineScope,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) : AutoCloseable {
    private val job = SupervisorJob(scope.coroutineContext[Job])
    private val own = scope + job
    private val listening = CompletableDeferred<Unit>()

    /** Where sync stands, for the calm line every screen shows. */
    val syncStatus: StateFlow<SyncStatus> = core.syncEvents().stateIn(own, SharingStarted.Eagerly, core.syncStatus())

    /** Every change the core reports, written here or brought in by sync. */
    val changes: SharedFlow<DataChange> =
        core.changeEvents(onListening = { listening.complete(Unit) }).shareIn(own, SharingStarted.Eagerly)

    private val running = AtomicInteger()
    private val made = AtomicLong()

    /** Runs a local call (microseconds, but disk) off the calling thread. */
    suspend fun <T> local(call: Companion.() -> T): T {
        made.incrementAndGet()
        running.incrementAndGet()
        try {
            return withContext(io) { core.call() }
        } finally {
            running.decrementAndGet()
        }
    }

    /**
     * Whether no local call is running: an idling resource for UI tests and
     * the screen benchmark, which wait for screens to finish reading.
     */
    val isIdle: Boolean get() = running.get() == 0

    /** How many local calls were made so far, for the screen benchmark's count of calls per refresh. */
    val localCalls: Long get() = made.get()

    /**
     * [read] now, and again whenever records of [collections] of
     * [participantId] change (of anyone when it is null; and always after a
     * sync, which may have changed anything). A burst of changes while a read
     * runs gives one more read, not one per change.
     */
    fun <T> query(participantId: String?, collections: Set<Collection>, read: Companion.() -> T): Flow<T> =
        changes
            .onSubscription {
                // Read only once the core's events reach us: nothing written
                // between this read and the first event can be missed.
                listening.await()
                emit(EVERYTHING)
            }
            .filter { it.touches(participantId, collections) }
            .conflate()
            .transform { _ ->
                // A failing read (storage trouble) leaves the screen showing what it
                // last read rather than ending its flow; the next change reads again.
                try {
                    emit(local(read))
                } catch (failed: AlongsideException) {
                    // Nothing new to show.
                }
            }
            .distinctUntilChanged()

    override fun close() {
        job.cancel()
    }
}

/** What a new subscriber treats as "read now". */
private val EVERYTHING = DataChange(participantId = null, collections = Collection.entries, remote = false)

/** Whether a change may alter what a screen of [participantId] and [collections] shows. */
fun DataChange.touches(participantId: String?, collections: Set<Collection>): Boolean =
    (participantId == null || this.participantId == null || this.participantId == participantId) &&
        this.collections.any { it in collections }
