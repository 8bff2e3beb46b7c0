package org.alongside.app.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.io.File
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.alongside.app.data.openStore
import org.alongside.app.data.removeStore
import org.alongside.app.data.replaceKey
import org.alongside.core.Companion

/**
 * The 32-byte database key: made once, kept only wrapped (AES-GCM) by a key
 * that never leaves the Android Keystore. The wrapped key lives in the app's
 * no-backup folder: without this device's Keystore it opens nothing.
 */
object DatabaseKey {
    private const val ALIAS = "alongside-database-key-wrap"
    private const val FILE = "database.key.wrapped"
    private const val REPLACING = "database.key.replacing"

    fun get(context: Context): ByteArray {
        val file = File(context.noBackupFilesDir, FILE)
        if (file.exists()) return unwrap(file.readBytes())
        val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
        file.writeBytes(wrap(key))
        return key
    }

    /**
     * A cleared phone: a new key re-encrypts the (already emptied) database
     * through [rekey], is kept wrapped in place of the old one, and the old
     * wrapped bytes are gone with the file's old contents. A marker says a
     * replacement is under way, so a phone stopped half-way opens again ([open]).
     */
    fun replace(context: Context, rekey: (ByteArray) -> Unit) =
        replaceKey(File(context.noBackupFilesDir, REPLACING), rekey) { key -> File(context.noBackupFilesDir, FILE).writeBytes(wrap(key)) }

    /** The store, with the kept key ([openStore]: a replacement that stopped half-way leaves an empty one). */
    fun open(context: Context, serverUrl: String, deviceName: String): Companion =
        openStore(context.getDatabasePath("alongside.db").path, get(context), serverUrl, deviceName, File(context.noBackupFilesDir, REPLACING))

    /** Starting over: the store, its wrapped key and the Keystore key that wraps it are removed. */
    fun forget(context: Context) {
        removeStore(context.getDatabasePath("alongside.db").path)
        File(context.noBackupFilesDir, FILE).delete()
        File(context.noBackupFilesDir, REPLACING).delete()
        KeyStore.getInstance("AndroidKeyStore").apply { load(null) }.deleteEntry(ALIAS)
    }

    private fun wrapping(): SecretKey {
        val store = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }
        (store.getEntry(ALIAS, null) as? KeyStore.SecretKeyEntry)?.let { return it.secretKey }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, "AndroidKeyStore")
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    /** IV (12 bytes) followed by the sealed key. */
    private fun wrap(key: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding").apply { init(Cipher.ENCRYPT_MODE, wrapping()) }
        return cipher.iv + cipher.doFinal(key)
    }

    private fun unwrap(sealed: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, wrapping(), GCMParameterSpec(128, sealed, 0, 12))
        return cipher.doFinal(sealed, 12, sealed.size - 12)
    }
}
