package org.alongside.app.desktop

import java.nio.file.Files
import org.alongside.app.data.unreadable
import org.alongside.core.AlongsideException
import org.alongside.core.Companion
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** The desktop build's key file and store, over the real library: a key replacement never strands the store. */
class DesktopHomeTest {
    private val folder = Files.createTempDirectory("alongside-home")
    private val home = DesktopHome(folder)
    private val offline = "http://127.0.0.1:9"

    @AfterEach
    fun clean() {
        folder.toFile().deleteRecursively()
    }

    private class Stopped : RuntimeException()

    @Test
    fun `a key replacement that stopped after re-encrypting opens again, with the kept key`() {
        home.open(offline, "desktop").use { store ->
            assertThrows<Stopped> {
                home.replaceKey { key ->
                    store.rekey(key)
                    throw Stopped() // the app stopped before the new key was kept
                }
            }
        }
        assertThrows<AlongsideException.WrongKey> { Companion.open(home.database.toString(), home.key(), offline, "desktop").close() }
        home.open(offline, "desktop").close()
        assertFalse(Files.exists(folder.resolve("key.replacing")))
        Companion.open(home.database.toString(), home.key(), offline, "desktop").close()
    }

    @Test
    fun `a key replacement that finished leaves the store under the new key`() {
        val old = home.key()
        home.open(offline, "desktop").use { store -> home.replaceKey { key -> store.rekey(key) } }
        assertFalse(old.contentEquals(home.key()))
        assertThrows<AlongsideException.WrongKey> { Companion.open(home.database.toString(), old, offline, "desktop").close() }
        home.open(offline, "desktop").use { store -> assertTrue(store.deviceId().isNotEmpty()) }
    }

    @Test
    fun `a store whose key is lost is refused, and once forgotten a new one opens`() {
        home.open(offline, "desktop").close()
        Files.write(folder.resolve("key"), ByteArray(32)) // the kept key is not the store's any more
        val refused = assertThrows<AlongsideException.WrongKey> { home.open(offline, "desktop").close() }
        assertTrue(unreadable(refused))
        home.forget()
        home.open(offline, "desktop").use { store -> assertTrue(store.deviceId().isNotEmpty()) }
    }
}
