package org.alongside.app.desktop

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
    val language = args.getOrNull(languageAt + 1)?.takeIf { languageAt >= 0 && it.isNotBlank() }?.let(Locale::forLanguageTag) ?: Locale.getDefault()
    val serverUrl = args.filterIndexed { i, arg -> !arg.startsWith("--") && i != languageAt + 1 }.firstOrNull() ?: "http://127.0.0.1:8787"
    val home = DesktopHome()
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    val deviceName = "Desktop (${runCatching { InetAddress.getLocalHost().hostName }.getOrDefault("computer")})"
    val companion = runCatching { home.open(serverUrl, deviceName) }.getOrElse {
        // The store cannot be opened: the crisis lines still can.
        val words = words(languageOf(language))
        application { Window(onCloseRequest = ::exitApplication, title = words.common.appName) { CrisisOnlyApp(DesktopPlatform(home), languageOf(language)) } }
        return
    }
    val app = AppModel(Alongside(companion, scope), DesktopPlatform(home), languageOf(language), scope)
    runBlocking { app.start() }
    // A window open is the app in the foreground: the server's events reach it in seconds.
    companion.setForeground(true)
    application {
        Window(
            onCloseRequest = ::exitApplication,
            title = app.words.value.common.appName,
            state = rememberWindowState(size = DpSize(420.dp, 860.dp)),
        ) {
            AlongsideApp(app)
        }
    }
}
