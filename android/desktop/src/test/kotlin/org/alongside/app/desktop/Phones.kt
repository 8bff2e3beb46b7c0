package org.alongside.app.desktop

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.alongside.app.data.Alongside
import org.alongside.app.data.Platform
import org.alongside.core.model.Reminder
import org.alongside.app.state.AppModel
import org.alongside.core.Companion
import org.alongside.core.model.Language
import org.alongside.core.openDevice

/** The platform of a test phone: calls, texts and exports are recorded, not made. */
class RecordingPlatform(private val folder: Path) : Platform {
    val calls = CopyOnWriteArrayList<String>()

    /** Each set of reminders handed over, the newest last. */
    val scheduled = CopyOnWriteArrayList<List<Reminder>>()

    override fun schedule(reminders: List<Reminder>) {
        scheduled += reminders
    }

    /** How many times the database key was replaced (a cleared phone). */
    val keysReplaced = java.util.concurrent.atomic.AtomicInteger()

    override fun replaceDatabaseKey(rekey: (ByteArray) -> Unit) {
        rekey(ByteArray(32).also { java.security.SecureRandom().nextBytes(it) })
        keysReplaced.incrementAndGet()
    }
    val texts = CopyOnWriteArrayList<Pair<String, String?>>()

    override fun call(number: String) {
        calls += number
    }

    override fun text(number: String, body: String?) {
        texts += number to body
    }

    override fun export(fileName: String, json: String): String =
        folder.resolve(fileName).also { Files.writeString(it, json) }.toString()
}

/**
 * A phone as the app holds it: its own encrypted store (the real library),
 * the Kotlin layer over it, and the app's model, in [language].
 */
class Phone(dir: Path, name: String, serverUrl: String, language: Language) : AutoCloseable {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val core: Companion = openDevice(dir, name, serverUrl)
    val alongside = Alongside(core, scope)
    val platform = RecordingPlatform(dir)
    val app = AppModel(alongside, platform, language, scope)

    /** Signs in with the test password and opens where the app would. */
    fun signIn(username: String): Phone = apply {
        runBlocking {
            core.login(username, org.alongside.core.PASSWORD)
            core.syncNow()
            app.start()
        }
    }

    fun sync() = runBlocking { core.syncNow() }

    override fun close() {
        alongside.close()
        scope.cancel()
        core.close()
    }
}
