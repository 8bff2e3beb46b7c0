package org.alongside.core

import org.alongside.core.model.CheckIn
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Profile
import java.nio.file.Files
import java.time.Instant
import java.time.LocalDate
import java.util.concurrent.locks.LockSupport

/**
 * The cost of calling the core from Kotlin, against the same calls made from
 * Rust in the same run (bindings/examples/ffi_bench.rs, same data, same build
 * of the library). Not a test: bindings/bench.sh runs it.
 *
 * Two figures per call. "Caller": the time the calling thread waits. "With
 * cleanup": that, plus the work the call leaves behind. UniFFI's Kotlin passes
 * every FFI call a new JNA `Structure` (the call status, and any `RustBuffer`
 * returned by value), and JNA backs each with native memory that it records in
 * a global map and frees only after a garbage collection, on its one cleaner
 * thread. In a tight loop that thread falls behind, the map grows without
 * bound and every call gets slower: timing calls back to back measures that
 * backlog, not the call. So each round of calls is followed by a full GC and a
 * wait until JNA has freed all the round allocated, and that drain is timed
 * too, less the time of a drain with nothing to free (the GC's fixed cost).
 */

private const val TYPICAL = "0b7e2a61-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
private const val MANY = "1c8f3b72-4d5e-4f60-9bac-1d2e3f4a5b6c"

fun main() {
    val rustBench = System.getProperty("alongside.rust.bench") ?: error("set -Dalongside.rust.bench to the ffi_bench example")
    val dir = Files.createTempDirectory("alongside-kotlin-bench")
    val kotlin: Map<String, PerCall> = try {
        Companion.open(dir.resolve("bench.db").toString(), ByteArray(32) { 42 }, "http://127.0.0.1:9", "bench").use { phone ->
            phone.setNetworkAvailable(false)
            seed(phone)
            linkedMapOf(
                "noop" to perCall(2_000) { libraryVersion() },
                "pending_count" to perCall(2_000) { phone.pendingCount() },
                "today" to perCall(1_000) { phone.today(TYPICAL) },
                "write" to perCall(100, warmUpRounds = 3) { phone.createCheckIn(checkIn(3)) },
                "list_1000_goals" to perCall(20, warmUpRounds = 3) { phone.listGoals(MANY) },
            )
        }
    } finally {
        dir.toFile().deleteRecursively()
    }
    val rust = runRust(rustBench)

    println()
    println("FFI benchmark: median per call over $ROUNDS rounds, µs (same library build, same data)")
    println("%-26s %10s %14s %10s %10s".format("operation", "Kotlin", "with cleanup", "Rust", "ratio"))
    val names = mapOf(
        "noop" to "library_version()",
        "pending_count" to "pending_count()",
        "today" to "today()",
        "write" to "create_check_in()",
        "list_1000_goals" to "list_goals(), 1,000 goals",
    )
    for ((key, kt) in kotlin) {
        val native = rust[key] ?: error("the Rust half did not time $key")
        println("%-26s %10.2f %14.2f %10.2f %9.1fx".format(names[key], kt.caller, kt.withCleanup, native, kt.withCleanup / native))
    }
    val lowered = rust["today_lowered"] ?: error("the Rust half did not time today_lowered")
    println("Rust: today() and lowering its result into the FFI buffer: %.2f µs".format(lowered))
    println("(Kotlin: the calling thread; with cleanup: plus the GC and JNA cleaner work it leaves; ratio: with cleanup / Rust)")
    val today = kotlin.getValue("today")
    val met = if (today.withCleanup <= 20.0) "met" else "NOT met"
    println("target: today() from Kotlin <= 20 µs: $met (%.2f µs with cleanup, %.2f µs on the calling thread)".format(today.withCleanup, today.caller))
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

private const val ROUNDS = 15

/** Medians per call, in µs: on the calling thread, and with the cleanup the call leaves. */
private class PerCall(val caller: Double, val withCleanup: Double)

/**
 * Runs [warmUpRounds] rounds of [calls] calls (so the JIT has compiled the
 * whole path, C2 included), then [ROUNDS] timed ones; each round ends with
 * [drain], timed, less a second drain that finds nothing left to free.
 */
private fun perCall(calls: Int, warmUpRounds: Int = 10, call: () -> Any?): PerCall {
    var sink = 0
    repeat(warmUpRounds) {
        repeat(calls) { sink += call().hashCode() }
        drain()
    }
    val caller = DoubleArray(ROUNDS)
    val withCleanup = DoubleArray(ROUNDS)
    for (round in 0 until ROUNDS) {
        val started = System.nanoTime()
        repeat(calls) { sink += call().hashCode() }
        val called = System.nanoTime()
        drain()
        val drained = System.nanoTime()
        drain()
        val idle = System.nanoTime() - drained
        caller[round] = (called - started) / 1_000.0 / calls
        withCleanup[round] = (drained - started - idle).coerceAtLeast(called - started) / 1_000.0 / calls
    }
    if (sink == 42) println() // keeps the results alive
    caller.sort()
    withCleanup.sort()
    return PerCall(caller[ROUNDS / 2], withCleanup[ROUNDS / 2])
}

/** JNA's record of the native memory it has allocated and not yet freed (`Memory.allocatedMemory`). */
private val jnaAllocations: Map<*, *> = com.sun.jna.Memory::class.java.getDeclaredField("allocatedMemory").run {
    isAccessible = true
    get(null) as Map<*, *>
}

/** How many allocations JNA holds once everything dead is freed (what stays alive: the library's own). */
private var settled = 0

/**
 * Frees what the calls before left: a full GC, then a wait for JNA's cleaner
 * thread until its record is back to [settled]. Should it stop shrinking above
 * that for a second, what is left is alive, and that becomes the new level.
 */
private fun drain() {
    System.gc()
    var left = jnaAllocations.size
    var lastFreed = System.nanoTime()
    while (left > settled) {
        LockSupport.parkNanos(20_000)
        val now = jnaAllocations.size
        if (now != left) {
            left = now
            lastFreed = System.nanoTime()
        } else if (System.nanoTime() - lastFreed > 1_000_000_000) {
            break
        }
    }
    settled = left
}

/** Runs the Rust half and reads its one line of JSON: {"name": micros, ...}. */
private fun runRust(binary: String): Map<String, Double> {
    val process = ProcessBuilder(binary).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    val output = process.inputStream.bufferedReader().readText().trim()
    check(process.waitFor() == 0) { "$binary failed" }
    return Regex("\"(\\w+)\": ([0-9.]+)").findAll(output).associate { it.groupValues[1] to it.groupValues[2].toDouble() }
}
