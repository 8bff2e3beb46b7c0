package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
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

        // From her other phone, on "Your devices": the old one, and "Sign out and clear it".
        val stage = Stage(other)
        showApp(stage)
        open(stage, Stop(other, Screen.Devices, "devices") { null })
        await("both devices are listed", 10_000) { texts().any { it.startsWith("other-$n") } && texts().contains("lost-$n") }
        assertTrue(texts().contains("other-$n · ${words.devices.thisDevice}"), "the phone in her hand is marked: ${texts()}")
        onNodeWithText(words.devices.clear).performClick()
        await("signed out", 10_000) { texts().contains(words.devices.done) }
        assertEquals(1, runBlocking { other.core.devices() }.size)
        stage.phone = lost
        open(stage, Stop(lost, Screen.Today, "today") { null })

        // The lost phone's next contact.
        runCatching { lost.sync() }
        await("the lost phone says it was cleared", 10_000) { texts().contains(words.signIn.cleared) }
        assertTrue(lost.core.listGoals(rosaId).isEmpty(), "her goals are gone")
        assertEquals(null, lost.core.account(), "and the sign-in")
        assertEquals(1, lost.platform.keysReplaced.get(), "the old database key was replaced")
        lost.close()
        other.close()
    }
}
