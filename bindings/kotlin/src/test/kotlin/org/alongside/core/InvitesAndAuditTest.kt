package org.alongside.core

import kotlinx.coroutines.runBlocking
import org.alongside.core.model.AuditEntry
import org.alongside.core.model.CheckIn
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Profile
import org.alongside.core.model.Sharing
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

/**
 * A peer worker signs a parent up with an invite code read over the phone, and
 * the parent reads who has pulled her records: `invite`, `register`,
 * `participants` and `audit`, through a real server on a loopback port.
 *
 * The server counts failed sign-ups per client address (10 per 15 minutes), and
 * every test here comes from 127.0.0.1: the tests of this class fail three in all.
 */
class InvitesAndAuditTest : ServerTest() {
    /** A peer worker with nobody on his caseload yet, signed in on his phone. */
    private inner class PeerWorker : AutoCloseable {
        val n = serial.incrementAndGet()
        val id = server.addUser("will$n", "peer_worker", "Will")
        val phone = openDevice(phones, "will-phone-$n", server.url).also { it.signIn("will$n") }

        override fun close() = phone.close()
    }

    /** A fresh phone that is not signed in. */
    private fun freshPhone(name: String): Companion =
        openDevice(phones, "$name-${serial.incrementAndGet()}", server.url).also { assertNull(it.account(), "a fresh phone is signed in as nobody") }

    /** The parent signs up on [phone] with [code], and the first sync pass is done. */
    private fun Companion.registerWith(code: String, username: String, displayName: String): Account =
        runBlocking { register(code, username, PASSWORD, displayName).also { syncNow() } }

    private fun participantsOf(phone: Companion): List<ParticipantSummary> = runBlocking { phone.participants() }

    private fun auditOf(phone: Companion, participantId: String): List<AuditEntry> = runBlocking { phone.audit(participantId) }

    /** How a parent types a code she was read over the phone: lower case, a space for the hyphen. */
    private fun asTyped(code: String) = code.lowercase().replace('-', ' ')

    @Test
    fun `a peer worker's invite, read over the phone, signs the parent up on a fresh phone and onto his caseload`() {
        PeerWorker().use { will ->
            assertEquals(emptyList<ParticipantSummary>(), participantsOf(will.phone), "nobody on the caseload yet")

            val asked = Instant.now().truncatedTo(ChronoUnit.SECONDS)
            val invite = runBlocking { will.phone.invite("Rosa") }
            val answered = Instant.now()
            assertTrue(Regex("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}").matches(invite.code), "a code to read aloud: ${invite.code}")
            val expires = invite.expiresAt
            assertTrue(
                expires >= asked + Duration.ofDays(7) && expires <= answered + Duration.ofDays(7),
                "the code is good for 7 days: asked $asked, expires $expires",
            )

            freshPhone("rosa-phone").use { rosa ->
                val account = rosa.registerWith(asTyped(invite.code), "rosa${will.n}", "Rosa")
                assertEquals(Role.PARTICIPANT, account.role)
                assertEquals("Rosa", account.displayName)
                assertEquals(account, rosa.account(), "the phone stays signed in")
                val rosaId = account.userId

                assertEquals(listOf(ParticipantSummary(rosaId, "Rosa", emptyList())), participantsOf(rosa), "a parent sees herself")
                assertEquals(
                    listOf(ParticipantSummary(rosaId, "Rosa", emptyList())),
                    participantsOf(will.phone),
                    "she is on the inviting peer worker's caseload, sharing nothing yet",
                )

                rosa.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
                rosa.setSharing(rosaId, Sharing(participantId = rosaId, goals = true), null)
                rosa.createGoal(Goal(participantId = rosaId, title = "Get my license back", area = GoalArea.LEGAL, status = GoalStatus.ACTIVE))
                runBlocking { rosa.syncNow() }

                assertEquals(listOf("goals"), participantsOf(will.phone).single().shared, "the peer worker sees what she shares now")
                runBlocking { will.phone.syncNow() }
                assertEquals(listOf(rosaId), will.phone.caseload().map { it.participantId })
                assertEquals(listOf("Get my license back"), will.phone.listGoals(rosaId).map { it.title })

                // The account is hers: she signs in with it on another phone.
                openDevice(phones, "rosa-tablet-${will.n}", server.url).use { tablet ->
                    assertEquals(rosaId, tablet.signIn("rosa${will.n}").userId)
                    assertEquals(listOf("Get my license back"), tablet.listGoals(rosaId).map { it.title })
                }
            }
        }
    }

    @Test
    fun `an invite code signs up one parent only, and a mistyped code is refused without creating anyone`() {
        PeerWorker().use { will ->
            val forRosa = runBlocking { will.phone.invite("Rosa") }
            val rosaId = freshPhone("rosa-phone").use { it.registerWith(forRosa.code, "rosa${will.n}", "Rosa").userId }

            // Someone else tries the same code.
            freshPhone("stranger-phone").use { stranger ->
                val used = assertThrows<AlongsideException.Server> {
                    runBlocking { stranger.register(forRosa.code, "someone${will.n}", PASSWORD, "Someone") }
                }
                assertEquals(409.toUShort(), used.status)
                assertEquals("conflict", used.code)
                assertTrue(used.reason.contains("used"), "the reason says the code was used: ${used.reason}")
                assertNull(stranger.account(), "the stranger's phone is not signed in")
            }
            assertEquals(listOf(rosaId), participantsOf(will.phone).map { it.participantId }, "nobody was added")

            val forTess = runBlocking { will.phone.invite("Tess") }
            freshPhone("tess-phone").use { tess ->
                // One character misheard, and a code with look-alikes (0, O, 1, I) no code has.
                val misheard = forTess.code.dropLast(1) + (if (forTess.code.last() == '2') '3' else '2')
                for (typed in listOf(misheard, "0O1I-0O1I")) {
                    val refused = assertThrows<AlongsideException.Validation>(typed) {
                        runBlocking { tess.register(typed, "tess${will.n}", PASSWORD, "Tess") }
                    }
                    assertEquals("invite_code", refused.field, "the form can highlight the code: $typed")
                    assertTrue(refused.reason.isNotBlank())
                }
                assertNull(tess.account(), "nothing was stored on her phone")
                assertEquals(listOf(rosaId), participantsOf(will.phone).map { it.participantId }, "nobody was added to the caseload")
                assertThrows<AlongsideException.WrongCredentials>("no account was made") {
                    runBlocking { tess.login("tess${will.n}", PASSWORD) }
                }

                // The right code, and the same username, still work.
                val tessId = tess.registerWith(forTess.code, "tess${will.n}", "Tess").userId
                assertEquals(setOf(rosaId, tessId), participantsOf(will.phone).map { it.participantId }.toSet())
            }
        }
    }

    @Test
    fun `only a peer worker hands out invites`() {
        PeerWorker().use { will ->
            val invite = runBlocking { will.phone.invite("Rosa") }
            freshPhone("rosa-phone").use { rosa ->
                rosa.registerWith(invite.code, "rosa${will.n}", "Rosa")
                assertThrows<AlongsideException.Forbidden>("a parent cannot invite a friend") { runBlocking { rosa.invite("Dee") } }
            }
            server.addUser("admin${will.n}", "admin", "Office")
            openDevice(phones, "office-${will.n}", server.url).use { office ->
                office.signIn("admin${will.n}")
                assertThrows<AlongsideException.Forbidden>("administrators add users with the CLI") { runBlocking { office.invite("Dee") } }
            }
            val nameless = assertThrows<AlongsideException.Validation>("an invite needs a name") { runBlocking { will.phone.invite("  ") } }
            assertEquals("display_name", nameless.field)
        }
    }

    /** A peer worker and a parent he signed up, who shares her goals and keeps her check-ins. */
    private inner class Signed : AutoCloseable {
        val will = PeerWorker()
        val rosa: Companion = freshPhone("rosa-phone")
        val rosaId: String

        init {
            val invite = runBlocking { will.phone.invite("Rosa") }
            rosaId = rosa.registerWith(invite.code, "rosa${will.n}", "Rosa").userId
            rosa.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
            rosa.setSharing(rosaId, Sharing(participantId = rosaId, goals = true), null)
            rosa.createGoal(Goal(participantId = rosaId, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE))
            rosa.createCheckIn(CheckIn(participantId = rosaId, at = Instant.now(), mood = 2, craving = 7, note = "Kept to myself"))
            runBlocking { rosa.syncNow() }
        }

        override fun close() {
            rosa.close()
            will.close()
        }
    }

    @Test
    fun `the parent's trail shows her peer worker's pull of what she shares, and nothing she keeps to herself`() {
        Signed().use { s ->
            val before = auditOf(s.rosa, s.rosaId)
            assertEquals(emptyList<AuditEntry>(), before.filter { it.actorId == s.will.id }, "her peer worker has pulled nothing yet")
            val ownPush = before.filter { it.actorId == s.rosaId && it.action == "push" }
            assertTrue(ownPush.isNotEmpty() && ownPush.all { it.actorRole == "participant" }, "her own pushes are on it: $before")
            assertTrue(ownPush.flatMap { it.collections }.containsAll(listOf("check_ins", "goals")), "$ownPush")

            val pulled = Instant.now().truncatedTo(ChronoUnit.SECONDS)
            runBlocking { s.will.phone.syncNow() }
            val done = Instant.now()
            assertEquals(listOf("Walk the kids to school"), s.will.phone.listGoals(s.rosaId).map { it.title })

            val byWill = auditOf(s.rosa, s.rosaId).filter { it.actorId == s.will.id }
            assertTrue(byWill.isNotEmpty(), "the pull is on her trail")
            for (entry in byWill) {
                assertEquals("peer_worker", entry.actorRole)
                assertEquals("pull", entry.action)
                assertEquals(s.rosaId, entry.participantId)
                val at = Instant.parse(entry.at)
                assertTrue(at >= pulled && at <= done, "pulled between $pulled and $done, not at $at")
            }
            assertEquals(
                setOf("goals", "profile", "sharing"),
                byWill.flatMap { it.collections }.toSet(),
                "what she shares and what is always seen; not her check-ins or coping strategies",
            )
            assertEquals(3uL, byWill.sumOf { it.count }, "her profile, her sharing and her one goal: $byWill")
        }
    }

    @Test
    fun `a parent's trail is for her and an administrator to read, not for her peer worker or another parent`() {
        Signed().use { s ->
            runBlocking { s.will.phone.syncNow() }
            val hers = auditOf(s.rosa, s.rosaId)
            assertTrue(hers.any { it.actorId == s.will.id && it.action == "pull" }, "$hers")

            val peer = assertThrows<AlongsideException.Forbidden>("the peer worker") { auditOf(s.will.phone, s.rosaId) }
            assertTrue(peer.reason.contains("audit"), peer.reason)

            val invite = runBlocking { s.will.phone.invite("Tess") }
            freshPhone("tess-phone").use { tess ->
                val tessId = tess.registerWith(invite.code, "tess${s.will.n}", "Tess").userId
                assertThrows<AlongsideException.Forbidden>("another parent on the same caseload") { auditOf(tess, s.rosaId) }
                assertThrows<AlongsideException.Forbidden>("nor Tess's, for Rosa") { auditOf(s.rosa, tessId) }
            }

            server.addUser("admin${s.will.n}", "admin", "Office")
            openDevice(phones, "office-${s.will.n}", server.url).use { office ->
                office.signIn("admin${s.will.n}")
                val asSeen = auditOf(office, s.rosaId)
                assertEquals(hers.filter { it.actorId == s.will.id }, asSeen.filter { it.actorId == s.will.id }, "the same pull, to an administrator")
                assertTrue(asSeen.all { it.participantId == s.rosaId }, "$asSeen")
                assertEquals(emptyList<AuditEntry>(), asSeen.filter { it.actorId != s.will.id && it.actorId != s.rosaId }, "the administrator pulled none of her records")
            }
        }
    }
}
