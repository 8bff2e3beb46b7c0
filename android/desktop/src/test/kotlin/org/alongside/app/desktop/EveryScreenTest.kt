package org.alongside.app.desktop

import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.runDesktopComposeUiTest
import org.alongside.core.ServerTest
import org.alongside.core.crisisResources
import org.alongside.core.model.Language
import org.alongside.core.setLanguage
import org.alongside.core.words
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Walks every screen of the app, participant's and peer worker's, over a
 * scenario synced through a real server: the whole app in Spanish with no
 * English left, no judging word in either language, every control with a
 * spoken label and a 48 dp target, and the main action on screen at 200 %
 * font size.
 */
@OptIn(ExperimentalTestApi::class)
class EveryScreenTest : ServerTest() {
    private val english by lazy { Scenario(server, phones, Language.ENGLISH, serial.incrementAndGet()) }
    private val spanish by lazy { Scenario(server, phones, Language.SPANISH, serial.incrementAndGet()) }
    private val freshEnglish by lazy { Phone(phones, "fresh-en", server.url, Language.ENGLISH) }
    private val freshSpanish by lazy { Phone(phones, "fresh-es", server.url, Language.SPANISH) }

    @AfterAll
    fun closePhones() {
        listOf(english, spanish, freshEnglish, freshSpanish).forEach { it.close() }
        setLanguage(Language.ENGLISH)
    }

    @Test
    fun `every screen in Spanish shows no English word`() = runDesktopComposeUiTest(400, 800) {
        // What English would show: the screens' words, the crisis lines and the built-in toolbox.
        setLanguage(Language.ENGLISH)
        val englishTexts = englishTexts()
        setLanguage(Language.SPANISH)
        val spanishTexts = spanishTexts()
        // Names and numbers read the same in both ("911", "Crisis Text Line").
        val englishPatterns = (englishTexts - spanishTexts).flatMap(::patterns)
        val spanishPatterns = spanishTexts.flatMap(::patterns)
        val stops = stops(spanish, freshSpanish)
        val stage = Stage(stops.first().phone)
        showApp(stage)
        val found = mutableListOf<String>()
        for (stop in stops) {
            open(stage, stop)
            for (text in texts()) {
                if (englishPatterns.any { it.matches(text) } && spanishPatterns.none { it.matches(text) }) found += "${stop.name}: \"$text\""
            }
        }
        assertTrue(found.isEmpty(), "English left on Spanish screens:\n" + found.distinct().joinToString("\n"))
    }

    @Test
    fun `no screen shows a judging word in either language`() = runDesktopComposeUiTest(400, 800) {
        val found = mutableListOf<String>()
        for ((language, stops) in listOf(Language.ENGLISH to stops(english, freshEnglish), Language.SPANISH to stops(spanish, freshSpanish))) {
            setLanguage(language)
            val stage = Stage(stops.first().phone)
            if (language == Language.ENGLISH) showApp(stage) else runOnIdle { stage.phone = stops.first().phone }
            for (stop in stops) {
                open(stage, stop)
                texts().forEach { text -> judging(text)?.let { found += "$language ${stop.name}: \"$it\" in \"$text\"" } }
            }
        }
        assertTrue(found.isEmpty(), found.joinToString("\n"))
    }

    @Test
    fun `every control speaks its label, and its touch area is at least 48 dp and its own`() = runDesktopComposeUiTest(400, TALL) {
        setLanguage(Language.ENGLISH)
        val stops = stops(english, freshEnglish)
        val stage = Stage(stops.first().phone)
        showApp(stage)
        val silent = mutableListOf<String>()
        val small = mutableListOf<String>()
        val overlapping = mutableListOf<String>()
        for (stop in stops) {
            open(stage, stop)
            val controls = onAllNodes(hasClickAction()).fetchSemanticsNodes().map { node ->
                val config = node.config
                val spoken = config.getOrNull(SemanticsProperties.ContentDescription).orEmpty() +
                    config.getOrNull(SemanticsProperties.Text).orEmpty().map { it.text } +
                    listOfNotNull(config.getOrNull(SemanticsActions.OnClick)?.label, config.getOrNull(SemanticsProperties.EditableText)?.text)
                if (spoken.none { it.isNotBlank() }) silent += "${stop.name}: a control at ${node.boundsInRoot}"
                // Where a touch lands (density 1: pixels are dp), Compose's minimum touch
                // target included. The window is tall enough that no screen scrolls.
                val touch = node.touchBoundsInRoot
                val name = "\"${spoken.firstOrNull()}\""
                if (touch.width < 48f || touch.height < 48f) small += "${stop.name}: $name is ${touch.width} × ${touch.height}"
                name to touch
            }
            // A touch must land on one control: areas may nest (a row and its button), not cross.
            for ((i, a) in controls.withIndex()) for (b in controls.drop(i + 1)) {
                val shared = a.second.intersect(b.second)
                val nested = shared == a.second || shared == b.second
                if (shared.width > 0.5f && shared.height > 0.5f && !nested) overlapping += "${stop.name}: ${a.first} and ${b.first} share ${shared.width} × ${shared.height}"
            }
        }
        assertTrue(silent.isEmpty(), "controls a screen reader cannot name:\n" + silent.joinToString("\n"))
        assertTrue(small.isEmpty(), "touch targets under 48 dp:\n" + small.joinToString("\n"))
        assertTrue(overlapping.isEmpty(), "touch areas that cross, so a touch may land on the wrong control:\n" + overlapping.joinToString("\n"))
    }

    @Test
    fun `at 200 percent font size every screen keeps its main action on screen`() = runDesktopComposeUiTest(400, 800) {
        setLanguage(Language.ENGLISH)
        val words = words(Language.ENGLISH)
        val stops = stops(english, freshEnglish)
        val stage = Stage(stops.first().phone)
        showApp(stage, fontScale = 2f)
        for (stop in stops) {
            open(stage, stop)
            val main = stop.mainAction(words) ?: continue
            try {
                onNode((hasText(main) or hasContentDescription(main)) and hasClickAction()).assertIsDisplayed()
            } catch (hidden: AssertionError) {
                throw AssertionError("${stop.name}: \"$main\" is not on screen at 200 % font size; on screen: ${texts()}", hidden)
            }
        }
    }

    private companion object {
        /** A window no screen needs to scroll in. */
        const val TALL = 6000
    }

    /** Every text English shows besides the people's own words. */
    private fun englishTexts(): Set<String> = (
        words(Language.ENGLISH).all() +
            crisisResources().flatMap { listOf(it.name, it.description, it.available) } +
            english.rosa.core.rankedStrategies(english.rosaId).flatMap { listOf(it.strategy.title) + it.strategy.steps + it.strategy.triggers }
        ).toSet()

    /** Every text Spanish shows besides the people's own words (the language must be Spanish). */
    private fun spanishTexts(): Set<String> =
        (words(Language.SPANISH).all() + crisisResources().flatMap { listOf(it.name, it.description, it.available) }).toSet()
}
