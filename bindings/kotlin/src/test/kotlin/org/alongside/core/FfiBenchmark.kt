package org.alongside.core

import org.alongside.core.model.CheckIn
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Profile
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate

/**
 * The cost of calling the core from Kotlin, against the same calls made from
 * Rust in the same run (bindings/examples/ffi_bench.rs, same data, same build
 * of the library). Not a test: bindings/bench.sh runs it.
 */

private const val TYPICAL = "0b7e2a61-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
private const val MANY = "1c8f3b72-4d5e-4f60-9bac-1d2e3f4a5b6c"

fun main() {
    val rustBench = System.getProperty("alongside.rust.bench") ?: error("set -Dalongside.rust.bench to the ffi_bench example")
    val dir = Files.createTempDirectory("alongside-kotlin-bench")
    val kotlin = try {
        Companion.open(dir.resolve("bench.db").toString(), ByteArray(32) { 42 }, "http://127.0.0.1:9", "bench").use { phone ->
            phone.setNetworkAvailable(false)
            seed(phone)
            linkedMapOf(
                "noop" to medianMicros(15, 10_000) { libraryVersion() },
                "pending_count" to medianMicros(15, 10_000) { phone.pendingCount() },
                "today" to medianMicros(15, 200) { phone.today(TYPICAL) },
                "write" to medianMicros(15, 20) { phone.createCheckIn(checkIn(3)) },
                "list_1000_goals" to medianMicros(15, 10) { phone.listGoals(MANY) },
            )
        }
    } finally {
        dir.toFile().deleteRecursively()
    }
    val rust = runRust(rustBench)

    println()
    println("FFI benchmark: median per call over 15 rounds, µs (same library build, same data)")
    println("%-26s %12s %12s %10s".format("operation", "Kotlin", "Rust", "ratio"))
    val names = mapOf(
        "noop" to "library_version()",
        "pending_count" to "pending_count()",
        "today" to "today()",
        "write" to "create_check_in()",
        "list_1000_goals" to "list_goals(), 1,000 goals",
    )
    for ((key, micros) in kotlin) {
        val native = rust[key] ?: error("the Rust half did not time $key")
        println("%-26s %12.2f %12.2f %9.2fx".format(names[key], micros, native, micros / native))
    }
    val today = kotlin.getValue("today")
    val overhead = today - rust.getValue("today")
    println("target: today() from Kotlin <= 20 µs: ${if (today <= 20.0) "met" else "NOT met"} (%.2f µs, of which the FFI %.2f µs)".format(today, overhead))
}

private fun seed(phone: Companion) {
    phone.setUpParticipant(Profile(participantId = TYPICAL, displayName = "Rosa", timezone = "America/Chicago"))
    phone.startRecoveryPeriod(TYPICAL, LocalDate.now().minusDays(40), null)
    repeat(5) { phone.createGoal(goal(TYPICAL, it.toLong())) }
    repeat(20) { phone.createCheckIn(checkIn(1L + it % 5)) }
    repeat(1000) { phone.createGoal(goal(MANY, it.toLong())) }
}

private fun goal(participantId: String, i: Long) = Goal(
    participantId = participantId,
    title = "Goal number $i",
    description = "A goal with a description of ordinary length.",
    area = GoalArea.PARENTING,
    status = GoalStatus.ACTIVE,
    gasScore = i % 5 - 2,
)

private fun checkIn(mood: Long) = CheckIn(participantId = TYPICAL, at = Instant.now(), mood = mood, craving = 2, note = "Slept well")

/** The median over [rounds] of the mean time of one call in a round of [calls], after a warm-up round for the JIT. */
private fun medianMicros(rounds: Int, calls: Int, call: () -> Any?): Double {
    var sink = 0
    repeat(calls * 5) { sink += call().hashCode() }
    val means = (1..rounds).map {
        val started = System.nanoTime()
        repeat(calls) { sink += call().hashCode() }
        (System.nanoTime() - started) / 1_000.0 / calls
    }.sorted()
    if (sink == 42) println() // keeps the results alive
    return means[rounds / 2]
}

/** Runs the Rust half and reads its one line of JSON: {"name": micros, ...}. */
private fun runRust(binary: String): Map<String, Double> {
    val process = ProcessBuilder(binary).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    val output = process.inputStream.bufferedReader().readText().trim()
    check(process.waitFor() == 0) { "$binary failed" }
    return Regex("\"(\\w+)\": ([0-9.]+)").findAll(output).associate { it.groupValues[1] to it.groupValues[2].toDouble() }
}
