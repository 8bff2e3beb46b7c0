package org.alongside.app.data

import java.io.File
import java.security.SecureRandom
import org.alongside.core.AlongsideException
import org.alongside.core.Companion

/**
 * Opens the store at [path] with the kept [key]. A cleared phone's key is
 * replaced in two steps (the empty database is re-encrypted, then the new key
 * kept); a phone that stopped between them holds a database under a key that
 * was never kept. The platform marks the replacement before it starts
 * ([replacingKey]): then, and only then, a database the kept key cannot open
 * held nothing, and is removed so a new one opens. Any other wrong key is
 * refused as it is, and the file left alone.
 */
fun openStore(path: String, key: ByteArray, serverUrl: String, deviceName: String, replacingKey: Boolean): Companion =
    try {
        Companion.open(path, key, serverUrl, deviceName)
    } catch (wrong: AlongsideException.WrongKey) {
        if (!replacingKey) throw wrong
        removeStore(path)
        Companion.open(path, key, serverUrl, deviceName)
    }

/**
 * Puts a new 32-byte key in place of a cleared phone's: [marker] says a
 * replacement is under way while [rekey] re-encrypts the (empty) database and
 * [keep] stores the key, so a phone stopped between the two opens again.
 */
fun replaceKey(marker: File, rekey: (ByteArray) -> Unit, keep: (ByteArray) -> Unit) {
    val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
    marker.writeBytes(ByteArray(0))
    rekey(key)
    keep(key)
    marker.delete()
}

/** [openStore], with a replacement under way if [marker] is there; the mark goes once a store opens. */
fun openStore(path: String, key: ByteArray, serverUrl: String, deviceName: String, marker: File): Companion =
    openStore(path, key, serverUrl, deviceName, replacingKey = marker.exists()).also { marker.delete() }

/**
 * Whether [failure], from opening the store, means it is there but cannot be
 * read: its key is not the one kept (or the platform's keystore lost it), or
 * the file is damaged. Only then is starting over offered; a full disk is not
 * a reason to remove anything.
 */
fun unreadable(failure: Throwable): Boolean =
    failure is AlongsideException.WrongKey || failure is java.security.GeneralSecurityException

/** Removes the database at [path] and the files SQLite keeps beside it. */
fun removeStore(path: String) {
    listOf("", "-wal", "-shm", "-journal").forEach { File(path + it).delete() }
}
