package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertHasClickAction
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.nio.file.Files
import org.alongside.app.ui.CrisisOnlyApp
import org.alongside.app.ui.kit.AlongsideTheme
import org.alongside.app.ui.screens.CrisisScreen
import org.alongside.core.crisisResources
import org.alongside.core.model.Language
import org.alongside.core.setLanguage
import org.alongside.core.words
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The crisis lines need no account, no database and no network. */
@OptIn(ExperimentalTestApi::class)
class CrisisTest {
    @Test
    fun `the crisis screen opens with nothing set up and every line calls or texts`() = runDesktopComposeUiTest(400, 800) {
        // No Companion is opened: no store, no server, no sign-in.
        setLanguage(Language.ENGLISH)
        val platform = RecordingPlatform(Files.createTempDirectory("alongside-crisis"))
        setContent { AlongsideTheme(words(Language.ENGLISH)) { CrisisScreen(platform, onBack = null) } }
        waitForIdle()
        for (line in crisisResources()) onNodeWithText(line.name).assertExists()
        // Already where help is: no "Get help now" that would lead nowhere.
        onNodeWithText(words(Language.ENGLISH).common.getHelp).assertDoesNotExist()
        val actions = listOf(
            "Call 911" to ("call" to "911"),
            "Call 988" to ("call" to "988"),
            "Text 988" to ("text" to "988"),
            "Call 1-800-662-4357" to ("call" to "18006624357"),
            "TTY 1-800-487-4889" to ("call" to "18004874889"),
            "Text HOME to 741741" to ("text" to "741741"),
        )
        for ((label, _) in actions) onNodeWithText(label).assertHasClickAction().performScrollTo().performClick()
        assertEquals(actions.filter { it.second.first == "call" }.map { it.second.second }, platform.calls)
        assertEquals(listOf("988" to null, "741741" to "HOME"), platform.texts)
    }

    @Test
    fun `a phone whose store cannot be opened still shows the crisis lines, in its language`() = runDesktopComposeUiTest(400, 800) {
        try {
            val platform = RecordingPlatform(Files.createTempDirectory("alongside-crisis"))
            setContent { CrisisOnlyApp(platform, Language.SPANISH) }
            waitForIdle()
            onNodeWithText("Ayuda ahora mismo").assertExists()
            onNodeWithText("Llamar al 988").performScrollTo().performClick()
            assertEquals(listOf("988"), platform.calls)
        } finally {
            setLanguage(Language.ENGLISH)
        }
    }

    @Test
    fun `a store that cannot be read is started over only when asked twice, and the lines stay`() = runDesktopComposeUiTest(400, 800) {
        setLanguage(Language.ENGLISH)
        val platform = RecordingPlatform(Files.createTempDirectory("alongside-crisis"))
        var startedOver = 0
        setContent { CrisisOnlyApp(platform, Language.ENGLISH, startOver = { startedOver++ }) }
        waitForIdle()
        onNodeWithText("Alongside can't read what it kept on this phone. The lines below still work.").assertExists()
        onNodeWithText("Call 988").assertExists()
        onNodeWithText("Start over on this phone").performClick()
        waitForIdle()
        assertEquals(0, startedOver)
        onNodeWithText("anything not sent yet can't be brought back", substring = true).assertExists()
        onNodeWithText("Remove it and start over").performClick()
        assertEquals(1, startedOver)
    }

    @Test
    fun `a store that merely could not be opened offers no starting over`() = runDesktopComposeUiTest(400, 800) {
        setLanguage(Language.ENGLISH)
        setContent { CrisisOnlyApp(RecordingPlatform(Files.createTempDirectory("alongside-crisis")), Language.ENGLISH) }
        waitForIdle()
        onNodeWithText("Help right now").assertExists()
        onNodeWithText("Start over on this phone").assertDoesNotExist()
    }

    @Test
    fun `in Spanish the lines say how to reach them in Spanish`() = runDesktopComposeUiTest(400, 800) {
        setLanguage(Language.SPANISH)
        try {
            val platform = RecordingPlatform(Files.createTempDirectory("alongside-crisis"))
            setContent { AlongsideTheme(words(Language.SPANISH)) { CrisisScreen(platform, onBack = null) } }
            waitForIdle()
            onNodeWithText("Ayuda ahora mismo").assertExists()
            onNodeWithText("Enviar AYUDA al 741741").performScrollTo().performClick()
            onNodeWithText("Enviar AYUDA al 988").performScrollTo().performClick()
            assertEquals(listOf("741741" to "AYUDA", "988" to "AYUDA"), platform.texts)
        } finally {
            setLanguage(Language.ENGLISH)
        }
    }
}
