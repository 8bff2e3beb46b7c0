package org.alongside.app.desktop

import java.time.Instant
import kotlinx.coroutines.runBlocking
import org.alongside.app.data.afterWakeUp
import org.alongside.core.ServerTest
import org.alongside.core.model.Language
import org.alongside.core.model.Profile
import org.alongside.core.model.Urgency
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** After a wake-up, the peer worker's phone syncs and words the notification from its own store. */
class WakeUpTest : ServerTest() {
    private val words = words(Language.ENGLISH)

    @Test
    fun `a wake-up brings Rosa's urgent reach-out, said from the phone's own store, and discreetly when asked`() {
        val n = serial.incrementAndGet()
        server.addUser("maria$n", "peer_worker", "Maria")
        val rosaId = server.addUser("rosa$n", "participant", "Rosa")
        server.assign("maria$n", "rosa$n")
        val rosa = Phone(phones, "rosa-$n", server.url, Language.ENGLISH).signIn("rosa$n")
        val maria = Phone(phones, "maria-$n", server.url, Language.ENGLISH).signIn("maria$n")
        rosa.core.setUpParticipant(Profile(participantId = rosaId, displayName = "Rosa", timezone = "America/Chicago"))
        rosa.sync()
        val before = Instant.now()
        runBlocking { rosa.core.reachOut(rosaId, Urgency.URGENT, "Can't do tonight alone") }

        val news = runBlocking { maria.alongside.afterWakeUp(before) }
        assertEquals(listOf("Rosa needs to talk now" to "Can't do tonight alone"), news.map { it.title to it.body })
        assertTrue(news.single().urgent, "posted on the urgent channel")
        assertEquals(emptyList<Any>(), runBlocking { maria.alongside.afterWakeUp(Instant.now()) }, "nothing new since")

        maria.core.setReminderSettings(maria.core.reminderSettings().copy(discreet = true))
        val discreet = runBlocking { maria.alongside.afterWakeUp(before) }
        assertEquals(listOf(words.news.appName to words.reminders.discreetBody), discreet.map { it.title to it.body })
        rosa.close()
        maria.close()
    }
}
