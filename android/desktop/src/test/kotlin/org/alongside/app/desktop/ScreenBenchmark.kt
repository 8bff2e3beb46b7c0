package org.alongside.app.desktop

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.runDesktopComposeUiTest
import java.nio.file.Files
import kotlin.system.exitProcess
import org.alongside.app.state.Screen
import org.alongside.core.TestServer
import org.alongside.core.model.Goal
import org.alongside.core.model.Language
import org.alongside.core.setLanguage

private const val WARM_UP = 50
private const val ROUNDS = 200

/**
 * From a local write to the Today screen showing it: Rosa's phone (the
 * pictures' scenario, synced through a real server, then offline), the real
 * Today screen rendered headless, a goal retitled 200 times; each round
 * times the write until the new title is in the screen's semantics, and
 * counts the local (FFI) calls the refresh made. Baselines in the same run:
 * the write alone, and Today's read alone. `android/bench.sh` runs it.
 */
@OptIn(ExperimentalTestApi::class)
fun main() {
    setLanguage(Language.ENGLISH)
    val phones = Files.createTempDirectory("alongside-bench")
    TestServer().start().use { server ->
        Scenario(server, phones, Language.ENGLISH, 0).use { scenario ->
            val rosa = scenario.rosa
            rosa.core.setNetworkAvailable(false)
            val core = rosa.core
            val me = scenario.rosaId
            var goal: Goal = core.getGoal(scenario.goalIds[1])
            val shown = mutableListOf<Long>()
            val writes = mutableListOf<Long>()
            val calls = mutableListOf<Long>()
            runDesktopComposeUiTest(400, 860) {
                val stage = Stage(rosa)
                showApp(stage)
                open(stage, Stop(rosa, Screen.Today, "today") { null })
                repeat(WARM_UP + ROUNDS) { round ->
                    val title = "Meetings, round $round"
                    val before = rosa.alongside.localCalls
                    val start = System.nanoTime()
                    val edited = goal.copy(title = title)
                    goal = core.updateGoal(goal, edited)
                    val written = System.nanoTime()
                    while (onAllNodesWithText(title).fetchSemanticsNodes().isEmpty()) waitForIdle()
                    val done = System.nanoTime()
                    if (round >= WARM_UP) {
                        writes += written - start
                        shown += done - start
                        calls += rosa.alongside.localCalls - before
                    }
                }
            }
            // Today's read on its own, as a refresh makes it.
            val reads = (0 until ROUNDS).map {
                val start = System.nanoTime()
                core.today(me)
                System.nanoTime() - start
            }
            println("Write → Today showing it, $ROUNDS writes after $WARM_UP to warm up (ms):")
            println("  shown on screen: median %.2f, p95 %.2f".format(median(shown), p95(shown)))
            println("  baseline, the write alone: median %.2f, p95 %.2f  (shown / write = %.1f×)".format(median(writes), p95(writes), median(shown) / median(writes)))
            println("  one refresh: %s local (FFI) call(s); Today's read alone: median %.3f ms".format(calls.distinct().sorted().joinToString("/"), median(reads)))
            println("  target: under 16 ms (one frame at 60 Hz): " + if (p95(shown) < 16.0) "met at p95" else if (median(shown) < 16.0) "met at the median" else "not met")
        }
    }
    phones.toFile().deleteRecursively()
    exitProcess(0)
}

private fun median(nanos: List<Long>): Double = nanos.sorted()[nanos.size / 2] / 1e6

private fun p95(nanos: List<Long>): Double = nanos.sorted()[(nanos.size * 95 / 100).coerceAtMost(nanos.size - 1)] / 1e6
