package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import org.alongside.app.state.Screen
import org.alongside.core.ServerTest
import org.alongside.core.model.CheckIn
import org.alongside.core.model.Language
import org.alongside.core.model.Profile
import org.alongside.core.model.Reminder
import org.alongside.core.model.ReminderKind
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The phone's scheduled reminders follow the person's data and settings, through the real core. */
@OptIn(ExperimentalTestApi::class)
class RemindersTest : ServerTest() {
    private val words = words(Language.ENGLISH)
    private val zone = ZoneId.of("America/Chicago")

    @Test
    fun `reminders follow check-ins and settings, hide their words when asked, and stop at sign-out`() =
        runDesktopComposeUiTest(400, 800) {
            val n = serial.incrementAndGet()
            val rosaId = server.addUser("rosa$n", "participant", "Rosa")
            val rosa = Phone(phones, "rosa-$n", server.url, Language.ENGLISH).signIn("rosa$n")
            rosa.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
            val scheduled = { rosa.platform.scheduled.lastOrNull().orEmpty() }
            fun checkInsOn(date: LocalDate, list: List<Reminder>) = list.filter { it.id == "check_in:$date" }
            val today = LocalDate.now(zone)

            // Tomorrow's check-in is always within the two weeks scheduled,
            // at 20:00 on her own clock once her profile says where she is.
            await("tomorrow's check-in is scheduled at 20:00 in Chicago", 10_000) {
                checkInsOn(today.plusDays(1), scheduled()).singleOrNull()?.at?.atZone(zone)?.hour == 20
            }
            assertEquals(words.reminders.checkInTitle, checkInsOn(today.plusDays(1), scheduled()).single().title)
            assertTrue(scheduled().all { it.at.isAfter(Instant.now().minusSeconds(60)) }, "nothing in the past is scheduled")

            // She checks in: nothing asks her again today.
            rosa.core.createCheckIn(CheckIn(participantId = rosaId, at = Instant.now(), mood = 4))
            await("today's check-in reminder is gone", 10_000) {
                checkInsOn(today, scheduled()).isEmpty() && checkInsOn(today.plusDays(1), scheduled()).isNotEmpty()
            }

            // On the Reminders screen: check-ins at 9:15 (after the quiet hours), and the lock screen shows no details.
            val stage = Stage(rosa)
            showApp(stage)
            open(stage, Stop(rosa, Screen.Reminders, "reminders") { null })
            onNodeWithText(words.reminders.checkInTime).performTextReplacement("9:15")
            onNodeWithText(words.reminders.discreet).performClick()
            onNodeWithText(words.common.save).performClick()
            await("saved", 10_000) { texts().contains(words.reminders.saved) }
            await("the new schedule is handed over", 10_000) {
                checkInsOn(today.plusDays(1), scheduled()).singleOrNull()?.at?.atZone(zone)?.let { it.hour == 9 && it.minute == 15 } == true
            }
            assertTrue(scheduled().all { it.title == "Alongside" && it.body == words.reminders.discreetBody }, "discreet: ${scheduled().map { it.title }}")

            // A time that is not one is refused with the core's words, and nothing changes.
            onNodeWithText("9:15").performTextReplacement("quarter past nine")
            onNodeWithText(words.common.save).performClick()
            await("refused", 10_000) { texts().contains(words.reminders.timeFormat) }
            assertEquals(9, checkInsOn(today.plusDays(1), scheduled()).single().at.atZone(zone).hour)

            // Check-ins off.
            onNodeWithText("quarter past nine").performTextReplacement("9:15")
            onNodeWithText(words.reminders.checkIn).performClick()
            onNodeWithText(words.common.save).performClick()
            await("no check-in reminders", 10_000) { scheduled().none { it.kind == ReminderKind.CHECK_IN } }

            // Signed out: nothing rings for her on this phone.
            rosa.app.signOut()
            await("nothing scheduled after sign-out", 10_000) { rosa.platform.scheduled.lastOrNull()?.isEmpty() == true }
            rosa.close()
        }
}
