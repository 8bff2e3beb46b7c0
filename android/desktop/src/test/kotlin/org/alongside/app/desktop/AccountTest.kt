package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextClearance
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.runDesktopComposeUiTest
import kotlinx.coroutines.runBlocking
import org.alongside.app.state.Screen
import org.alongside.core.AlongsideException
import org.alongside.core.PASSWORD
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
import org.junit.jupiter.api.assertThrows

/** A person's account from the app: a new password, a reset code read out, and leaving. */
@OptIn(ExperimentalTestApi::class)
class AccountTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    /** Replaces what the field labelled [label] holds with [text]. */
    private fun androidx.compose.ui.test.ComposeUiTest.type(label: String, text: String) {
        val field = onNode(hasSetTextAction() and hasText(label)).performScrollTo()
        field.performTextClearance()
        field.performTextInput(text)
    }

    @Test
    fun `a new password signs the other phone out, and a reset code read out signs her back in`() = runDesktopComposeUiTest(400, 900) {
        val n = serial.incrementAndGet()
        server.addUser("rosa$n", "participant", "Rosa")
        val phone = Phone(phones, "phone-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        val tablet = Phone(phones, "tablet-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        val stage = Stage(phone)
        showApp(stage)
        open(stage, Stop(phone, Screen.Account, "account") { null })

        // A wrong current password is said under its field, in her words.
        type(words.account.currentPassword, "not it")
        type(words.account.newPassword, "a brand new secret")
        onNodeWithText(words.account.change).performScrollTo().performClick()
        await("the wrong password is named", 10_000) { texts().contains(words.account.wrongPassword) }

        type(words.account.currentPassword, PASSWORD)
        type(words.account.newPassword, "a brand new secret")
        onNodeWithText(words.account.change).performScrollTo().performClick()
        await("changed", 10_000) { texts().contains(words.account.changed) }
        assertThrows<AlongsideException> { runBlocking { tablet.core.devices() } }

        // The tablet signs back in with a reset code the program read out.
        val code = server.resetCode("rosa$n")
        stage.phone = tablet
        open(stage, Stop(tablet, Screen.SignIn, "sign-in") { null })
        onNodeWithText(words.signIn.haveResetCode).performScrollTo().performClick()
        settle()
        type(words.signIn.username, "rosa$n")
        type(words.signIn.resetCode, code.lowercase())
        type(words.signIn.newPassword, "my own words again")
        onNodeWithText(words.signIn.reset).performClick()
        // Signed in, the tablet opens on set-up (she has no profile yet).
        await("signed in on the tablet", 10_000) { tablet.app.navigator.current == Screen.SetUp }
        assertThrows<AlongsideException> { runBlocking { phone.core.devices() } }

        // The same code again: said kindly, on the code's field.
        open(stage, Stop(tablet, Screen.ResetPassword, "reset-password") { null })
        type(words.signIn.username, "rosa$n")
        type(words.signIn.resetCode, code)
        type(words.signIn.newPassword, "and once more")
        onNodeWithText(words.signIn.reset).performClick()
        await("a used code is refused", 10_000) { texts().contains(words.signIn.wrongResetCode) }
        phone.close()
        tablet.close()
    }

    @Test
    fun `a participant deletes her account, asked twice, and then nothing of hers is left and sign-in says so`() = runDesktopComposeUiTest(400, 900) {
        val n = serial.incrementAndGet()
        val rosaId = server.addUser("rosa$n", "participant", "Rosa")
        val phone = Phone(phones, "phone-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        phone.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
        phone.core.createGoal(Goal(participantId = rosaId, title = "Walk the kids to school", area = GoalArea.PARENTING, status = GoalStatus.ACTIVE))
        phone.sync()
        val stage = Stage(phone)
        showApp(stage)
        open(stage, Stop(phone, Screen.Account, "account") { null })

        type(words.account.deletePassword, PASSWORD)
        onNodeWithText(words.account.delete).performScrollTo().performClick()
        await("asked once more", 10_000) { texts().contains(words.account.deleteSure) }
        onNodeWithText(words.account.keep).performScrollTo().performClick()
        settle()
        assertEquals(1, phone.core.listGoals(rosaId).size, "keeping it deletes nothing")

        type(words.account.deletePassword, PASSWORD)
        onNodeWithText(words.account.delete).performScrollTo().performClick()
        await("asked once more", 10_000) { texts().contains(words.account.deleteConfirm) }
        onNodeWithText(words.account.deleteConfirm).performScrollTo().performClick()
        await("sign-in says it was deleted", 10_000) { texts().contains(words.signIn.deleted) }
        assertTrue(phone.core.listGoals(rosaId).isEmpty(), "her goals are gone")
        assertEquals(null, phone.core.account())
        assertEquals(1, phone.platform.keysReplaced.get(), "the old database key was replaced")
        assertThrows<AlongsideException> { runBlocking { phone.core.login("rosa$n", PASSWORD) } }
        phone.close()
    }
}
