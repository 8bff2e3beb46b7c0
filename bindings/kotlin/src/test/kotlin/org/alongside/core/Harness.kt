package org.alongside.core

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.TestInstance
import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path
import java.security.SecureRandom
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * A test class with its own real server and a folder for its phones' databases,
 * both kept for all the class's tests and removed after them. `serial` numbers
 * the people a test makes, so tests sharing the server never share a username.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTest {
    protected val server = TestServer().start()
    protected val phones: Path = Files.createTempDirectory("alongside-phones")
    protected val serial = AtomicInteger()

    @AfterAll
    fun tearDown() {
        server.close()
        phones.toFile().deleteRecursively()
    }
}

/** The password every test user gets (the server wants a long one). */
const val PASSWORD = "correct horse battery staple"

/**
 * A real alongside-server on a loopback port, over its own SQLite database in a
 * temporary folder. Users and caseloads are made with the server's own CLI, as
 * an administrator would.
 */
class TestServer : AutoCloseable {
    private val binary: String =
        System.getProperty("alongside.server") ?: error("set -Dalongside.server to the alongside-server binary")
    val dir: Path = Files.createTempDirectory("alongside-server")
    private val database = "sqlite://${dir.resolve("server.db")}"
    private val port = ServerSocket(0).use { it.localPort }
    val url = "http://127.0.0.1:$port"
    private var process: Process? = null

    fun start(): TestServer {
        check(process == null) { "already running" }
        process = ProcessBuilder(binary, "serve", "--database", database, "--listen", "127.0.0.1:$port")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .start()
        eventually("the server answers /healthz", timeoutMs = 20_000) { healthy() }
        return this
    }

    /** Stops the server: for the devices, the network is gone. */
    fun stop() {
        val running = process ?: return
        running.destroy()
        if (!running.waitFor(10, TimeUnit.SECONDS)) running.destroyForcibly().waitFor()
        process = null
    }

    /** Adds a user and returns their id. */
    fun addUser(username: String, role: String, displayName: String): String =
        cli("user", "add", "--database", database, "--username", username, "--role", role, "--display-name", displayName, stdin = PASSWORD)
            .trim()

    fun assign(peerWorker: String, participant: String) {
        cli("caseload", "assign", "--database", database, "--peer-worker", peerWorker, "--participant", participant)
    }

    private fun cli(vararg args: String, stdin: String? = null): String {
        val cli = ProcessBuilder(binary, *args).redirectError(ProcessBuilder.Redirect.INHERIT).start()
        cli.outputStream.use { out -> if (stdin != null) out.write("$stdin\n".toByteArray()) }
        val output = cli.inputStream.bufferedReader().readText()
        check(cli.waitFor(60, TimeUnit.SECONDS) && cli.exitValue() == 0) { "alongside-server ${args.joinToString(" ")} failed: $output" }
        return output
    }

    private fun healthy(): Boolean =
        try {
            val connection = URI("$url/healthz").toURL().openConnection() as HttpURLConnection
            connection.connectTimeout = 500
            connection.readTimeout = 500
            connection.responseCode == 200
        } catch (e: java.io.IOException) {
            false
        }

    override fun close() {
        stop()
        dir.toFile().deleteRecursively()
    }
}

/** A fresh 32-byte key, as the platform keystore would hand out. */
fun newKey(): ByteArray = ByteArray(32).also { SecureRandom().nextBytes(it) }

/** Opens a device: its own encrypted database in [dir]. */
fun openDevice(dir: Path, name: String, serverUrl: String, key: ByteArray = newKey()): Companion =
    Companion.open(dir.resolve("$name.db").toString(), key, serverUrl, name)

/** Signs [username] in on this phone (with [PASSWORD]) and runs a sync pass, so no pass is left in flight. */
fun Companion.signIn(username: String): Account = runBlocking { login(username, PASSWORD).also { syncNow() } }

/** Waits until [condition] holds, or fails saying what was awaited. */
fun eventually(what: String, timeoutMs: Long = 15_000, condition: () -> Boolean) {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    while (System.nanoTime() < deadline) {
        if (condition()) return
        Thread.sleep(20)
    }
    throw AssertionError("timed out waiting until $what")
}
