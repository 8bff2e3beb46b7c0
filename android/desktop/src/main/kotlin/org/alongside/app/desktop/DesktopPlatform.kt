package org.alongside.app.desktop

import java.awt.Desktop
import java.net.URI
import java.net.URLEncoder
import java.nio.file.Files
import org.alongside.app.data.Platform
import org.alongside.core.model.Reminder

/**
 * The platform services of the desktop build: `tel:` and `sms:` links go to
 * whatever the desktop handles them with (a softphone, a paired phone), and
 * exports are files in the per-user folder.
 */
class DesktopPlatform(private val home: DesktopHome) : Platform {
    override fun call(number: String) = open(URI("tel:$number"))

    override fun text(number: String, body: String?) =
        open(URI("sms:$number" + (body?.let { "?body=" + URLEncoder.encode(it, Charsets.UTF_8).replace("+", "%20") } ?: "")))

    override fun export(fileName: String, json: String): String {
        val file = home.exports.resolve(fileName)
        Files.writeString(file, json)
        return file.toString()
    }

    /**
     * The desktop build has no notification service of its own: it keeps the
     * schedule and says how many wait, which is enough to try the screens.
     */
    override fun schedule(reminders: List<Reminder>) {
        scheduled = reminders
        System.err.println("Alongside: ${reminders.size} reminders scheduled")
    }

    override fun replaceDatabaseKey(rekey: (ByteArray) -> Unit) = home.replaceKey(rekey)

    @Volatile
    var scheduled: List<Reminder> = emptyList()
        private set

    private fun open(uri: URI) {
        val desktop = Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)
        if (desktop) Desktop.getDesktop().browse(uri) else System.err.println("Alongside: this desktop cannot open $uri")
    }
}
