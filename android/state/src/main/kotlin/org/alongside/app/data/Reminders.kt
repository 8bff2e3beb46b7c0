package org.alongside.app.data

import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.collectLatest
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.merge
import kotlinx.coroutines.flow.filterNotNull
import org.alongside.core.Account
import org.alongside.core.AlongsideException
import org.alongside.core.Role
import org.alongside.core.model.Collection
import org.alongside.core.model.Reminder

/**
 * Keeps the phone's scheduled local notifications equal to what the core
 * computes for the signed-in participant: read again after every change of
 * their records, when the person saves their settings ([refresh]), and every
 * [every] as time moves on; handed to [platform] only when the set changed.
 * Nobody signed in, or a peer worker: nothing is scheduled.
 */
class ReminderKeeper(
    private val alongside: Alongside,
    private val platform: Platform,
    private val every: Duration = 1.hours,
) {
    private val asked = MutableSharedFlow<Unit>(extraBufferCapacity = 1, onBufferOverflow = BufferOverflow.DROP_OLDEST)

    /** Reads again now: the person changed their reminder settings. */
    fun refresh() {
        asked.tryEmit(Unit)
    }

    /** Runs until cancelled, following whoever [account] says is signed in. */
    suspend fun keep(account: StateFlow<Account?>) {
        account.collectLatest { who ->
            if (who == null || who.role != Role.PARTICIPANT) {
                platform.schedule(emptyList())
                return@collectLatest
            }
            val id = who.userId
            val onTime: Flow<List<Reminder>?> = merge(asked, ticks()).map { read(id) }
            merge(alongside.query(id, Collection.entries.toSet()) { reminders(id) }, onTime.filterNotNull())
                .distinctUntilChanged()
                .collect { platform.schedule(it) }
        }
    }

    private suspend fun read(participantId: String): List<Reminder>? =
        try {
            alongside.local { reminders(participantId) }
        } catch (failed: AlongsideException) {
            // Storage trouble: keep what is scheduled; the next tick reads again.
            null
        }

    private fun ticks(): Flow<Unit> = flow {
        while (true) {
            delay(every)
            emit(Unit)
        }
    }
}
