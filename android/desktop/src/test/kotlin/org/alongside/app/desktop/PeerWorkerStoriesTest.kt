package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runDesktopComposeUiTest
import org.alongside.app.state.Screen
import org.alongside.core.ServerTest
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Language
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.Profile
import org.alongside.core.model.Sharing
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** What a peer worker does in the field, and what the participant sees of it. */
@OptIn(ExperimentalTestApi::class)
class PeerWorkerStoriesTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    /** Maria and Rosa, Rosa sharing her goals, both phones synced. */
    private fun pair(): Triple<Phone, Phone, String> {
        val n = serial.incrementAndGet()
        server.addUser("maria$n", "peer_worker", "Maria")
        val rosaId = server.addUser("rosa$n", "participant", "Rosa")
        server.assign("maria$n", "rosa$n")
        val rosa = Phone(phones, "rosa-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        rosa.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
        rosa.core.setSharing(rosaId, Sharing(participantId = rosaId, goals = true, checkIns = true), null)
        rosa.core.createGoal(Goal(participantId = rosaId, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE, gasScore = 1))
        rosa.sync()
        val maria = Phone(phones, "maria-$n", server.url, Language.ENGLISH).signIn("maria$n")
        return Triple(maria, rosa, rosaId)
    }

    @Test
    fun `a title changed on two phones at once stays on the phone it lost on, and Use mine puts it back`() =
        runDesktopComposeUiTest(400, 800) {
            val (maria, rosa, rosaId) = pair()
            maria.sync()
            val goal = rosa.core.listGoals(rosaId).single()
            // Both change the title before either hears of the other; Maria's comes later, so it stands.
            rosa.core.updateGoal(goal, goal.copy(title = "Walk Maya and Leo to school"))
            Thread.sleep(5)
            val seen = maria.core.getGoal(goal.id)
            maria.core.updateGoal(seen, seen.copy(title = "Walk the kids to school, weekdays"))
            rosa.sync()
            maria.sync()
            rosa.sync()
            assertEquals("Walk the kids to school, weekdays", rosa.core.getGoal(goal.id).title)

            val stage = Stage(rosa)
            showApp(stage)
            open(stage, Stop(rosa, Screen.Outbox, "outbox") { null })
            onNodeWithText(words.conflicts.byPeerWorker).assertExists()
            onNodeWithText(words.conflicts.yours + ": Walk Maya and Leo to school").assertExists()
            onNodeWithText(words.conflicts.keepMine).performScrollTo().performClick()
            settle()
            assertEquals("Walk Maya and Leo to school", rosa.core.getGoal(goal.id).title)
            assertEquals(0, onAllNodesWithText(words.conflicts.keepMine).fetchSemanticsNodes().size, "settled, it is gone")
            rosa.sync()
            maria.sync()
            assertEquals("Walk Maya and Leo to school", maria.core.getGoal(goal.id).title)
            assertTrue(maria.core.conflicts().isEmpty(), "Maria's phone has nothing to settle")
        }

    @Test
    fun `a write refused when sharing ended can be let go, and then nothing is left of it`() =
        runDesktopComposeUiTest(400, 800) {
            val (maria, rosa, rosaId) = pair()
            maria.sync()
            val goal = maria.core.getGoal(rosa.core.listGoals(rosaId).single().id)
            maria.core.updateGoal(goal, goal.copy(title = "Walk the kids, weekdays"))
            rosa.core.setSharing(rosaId, Sharing(participantId = rosaId), null)
            rosa.sync()
            maria.sync()
            assertEquals(1, maria.core.refusedCount().toInt())

            val stage = Stage(maria)
            showApp(stage)
            open(stage, Stop(maria, Screen.Outbox, "outbox") { null })
            onNodeWithText(words.outbox.consentWithdrawn).assertExists()
            onNodeWithText(words.outbox.letGo).performScrollTo().performClick()
            settle()
            onNodeWithText(words.outbox.empty).assertExists()
            assertEquals(0, maria.core.refusedCount().toInt())
        }

    @Test
    fun `a note written offline is submitted, then locked to edits and open to amendment, and Rosa reads it after sync`() =
        runDesktopComposeUiTest(400, 800) {
            val (maria, rosa, rosaId) = pair()
            maria.core.setNetworkAvailable(false)
            val stage = Stage(maria)
            showApp(stage)
            open(stage, Stop(maria, Screen.Participant(rosaId), "participant") { null })
            onNodeWithText(words.participant.newNote).performClick()
            settle()
            onNode(hasSetTextAction() and hasText(words.note.minutes)).performScrollTo().performTextInput("45")
            onNode(hasSetTextAction() and hasText(words.note.summary)).performScrollTo().performTextInput("Met at the library; the school run is going well.")
            onNodeWithText(words.note.saveDraft).performScrollTo().performClick()
            settle()
            onNodeWithText(words.note.draftSaved).assertExists()
            val draft = maria.core.listEncounterNotes(rosaId).single()
            assertEquals(NoteStatus.DRAFT, draft.status)
            onNodeWithText(words.note.submit).performClick()
            settle()

            // Back on Rosa's page; the note is submitted and opens locked.
            assertEquals(NoteStatus.SUBMITTED, maria.core.getEncounterNote(draft.id).status)
            open(stage, Stop(maria, Screen.Note(rosaId, noteId = draft.id), "note") { null })
            onNodeWithText(words.note.locked).assertExists()
            onNodeWithText(words.note.amend).assertExists()
            assertEquals(0, onAllNodes(hasSetTextAction()).fetchSemanticsNodes().size, "a submitted note has nothing to edit")
            assertEquals(0, onAllNodesWithText(words.note.saveDraft).fetchSemanticsNodes().size)

            // Amending opens a new note that corrects it.
            onNodeWithText(words.note.amend).performClick()
            settle()
            onNodeWithText(words.note.amendment).assertExists()
            onNode(hasSetTextAction() and hasText(words.note.summary)).assertExists()

            // Signal: the note reaches Rosa's phone, and her notes screen.
            maria.core.setNetworkAvailable(true)
            maria.sync()
            rosa.sync()
            open(stage, Stop(rosa, Screen.Notes, "notes") { null })
            onNodeWithText("Met at the library; the school run is going well.").assertExists()
            maria.close()
            rosa.close()
        }

    @Test
    fun `when Rosa stops sharing goals, Maria's page for her is empty of them and says why, kindly`() = runDesktopComposeUiTest(400, 800) {
        val (maria, rosa, rosaId) = pair()
        val stage = Stage(maria)
        showApp(stage)
        open(stage, Stop(maria, Screen.Participant(rosaId), "participant") { null })
        onNodeWithText("Walk the kids to school").assertExists()

        // Rosa turns goals off on her Sharing screen.
        open(stage, Stop(rosa, Screen.Sharing, "sharing") { null })
        onNodeWithText(words.sharing.goals).performClick()
        onNodeWithText(words.sharing.save).performClick()
        settle()
        onNodeWithText(words.sharing.saved).assertExists()
        rosa.sync()

        // Maria's next sync: the goals are gone from her phone, and her page says why.
        maria.sync()
        open(stage, Stop(maria, Screen.Participant(rosaId), "participant") { null })
        assertEquals(0, onAllNodesWithText("Walk the kids to school").fetchSemanticsNodes().size, "goals on Maria's phone: ${maria.core.listGoals(rosaId)}, sharing ${maria.core.sharing(rosaId)}, on screen: ${texts()}")
        onNodeWithText("Rosa isn't sharing goals right now. That's their choice; if they share again, their goals come back here.").performScrollTo()
        assertTrue(maria.core.listGoals(rosaId).isEmpty(), "purged from Maria's phone, not only hidden")
        maria.close()
        rosa.close()
    }
}
