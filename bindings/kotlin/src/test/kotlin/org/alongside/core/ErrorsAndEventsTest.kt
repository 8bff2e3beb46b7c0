package org.alongside.core

import org.alongside.core.model.CheckIn
import org.alongside.core.model.Collection
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.SyncState
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Instant
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList

/** Errors as Kotlin exceptions, and events through the shell's observers. */
class ErrorsAndEventsTest : ServerTest() {
    @Test
    fun `validation errors arrive as the Kotlin exception with the field named, and nothing is written`() {
        openDevice(phones, "validation", server.url).use { phone ->
            val me = UUID.randomUUID().toString()
            val mood = assertThrows<AlongsideException.Validation> {
                phone.createCheckIn(CheckIn(participantId = me, at = Instant.now(), mood = 9))
            }
            assertEquals("mood", mood.field)
            val title = assertThrows<AlongsideException.Validation> {
                phone.createGoal(Goal(participantId = me, title = "", area = GoalArea.HEALTH, status = GoalStatus.ACTIVE))
            }
            assertEquals("title", title.field)
            assertTrue(title.message!!.contains("title"))
            // The calls after a failure, on the same thread, reuse its call status
            // (patch_kotlin.py): they must not see the failure again.
            assertEquals(emptyList<CheckIn>(), phone.listCheckIns(me))
            assertEquals(0uL, phone.pendingCount())

            val missing = assertThrows<AlongsideException.NotFound> { phone.getGoal(UUID.randomUUID().toString()) }
            assertEquals("goals", missing.collection)
        }
    }

    @Test
    fun `a wrong key is WrongKey and leaves the database as it was`() {
        val key = newKey()
        val me = UUID.randomUUID().toString()
        openDevice(phones, "keys", server.url, key).use { phone ->
            phone.createCheckIn(CheckIn(participantId = me, at = Instant.now(), mood = 3))
        }
        assertThrows<AlongsideException.WrongKey> { openDevice(phones, "keys", server.url, newKey()) }
        val short = assertThrows<AlongsideException.Validation> { openDevice(phones, "keys", server.url, ByteArray(16)) }
        assertEquals("key", short.field)
        openDevice(phones, "keys", server.url, key).use { phone -> assertEquals(1, phone.listCheckIns(me).size) }
    }

    @Test
    fun `signing in with a wrong password is WrongCredentials, and syncing before signing in is NotSignedIn`() {
        server.addUser("dana", "participant", "Dana")
        openDevice(phones, "dana", server.url).use { phone ->
            assertThrows<AlongsideException.NotSignedIn> { kotlinx.coroutines.runBlocking { phone.syncNow() } }
            assertThrows<AlongsideException.WrongCredentials> { kotlinx.coroutines.runBlocking { phone.login("dana", "not the password at all") } }
            val account = kotlinx.coroutines.runBlocking { phone.login("dana", PASSWORD) }
            assertEquals(Role.PARTICIPANT, account.role)
            assertEquals(account, phone.account())
        }
    }

    @Test
    fun `status callbacks fire in order, a failing observer harms nothing, and cancel stops them`() {
        val id = server.addUser("sam", "participant", "Sam")
        openDevice(phones, "sam", server.url).use { phone ->
            kotlinx.coroutines.runBlocking { phone.login("sam", PASSWORD) }
            val statuses = CopyOnWriteArrayList<SyncStatus>()
            val changes = CopyOnWriteArrayList<DataChange>()
            val failing = phone.observeSync(object : SyncStatusObserver {
                override fun onStatus(status: SyncStatus) = throw IllegalStateException("a screen with a bug")
            })
            val watching = phone.observeSync(object : SyncStatusObserver {
                override fun onStatus(status: SyncStatus) {
                    statuses.add(status)
                }
            })
            val changeWatch = phone.observeChanges(object : DataChangeObserver {
                override fun onChange(change: DataChange) {
                    changes.add(change)
                }
            })

            phone.setNetworkAvailable(false)
            repeat(3) { phone.createCheckIn(CheckIn(participantId = id, at = Instant.now(), mood = 3L + it)) }
            eventually("three changes wait, offline") { statuses.any { it.state is SyncState.Offline && it.pending == 3uL } }
            phone.setNetworkAvailable(true)
            eventually("the changes are sent") { statuses.lastOrNull()?.let { it.state is SyncState.Idle && it.pending == 0uL } == true }

            val offline = statuses.filter { it.state is SyncState.Offline }.map { it.pending }
            assertEquals(offline.sorted(), offline, "while offline the waiting count only grows: $offline")
            val lastOffline = statuses.indexOfLast { it.state is SyncState.Offline }
            val online = statuses.drop(lastOffline + 1)
            assertTrue(online.first().state is SyncState.Syncing, "back online, a pass starts: $online")
            assertTrue(online.dropWhile { it.state is SyncState.Syncing }.all { it.state is SyncState.Idle }, "then it ends: $online")
            assertTrue(online.last().lastSuccess != null)

            eventually("three local changes were announced") { changes.size >= 3 }
            assertTrue(changes.take(3).all { it.participantId == id && it.collections == listOf(Collection.CHECK_INS) && !it.remote })

            failing.cancel()
            watching.cancel()
            changeWatch.cancel()
            val heard = statuses.size
            phone.createCheckIn(CheckIn(participantId = id, at = Instant.now(), mood = 5))
            kotlinx.coroutines.runBlocking { phone.syncNow() }
            Thread.sleep(300)
            assertEquals(heard, statuses.size, "no status after cancel")
            assertFalse(phone.syncStatus().state is SyncState.Offline)
        }
    }

    @Test
    fun `crisis lines need no database`() {
        val lines = crisisResources()
        assertTrue(lines.any { it.name.contains("988") })
        assertTrue(lines.flatMap { it.contacts }.any { it.number == "741741" && it.textBody == "HOME" })
    }
}
