package org.alongside.app.android

import android.content.res.Configuration
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.OnBackPressedCallback
import androidx.activity.compose.setContent
import org.alongside.app.data.languageOf
import org.alongside.app.data.unreadable
import org.alongside.app.ui.AlongsideApp
import org.alongside.app.ui.CrisisOnlyApp

/** The one Activity: the shared screens, and back as the navigator's back. */
class MainActivity : ComponentActivity() {
    private val app get() = application as AlongsideApplication

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        if (app.unopened) {
            // A store that cannot be read can be started over; then the whole app opens.
            val startOver = app.failure?.takeIf(::unreadable)?.let { { app.startOver(); recreate() } }
            setContent { CrisisOnlyApp(AndroidPlatform(this), languageOf(resources.configuration.locales[0]), startOver) }
            return
        }
        app.model.setLanguage(languageOf(resources.configuration.locales[0]))
        onBackPressedDispatcher.addCallback(this, object : OnBackPressedCallback(true) {
            override fun handleOnBackPressed() {
                if (!app.model.navigator.back()) finish()
            }
        })
        setContent { AlongsideApp(app.model) }
    }

    override fun onConfigurationChanged(newConfig: Configuration) {
        super.onConfigurationChanged(newConfig)
        if (app.unopened) return
        app.model.setLanguage(languageOf(newConfig.locales[0]))
    }
}
