package org.alongside.app.desktop

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import java.net.InetAddress
import java.util.Locale
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.runBlocking
import org.alongside.app.data.Alongside
import org.alongside.app.data.languageOf
import org.alongside.app.data.unreadable
import org.alongside.app.state.AppModel
import org.alongside.app.ui.AlongsideApp
import org.alongside.app.ui.CrisisOnlyApp
import org.alongside.core.words

/**
 * The desktop app: the same screens as the phone, in a window, against a
 * sync server. `java ... MainKt https://sync.example.org [--language es]`.
 */
fun main(args: Array<String>) {
    val languageAt = args.indexOf("--language")
    val locale = args.getOrNull(languageAt + 1)?.takeIf { languageAt >= 0 && it.isNotBlank() }?.let(Locale::forLanguageTag) ?: Locale.getDefault()
    val language = languageOf(locale)
    val serverUrl = args.filterIndexed { i, arg -> !arg.startsWith("--") && i != languageAt + 1 }.firstOrNull() ?: "http://127.0.0.1:8787"
    val home = DesktopHome()
    val platform = DesktopPlatform(home)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val deviceName = "Desktop (${runCatching { InetAddress.getLocalHost().hostName }.getOrDefault("computer")})"

    /** The app over the store, or why the store could not be opened. */
    fun openApp(): Result<AppModel> = runCatching {
        val companion = home.open(serverUrl, deviceName)
        val app = AppModel(Alongside(companion, scope), platform, language, scope)
        runBlocking { app.start() }
        // A window open is the app in the foreground: the server's events reach it in seconds.
        companion.setForeground(true)
        app
    }

    application {
        var opened by remember { mutableStateOf(openApp()) }
        Window(
            onCloseRequest = ::exitApplication,
            title = words(language).common.appName,
            state = rememberWindowState(size = DpSize(420.dp, 860.dp)),
        ) {
            val app = opened.getOrNull()
            if (app != null) {
                AlongsideApp(app)
            } else {
                // The store cannot be opened: the crisis lines still can, and one that cannot be read can be started over.
                val failure = opened.exceptionOrNull()
                val startOver = if (failure != null && unreadable(failure)) ({ home.forget(); opened = openApp() }) else null
                CrisisOnlyApp(platform, language, startOver)
            }
        }
    }
}
