package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.DeviceView

data class DevicesState(val devices: List<DeviceView>? = null, val problem: Problem? = null, val done: Boolean = false)

/** Where the person is signed in, from the server; signing any device out, or clearing a lost one. */
class DevicesModel(app: Alongside, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(DevicesState())
    val state: StateFlow<DevicesState> = current.asStateFlow()

    init {
        load()
    }

    private fun load() = act({ problem -> current.update { it.copy(problem = problem) } }) {
        val devices = app.core.devices()
        current.update { it.copy(devices = devices, problem = null) }
    }

    fun signOut(device: DeviceView, wipe: Boolean) = act({ problem -> current.update { it.copy(problem = problem) } }) {
        app.core.signOutDevice(device.id, wipe)
        current.update { it.copy(devices = it.devices?.filter { d -> d.id != device.id }, done = true) }
    }
}
