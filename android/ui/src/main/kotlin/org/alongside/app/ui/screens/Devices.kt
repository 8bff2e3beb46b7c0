package org.alongside.app.ui.screens

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import java.time.Instant
import java.time.OffsetDateTime
import org.alongside.app.data.Problem
import org.alongside.app.data.ago
import org.alongside.app.data.fill
import org.alongside.app.state.DevicesModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.LinkButton
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn

/** Where the person is signed in: sign any device out, or clear a lost phone. */
@Composable
fun DevicesScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { DevicesModel(nav.app.alongside, it) }
    val state by model.state.collectAsState()
    ScreenFrame(words.devices.title, onBack = nav.back, onCrisis = nav.crisis) {
        ScrollingColumn {
            Body(words.devices.intro)
            if (state.problem == Problem.Offline) Body(words.devices.offline)
            if (state.done) Note(words.devices.done)
            state.devices.orEmpty().forEach { device ->
                Panel {
                    Text(if (device.thisDevice) "${device.name} · ${words.devices.thisDevice}" else device.name, style = MaterialTheme.typography.titleMedium)
                    Body(words.devices.signedIn.fill("when" to words.ago(instant(device.firstSeen))))
                    device.lastSeen?.let { Body(words.devices.lastUsed.fill("when" to words.ago(instant(it)))) }
                    if (!device.thisDevice) {
                        SecondaryButton(words.devices.signOut) { model.signOut(device, wipe = false) }
                        LinkButton(words.devices.clear) { model.signOut(device, wipe = true) }
                        Body(words.devices.clearHelp)
                    }
                }
            }
        }
    }
}

private fun instant(text: String): Instant = runCatching { OffsetDateTime.parse(text).toInstant() }.getOrDefault(Instant.now())
