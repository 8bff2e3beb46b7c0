package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlinx.coroutines.runBlocking
import org.alongside.app.state.Screen
import org.alongside.core.ServerTest
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Language
import org.alongside.core.model.Profile
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** A lost phone, cleared from the person's other phone: it says so, and nothing of hers is left on it. */
@OptIn(ExperimentalTestApi::class)
class ClearedPhoneTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    @Test
    fun `a phone cleared from another device deletes what it held, replaces its key and says why`() = runDesktopComposeUiTest(400, 800) {
        val n = serial.incrementAndGet()
        val rosaId = server.addUser("rosa$n", "participant", "Rosa")
        val lost = Phone(phones, "lost-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        val other = Phone(phones, "other-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        lost.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
        lost.core.createGoal(Goal(participantId = rosaId, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE))
        lost.sync()

        val stage = Stage(lost)
        showApp(stage)
        open(stage, Stop(lost, Screen.Today, "today") { null })

        // From her other phone: her devices, and "clear the old one".
        val devices = runBlocking { other.core.devices() }
        assertEquals(2, devices.size)
        assertEquals(1, devices.count { it.thisDevice }, "the phone asking is marked")
        runBlocking { other.core.signOutDevice(devices.first { !it.thisDevice }.id, wipe = true) }

        // The lost phone's next contact.
        runCatching { lost.sync() }
        await("the lost phone says it was cleared", 10_000) { texts().contains(words.signIn.cleared) }
        assertTrue(lost.core.listGoals(rosaId).isEmpty(), "her goals are gone")
        assertEquals(null, lost.core.account(), "and the sign-in")
        assertEquals(1, lost.platform.keysReplaced.get(), "the old database key was replaced")
        assertEquals(1, runBlocking { other.core.devices() }.size)
        lost.close()
        other.close()
    }
}
