package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.runDesktopComposeUiTest
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

/** What a parent does on their own phone, through the real screens, store and server. */
@OptIn(ExperimentalTestApi::class)
class ParticipantStoriesTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    private fun participant(): Pair<Phone, String> {
        val n = serial.incrementAndGet()
        server.addUser("maria$n", "peer_worker", "Maria")
        val id = server.addUser("rosa$n", "participant", "Rosa")
        server.assign("maria$n", "rosa$n")
        val rosa = Phone(phones, "rosa-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        rosa.core.setUpParticipant(Profile(participantId = id, displayName = "Rosa", timezone = "America/Chicago"))
        return rosa to id
    }

    @Test
    fun `a check-in with craving 11 shows why under the field and saves nothing, and a corrected one shows on Today`() =
        runDesktopComposeUiTest(400, 800) {
            val (rosa, id) = participant()
            val stage = Stage(rosa)
            showApp(stage)
            open(stage, Stop(rosa, Screen.Today, "today") { null })
            val waiting = rosa.core.pendingCount()

            onNodeWithText(words.labels.mood4).performScrollTo().performClick()
            onNode(hasSetTextAction() and hasText(words.today.craving)).performScrollTo().performTextInput("11")
            onNodeWithText(words.today.saveCheckIn).performScrollTo().performClick()
            settle()
            onNodeWithText("Choose a whole number from 0 to 10.").assertIsDisplayed()
            assertTrue(rosa.core.listCheckIns(id).isEmpty(), "nothing was saved")
            assertEquals(waiting, rosa.core.pendingCount(), "nothing waits to be sent")

            onNode(hasSetTextAction() and hasText(words.today.craving)).performTextReplacement("3")
            onNodeWithText(words.today.saveCheckIn).performScrollTo().performClick()
            settle()
            assertEquals(0, onAllNodesWithText("Choose a whole number from 0 to 10.").fetchSemanticsNodes().size, "the reason goes with the mistake")
            onNodeWithText(words.today.checkedIn).assertExists()
            onNodeWithText("Last check-in just now: Good · craving 3 of 10").assertExists()
            assertEquals(listOf(3L), rosa.core.listCheckIns(id).map { it.craving })
            rosa.close()
        }

    @Test
    fun `recording GAS progress on a goal moves the overall score shown`() = runDesktopComposeUiTest(400, 800) {
        val (rosa, id) = participant()
        val walk = rosa.core.createGoal(Goal(participantId = id, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE))
        val stage = Stage(rosa)
        showApp(stage)
        open(stage, Stop(rosa, Screen.Goals, "goals") { null })
        onNodeWithText(words.goals.overallNone).assertExists()

        // One goal at +1: T = 50 + 10·1/√(0.7 + 0.3) = 60.
        open(stage, Stop(rosa, Screen.Goal(walk.id), "goal") { null })
        onNodeWithText(words.labels.levelMore).performScrollTo().performClick()
        onNodeWithText(words.goals.record).performClick()
        settle()
        onNodeWithText(words.goals.progressSaved).assertExists()
        onNodeWithText("Now: More than expected").assertExists()
        open(stage, Stop(rosa, Screen.Goals, "goals") { null })
        onNodeWithText("Overall: 60").assertIsDisplayed()

        // +2 moves it to 70.
        open(stage, Stop(rosa, Screen.Goal(walk.id), "goal") { null })
        onNodeWithText(words.labels.levelMuchMore).performScrollTo().performClick()
        onNodeWithText(words.goals.record).performClick()
        settle()
        open(stage, Stop(rosa, Screen.Goals, "goals") { null })
        onNodeWithText("Overall: 70").assertIsDisplayed()
        rosa.close()
    }
}
