package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.runDesktopComposeUiTest
import org.alongside.app.state.Screen
import org.alongside.core.ServerTest
import org.alongside.core.model.Contact
import org.alongside.core.model.ContactRole
import org.alongside.core.model.Language
import org.alongside.core.model.Profile
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Reaching help with no signal: the truth at once, a call and the crisis lines, then "Maria has it". */
@OptIn(ExperimentalTestApi::class)
class ReachingHelpTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    @Test
    fun `a parent with no signal is offered Maria and the crisis lines at once, and told Maria has it when signal returns`() =
        runDesktopComposeUiTest(400, 800) {
            val n = serial.incrementAndGet()
            server.addUser("maria$n", "peer_worker", "Maria")
            val rosaId = server.addUser("rosa$n", "participant", "Rosa")
            val danaId = server.addUser("dana$n", "participant", "Dana")
            server.assign("maria$n", "rosa$n")
            server.assign("maria$n", "dana$n")
            Phone(phones, "dana-$n", server.url, Language.ENGLISH).signIn("dana$n").use { dana ->
                dana.core.setUpParticipant(Profile(participantId = danaId, displayName = "Dana", timezone = "America/Chicago"))
                dana.core.sendMessage(danaId, "Can you help with the school forms?")
                dana.sync()
            }
            val rosa = Phone(phones, "rosa-$n", server.url, Language.ENGLISH).signIn("rosa$n")
            val maria = Phone(phones, "maria-$n", server.url, Language.ENGLISH).signIn("maria$n")
            rosa.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
            rosa.core.createContact(Contact(participantId = rosaId, name = "Maria", role = ContactRole.PEER_WORKER, phone = "+13125550142", canText = true))
            rosa.sync()
            maria.sync()

            val stage = Stage(rosa)
            showApp(stage)
            open(stage, Stop(rosa, Screen.Today, "today") { null })

            // No signal.
            server.stop()
            rosa.core.setNetworkAvailable(false)
            onNodeWithText(words.today.needToTalk).performClick()
            settle()
            onNodeWithText(words.labels.urgencyUrgent).performClick()
            onNodeWithText(words.reachOut.send).performClick()
            settle()

            onNodeWithText(words.reachOut.waiting).assertIsDisplayed()
            onNodeWithText("Call Maria", substring = true).performClick()
            assertEquals(listOf("+13125550142"), rosa.platform.calls, "the call goes to Maria's number")
            for (line in listOf("Call 988", "Text 988", "Call 1-800-662-4357", "Text HOME to 741741", "Call 911")) {
                onNodeWithText(line).assertExists("the crisis line \"$line\" is offered at once")
            }

            // Today tells the same truth.
            open(stage, Stop(rosa, Screen.Today, "today") { null })
            onNodeWithText("${words.reachOut.statusWaiting} · just now", substring = true).assertExists()
            open(stage, Stop(rosa, Screen.ReachOut, "reach-out") { null })
            onNodeWithText(words.labels.urgencyUrgent).performClick()
            onNodeWithText(words.reachOut.send).performClick()
            settle()

            // Signal returns: the screen says Maria has it, and Today that it was sent.
            server.start()
            rosa.core.setNetworkAvailable(true)
            await("the reach-out is delivered", 30_000) { onAllNodesWithText("Maria has it.").fetchSemanticsNodes().isNotEmpty() }
            open(stage, Stop(rosa, Screen.Today, "today") { null })
            assertTrue(texts().none { it.startsWith(words.reachOut.statusWaiting) }, "nothing says waiting once it was sent: ${texts()}")
            assertTrue(texts().any { it.startsWith(words.reachOut.statusOpen) })

            // On Maria's phone, Rosa comes first, marked urgent.
            maria.sync()
            open(stage, Stop(maria, Screen.Caseload, "caseload") { null })
            val order = texts().filter { it == "Rosa" || it == "Dana" }
            assertEquals(listOf("Rosa", "Dana"), order, "Rosa's urgent reach-out puts her before Dana's unread message")
            onNodeWithText("Urgent reach-out, just now").assertIsDisplayed()
            assertTrue(texts().any { it == "1 unread message" }, "Dana is still there, with why")

            rosa.close()
            maria.close()
        }

    @Test
    fun `a parent nobody has on their caseload yet is never told it was delivered, and is offered the lines`() =
        runDesktopComposeUiTest(400, 800) {
            val n = serial.incrementAndGet()
            val rosaId = server.addUser("alone$n", "participant", "Rosa")
            val rosa = Phone(phones, "alone-$n", server.url, Language.ENGLISH).signIn("alone$n")
            rosa.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
            rosa.sync()

            val stage = Stage(rosa)
            showApp(stage)
            open(stage, Stop(rosa, Screen.ReachOut, "reach-out") { null })
            onNodeWithText(words.labels.urgencyUrgent).performClick()
            onNodeWithText(words.reachOut.send).performClick()
            await("the answer", 10_000) { texts().contains(words.reachOut.unassigned) }
            assertTrue(texts().none { it.endsWith(words.reachOut.delivered.substringAfter("}")) }, "never \"has it\": ${texts()}")
            onNodeWithText("Call 988").assertExists("the crisis lines are offered at once")
            rosa.close()
        }
}

/** Waits for [condition], failing with what was awaited. */
@OptIn(ExperimentalTestApi::class)
fun androidx.compose.ui.test.ComposeUiTest.await(what: String, timeoutMs: Long, condition: () -> Boolean) {
    try {
        waitUntil(conditionDescription = what, timeoutMillis = timeoutMs, condition = condition)
    } catch (timeout: androidx.compose.ui.test.ComposeTimeoutException) {
        throw AssertionError("timed out waiting until $what; on screen: ${texts()}", timeout)
    }
}
