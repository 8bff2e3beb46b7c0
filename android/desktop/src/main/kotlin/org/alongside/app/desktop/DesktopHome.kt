package org.alongside.app.desktop

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions
import java.security.SecureRandom
import org.alongside.app.data.openStore
import org.alongside.app.data.removeStore
import org.alongside.app.data.replaceKey

/**
 * Where the desktop build keeps its store: a per-user folder, as the
 * platform names them (XDG on Linux, Application Support on a Mac, AppData
 * on Windows). A phone keeps the database key in its keystore; the desktop
 * build, which is for trying Alongside and for pictures, keeps it in a file
 * only its user can read, next to the database.
 */
class DesktopHome(val folder: Path = defaultFolder()) {
    init {
        Files.createDirectories(folder)
    }

    val database: Path get() = folder.resolve("alongside.db")

    private val keyFile: Path get() = folder.resolve("key")

    /** The 32-byte database key, made on first run. */
    fun key(): ByteArray {
        if (Files.exists(keyFile)) return Files.readAllBytes(keyFile)
        return ByteArray(32).also { SecureRandom().nextBytes(it); keep(it) }
    }

    /** Marks a key replacement under way, so one that stopped half-way opens again ([open]). */
    private val replacing: Path get() = folder.resolve("key.replacing")

    /** A new key: [rekey] re-encrypts the database with it, then it replaces the old one in the file. */
    fun replaceKey(rekey: (ByteArray) -> Unit) = replaceKey(replacing.toFile(), rekey, ::keep)

    // The return type is named in full: inside this class `Companion` is its own companion object.
    /** The store, with the kept key ([openStore]: a replacement that stopped half-way leaves an empty one). */
    fun open(serverUrl: String, deviceName: String): org.alongside.core.Companion =
        openStore(database.toString(), key(), serverUrl, deviceName, replacing.toFile())

    /** Starting over: the store and its key are removed; the next [open] makes new ones. */
    fun forget() {
        removeStore(database.toString())
        Files.deleteIfExists(keyFile)
        Files.deleteIfExists(replacing)
    }

    private fun keep(key: ByteArray) {
        Files.write(keyFile, key)
        runCatching { Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------")) }
    }

    /** Where exported data goes. */
    val exports: Path get() = folder.resolve("exports").also { Files.createDirectories(it) }

    companion object {
        fun defaultFolder(): Path {
            val home = System.getProperty("user.home")
            val os = System.getProperty("os.name").lowercase()
            return when {
                os.contains("mac") -> Paths.get(home, "Library", "Application Support", "Alongside")
                os.contains("win") -> Paths.get(System.getenv("APPDATA") ?: home, "Alongside")
                else -> Paths.get(System.getenv("XDG_DATA_HOME") ?: "$home/.local/share", "alongside")
            }
        }
    }
}
