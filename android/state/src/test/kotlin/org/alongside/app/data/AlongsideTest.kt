package org.alongside.app.data

import java.nio.file.Files
import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.alongside.core.AlongsideException
import org.alongside.core.model.CheckIn
import org.alongside.core.model.Collection
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.SyncState
import org.alongside.core.openDevice
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The Kotlin layer over a real store (no server: every sync fails as offline). */
class AlongsideTest {
    private val me = "0f8fad5b-d9cb-469f-a165-70867728950e"
    private val dir = Files.createTempDirectory("alongside-state")
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val phone = openDevice(dir, "phone", "http://127.0.0.1:9")
    private val app = Alongside(phone, scope)

    @AfterEach
    fun close() {
        app.close()
        scope.cancel()
        phone.close()
        dir.toFile().deleteRecursively()
    }

    private fun goal(title: String) = Goal(participantId = me, title = title, area = GoalArea.PARENTING, status = GoalStatus.ACTIVE)

    @Test
    fun `a query reads at once and again after a write, and a burst of writes gives few reads`() = runBlocking {
        val reads = java.util.concurrent.atomic.AtomicInteger()
        val seen = mutableListOf<Int>()
        val watching = launch(Dispatchers.Default) {
            app.query(me, setOf(Collection.GOALS)) { reads.incrementAndGet(); listGoals(me).size }
                .takeWhile { it < 100 }
                .toList(seen)
        }
        withTimeout(5_000) { while (seen.isEmpty()) delay(5) }
        assertEquals(listOf(0), seen, "read at once")
        app.local { createGoal(goal("Walk the kids to school")) }
        withTimeout(5_000) { while (seen.last() != 1) delay(5) }

        // 99 more in a burst: the screen ends on the last, with far fewer reads than writes.
        val before = reads.get()
        app.local { repeat(99) { createGoal(goal("Goal $it")) } }
        withTimeout(10_000) { watching.join() }
        assertTrue(reads.get() - before < 99, "a burst of 99 writes read ${reads.get() - before} times")
        assertTrue(seen.zipWithNext().all { (a, b) -> b > a }, "each emission is new: $seen")
    }

    @Test
    fun `a query does not read again for other collections or other people`() = runBlocking {
        val reads = java.util.concurrent.atomic.AtomicInteger()
        val watching = launch(Dispatchers.Default) { app.query(me, setOf(Collection.GOALS)) { reads.incrementAndGet() }.collect {} }
        withTimeout(5_000) { while (reads.get() == 0) delay(5) }
        app.local { createCheckIn(CheckIn(participantId = me, at = Instant.now(), mood = 3)) }
        app.local { createGoal(goal("Someone else's").copy(participantId = "7c9e6679-7425-40de-944b-e07fc1f90ae7")) }
        delay(300)
        assertEquals(1, reads.get(), "a check-in, or another person's goal, is not this screen's business")
        app.local { createGoal(goal("Mine")) }
        withTimeout(5_000) { while (reads.get() < 2) delay(5) }
        watching.cancel()
    }

    @Test
    fun `sync status is a state flow that follows the engine`() = runBlocking {
        phone.setNetworkAvailable(false)
        val offline = withTimeout(10_000) { app.syncStatus.first { it.state == SyncState.Offline || it.state == SyncState.SignedOut } }
        assertTrue(offline.state != SyncState.Syncing)
        app.local { createGoal(goal("Waits for signal")) }
        withTimeout(10_000) { app.syncStatus.first { it.pending >= 1u } }
        Unit
    }

    @Test
    fun `a refused write is a field and a reason for the form, in the person's language`() = runBlocking {
        org.alongside.core.setLanguage(org.alongside.core.model.Language.SPANISH)
        try {
            val refused = assertThrows<AlongsideException.Validation> {
                runBlocking { app.local { createCheckIn(CheckIn(participantId = me, at = Instant.now(), mood = 3, craving = 11)) } }
            }
            val problem = refused.toProblem()
            assertEquals("Elige un número entero del 0 al 10.", problem.reasonFor("craving"))
            assertEquals(null, problem.reasonFor("mood"))
            assertTrue(app.local { listCheckIns(me) }.isEmpty())
        } finally {
            org.alongside.core.setLanguage(org.alongside.core.model.Language.ENGLISH)
        }
    }

    @Test
    fun `templates fill like the core's`() {
        assertEquals("1 day in recovery", "{n} day in recovery|{n} days in recovery".count(1))
        assertEquals("3 days in recovery", "{n} day in recovery|{n} days in recovery".count(3))
        assertEquals("Maria has it.", "{name} has it.".fill("name" to "Maria"))
    }
}
