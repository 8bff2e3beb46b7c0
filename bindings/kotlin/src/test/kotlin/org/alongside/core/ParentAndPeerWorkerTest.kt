package org.alongside.core

import kotlinx.coroutines.runBlocking
import org.alongside.core.model.CheckIn
import org.alongside.core.model.ContactPriority
import org.alongside.core.model.EncounterLocation
import org.alongside.core.model.EncounterMode
import org.alongside.core.model.EncounterNote
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.OutboxState
import org.alongside.core.model.Profile
import org.alongside.core.model.ReachOutStatus
import org.alongside.core.model.ServiceType
import org.alongside.core.model.Sharing
import org.alongside.core.model.Urgency
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Instant
import java.time.LocalDate
import java.util.concurrent.CopyOnWriteArrayList

/**
 * A parent in recovery and her peer worker, each on their own phone (their own
 * encrypted database), through a real server on a loopback port.
 */
class ParentAndPeerWorkerTest : ServerTest() {
    /** A participant and her peer worker, on the caseload, each signed in on a phone. */
    private inner class Pair : AutoCloseable {
        private val n = serial.incrementAndGet()
        val rosaId = server.addUser("rosa$n", "participant", "Rosa")
        val willId = server.addUser("will$n", "peer_worker", "Will")
        val rosa: Companion
        val will: Companion

        init {
            server.assign("will$n", "rosa$n")
            rosa = openDevice(phones, "rosa-phone-$n", server.url)
            will = openDevice(phones, "will-phone-$n", server.url)
            runBlocking {
                rosa.login("rosa$n", PASSWORD)
                will.login("will$n", PASSWORD)
            }
            rosa.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
            runBlocking { rosa.syncNow() }
        }

        fun goal(title: String) = Goal(participantId = rosaId, title = title, area = GoalArea.PARENTING, status = GoalStatus.ACTIVE)

        override fun close() {
            rosa.close()
            will.close()
        }
    }

    @Test
    fun `a parent's offline goals, check-in and reach-out reach her peer worker, whose encounter note comes back`() {
        Pair().use { p ->
            val seen = CopyOnWriteArrayList<DataChange>()
            val watching = p.will.observeChanges(object : DataChangeObserver {
                override fun onChange(change: DataChange) {
                    seen.add(change)
                }
            })

            // No signal: the server is gone.
            server.stop()
            p.rosa.setNetworkAvailable(false)
            p.rosa.createGoal(p.goal("Walk the kids to school"))
            p.rosa.createGoal(p.goal("Two meetings a week").copy(area = GoalArea.RECOVERY))
            p.rosa.createCheckIn(CheckIn(participantId = p.rosaId, at = Instant.now(), mood = 2, craving = 6, note = "Hard morning"))
            val sent = runBlocking { p.rosa.reachOut(p.rosaId, Urgency.URGENT, "Can we talk today?") }

            assertEquals(Delivery.Waiting, sent.delivery, "offline, the reach-out waits")
            assertTrue(sent.help.crisisLines.any { line -> line.contacts.any { it.number == "988" } }, "the crisis lines are offered")
            val today = p.rosa.today(p.rosaId)
            assertEquals(2, today.activeGoals.size)
            assertEquals(listOf("Can we talk today?"), today.openReachOuts.map { it.message })
            assertTrue(today.pendingChanges >= 4uL, "goals, check-in and reach-out wait to be sent: ${today.pendingChanges}")

            // Signal again.
            server.start()
            p.rosa.setNetworkAvailable(true)
            runBlocking { p.rosa.syncNow() }
            assertEquals(emptyList<OutboxItem>(), p.rosa.outbox())

            // The peer worker's phone.
            runBlocking { p.will.syncNow() }
            val row = p.will.caseload().single { it.participantId == p.rosaId }
            assertEquals(ContactPriority.URGENT_REACH_OUT, row.priority)
            assertEquals("Can we talk today?", row.openReachOuts.single().message)
            assertEquals(emptyList<Goal>(), p.will.listGoals(p.rosaId), "goals are not shared")
            eventually("the peer worker's screens hear of the sync") { seen.any { it.remote } }
            watching.cancel()

            p.will.acknowledgeReachOut(sent.reachOut.id)
            val draft = p.will.draftEncounterNote(
                EncounterNote(
                    participantId = p.rosaId,
                    status = NoteStatus.DRAFT,
                    occurredOn = LocalDate.now(),
                    durationMinutes = 25,
                    mode = EncounterMode.PHONE,
                    location = EncounterLocation.COMMUNITY,
                    serviceTypes = listOf(ServiceType.CRISIS_SUPPORT, ServiceType.RECOVERY_COACHING),
                    goalIds = emptyList(),
                    summary = "Talked through a hard morning; made a plan for the afternoon.",
                    nextSteps = "Meet Thursday at the library",
                ),
            )
            val submitted = p.will.submitEncounterNote(draft.id)
            val locked = assertThrows<AlongsideException.Rejected> { p.will.updateEncounterNote(submitted, submitted.copy(summary = "changed")) }
            assertEquals("locked", locked.code)
            runBlocking { p.will.syncNow() }

            // Back on the parent's phone.
            runBlocking { p.rosa.syncNow() }
            val note = p.rosa.listEncounterNotes(p.rosaId).single()
            assertEquals(NoteStatus.SUBMITTED, note.status)
            assertEquals("Meet Thursday at the library", note.nextSteps)
            assertEquals(ReachOutStatus.ACKNOWLEDGED, p.rosa.getReachOut(sent.reachOut.id).status)
        }
    }

    @Test
    fun `what the peer worker may not write comes back refused, with the reason, and is kept`() {
        Pair().use { p ->
            runBlocking { p.will.syncNow() }
            p.will.createGoal(p.goal("Written without consent"))
            val report = runBlocking { p.will.syncNow() }
            assertEquals(1uL, report.rejected)
            val refused = p.will.outbox().single()
            assertEquals(OutboxState.REJECTED, refused.state)
            assertEquals("forbidden", refused.errorCode)
            assertTrue(refused.fieldsJson.contains("Written without consent"))
        }
    }

    @Test
    fun `sharing withdrawn purges the peer worker's copies`() {
        Pair().use { p ->
            p.rosa.setSharing(p.rosaId, Sharing(participantId = p.rosaId, goals = true, checkIns = true), null)
            p.rosa.createGoal(p.goal("Find a pediatrician"))
            p.rosa.createCheckIn(CheckIn(participantId = p.rosaId, at = Instant.now(), mood = 4))
            runBlocking { p.rosa.syncNow() }
            runBlocking { p.will.syncNow() }
            assertEquals(listOf("Find a pediatrician"), p.will.listGoals(p.rosaId).map { it.title })
            assertEquals(1, p.will.listCheckIns(p.rosaId).size)

            p.rosa.setSharing(p.rosaId, Sharing(participantId = p.rosaId, goals = false, checkIns = false), null)
            runBlocking { p.rosa.syncNow() }
            val report = runBlocking { p.will.syncNow() }

            assertTrue(report.purges >= 1uL, "the server sent a purge: $report")
            assertEquals(emptyList<Goal>(), p.will.listGoals(p.rosaId))
            assertEquals(emptyList<CheckIn>(), p.will.listCheckIns(p.rosaId))
            assertEquals(listOf("Find a pediatrician"), p.rosa.listGoals(p.rosaId).map { it.title }, "the parent keeps her own")
        }
    }
}
