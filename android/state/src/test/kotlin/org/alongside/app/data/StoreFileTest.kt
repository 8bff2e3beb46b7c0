package org.alongside.app.data

import java.nio.file.Files
import org.alongside.core.AlongsideException
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.newKey
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Opening the store after a key replacement that stopped half-way, over the real library. */
class StoreFileTest {
    private val me = "0f8fad5b-d9cb-469f-a165-70867728950e"
    private val dir = Files.createTempDirectory("alongside-store-file")
    private val path = dir.resolve("alongside.db").toString()
    private val offline = "http://127.0.0.1:9"

    @AfterEach
    fun clean() {
        dir.toFile().deleteRecursively()
    }

    /** A store left under a key nobody kept: re-encrypted, then the app stopped before keeping it. */
    private fun strandedUnder(kept: ByteArray) {
        openStore(path, kept, offline, "phone", replacingKey = false).use { store -> store.rekey(newKey()) }
    }

    @Test
    fun `a phone that stopped while replacing its key opens again, empty`() {
        val kept = newKey()
        strandedUnder(kept)
        assertThrows<AlongsideException.WrongKey> { openStore(path, kept, offline, "phone", replacingKey = false).close() }
        openStore(path, kept, offline, "phone", replacingKey = true).use { store ->
            assertEquals(emptyList<Goal>(), store.listGoals(me))
            val made = store.createGoal(Goal(participantId = me, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE))
            assertEquals(listOf(made.id), store.listGoals(me).map { it.id })
        }
        // And the new database is under the kept key from now on.
        openStore(path, kept, offline, "phone", replacingKey = false).close()
    }

    @Test
    fun `without a replacement under way a wrong key is refused and the database kept`() {
        val kept = newKey()
        openStore(path, kept, offline, "phone", replacingKey = false).use { store ->
            store.createGoal(Goal(participantId = me, title = "Call my sponsor", area = GoalArea.RECOVERY, status = GoalStatus.ACTIVE))
        }
        assertThrows<AlongsideException.WrongKey> { openStore(path, newKey(), offline, "phone", replacingKey = false).close() }
        openStore(path, kept, offline, "phone", replacingKey = false).use { store ->
            assertEquals(listOf("Call my sponsor"), store.listGoals(me).map { it.title })
        }
    }

    @Test
    fun `a replacement that stopped before re-encrypting leaves the store as it was`() {
        val kept = newKey()
        openStore(path, kept, offline, "phone", replacingKey = false).use { store ->
            store.createGoal(Goal(participantId = me, title = "Call my sponsor", area = GoalArea.RECOVERY, status = GoalStatus.ACTIVE))
        }
        openStore(path, kept, offline, "phone", replacingKey = true).use { store ->
            assertEquals(listOf("Call my sponsor"), store.listGoals(me).map { it.title })
        }
    }

    @Test
    fun `only a store that cannot be read is one to start over`() {
        assertTrue(unreadable(AlongsideException.WrongKey()))
        assertTrue(unreadable(javax.crypto.AEADBadTagException("the wrapped key does not unwrap")))
        assertFalse(unreadable(java.io.IOException("No space left on device")))
    }
}
