package org.alongside.app.desktop

import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.unit.Density
import org.alongside.app.ui.CrisisOnlyApp
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import kotlin.system.exitProcess
import org.alongside.app.state.Screen
import org.alongside.core.TestServer
import org.alongside.core.model.Language
import org.alongside.core.setLanguage
import org.alongside.core.words
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image

/** Width and height of a picture in dp: a common phone. */
private const val WIDTH_DP = 400
private const val HEIGHT_DP = 860

/** Pixels per dp in the pictures. */
private const val DENSITY = 2f

/**
 * Renders every screen, participant's and peer worker's, in English and
 * Spanish, over a scenario synced through a real server, to
 * `<out>/<language>/<screen>.png`. `android/pictures.sh` runs it.
 */
@OptIn(ExperimentalTestApi::class)
fun main(args: Array<String>) {
    val out = Paths.get(args.firstOrNull() ?: "pictures")
    val phones = Files.createTempDirectory("alongside-pictures")
    TestServer().start().use { server ->
        for ((serial, language) in Language.entries.withIndex()) {
            setLanguage(language)
            val folder = Files.createDirectories(out.resolve(if (language == Language.SPANISH) "es" else "en"))
            Scenario(server, phones, language, serial).use { scenario ->
                Phone(phones, "fresh-$serial", server.url, language).use { fresh ->
                    runDesktopComposeUiTest((WIDTH_DP * DENSITY).toInt(), (HEIGHT_DP * DENSITY).toInt()) {
                        val stops = stops(scenario, fresh)
                        val stage = Stage(stops.first().phone)
                        showApp(stage, density = DENSITY)
                        for (stop in stops) {
                            open(stage, stop)
                            save(folder.resolve("${stop.name}.png"))
                        }
                        val words = words(language)
                        // The code a peer worker reads aloud.
                        open(stage, Stop(scenario.maria, Screen.Invite, "invite") { null })
                        onNode(hasSetTextAction()).performTextInput("Luz")
                        onNodeWithText(words.invite.makeCode).performClick()
                        await("the code", 10_000) { texts().any { it.matches(Regex("[A-Z0-9]{4}-[A-Z0-9]{4}")) } }
                        settle()
                        save(folder.resolve("invite-code.png"))
                        // The answer a parent gets with no signal, and then when it returns.
                        open(stage, Stop(scenario.rosa, Screen.ReachOut, "reach-out") { null })
                        server.stop()
                        scenario.rosa.core.setNetworkAvailable(false)
                        onNodeWithText(words.labels.urgencyUrgent).performClick()
                        onNodeWithText(words.reachOut.send).performClick()
                        settle()
                        save(folder.resolve("reach-out-waiting.png"))
                        server.start()
                        scenario.rosa.core.setNetworkAvailable(true)
                        await("delivered", 30_000) { texts().any { it.endsWith(words.reachOut.delivered.substringAfter("}")) } }
                        settle()
                        save(folder.resolve("reach-out-delivered.png"))
                    }
                }
            }
            // The crisis lines when the phone cannot read its own store, starting over asked once.
            runDesktopComposeUiTest((WIDTH_DP * DENSITY).toInt(), (HEIGHT_DP * DENSITY).toInt()) {
                setContent {
                    CompositionLocalProvider(LocalDensity provides Density(DENSITY, 1f)) {
                        CrisisOnlyApp(RecordingPlatform(phones), language, startOver = {})
                    }
                }
                onNodeWithText(words(language).crisis.startOver).performClick()
                settle()
                save(folder.resolve("crisis-start-over.png"))
            }
            println("pictures: ${language.name.lowercase()} in $folder")
        }
    }
    phones.toFile().deleteRecursively()
    // Compose and the library leave non-daemon threads; the pictures are written.
    exitProcess(0)
}

@OptIn(ExperimentalTestApi::class)
private fun androidx.compose.ui.test.ComposeUiTest.save(file: Path) {
    val image = Image.makeFromBitmap(onRoot().captureToImage().asSkiaBitmap())
    val png = image.encodeToData(EncodedImageFormat.PNG) ?: error("could not encode $file")
    Files.write(file, png.bytes)
}
