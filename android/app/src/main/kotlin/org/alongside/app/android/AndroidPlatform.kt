package org.alongside.app.android

import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.core.content.FileProvider
import java.io.File
import org.alongside.app.data.Platform
import org.alongside.core.model.Reminder

/** Dialing, texting and sharing an export, through the phone's own apps; reminders as alarms. */
class AndroidPlatform(private val context: Context) : Platform {
    override fun call(number: String) = start(Intent(Intent.ACTION_DIAL, Uri.parse("tel:$number")))

    override fun text(number: String, body: String?) =
        start(Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:$number")).apply { body?.let { putExtra("sms_body", it) } })

    /** Writes the file where only this app and the app the person picks can read it, and offers to share it. */
    override fun export(fileName: String, json: String): String {
        val file = File(File(context.cacheDir, "exports").apply { mkdirs() }, fileName)
        file.writeText(json)
        val uri = FileProvider.getUriForFile(context, "${context.packageName}.exports", file)
        val share = Intent(Intent.ACTION_SEND).apply {
            type = "application/json"
            putExtra(Intent.EXTRA_STREAM, uri)
            addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
        }
        start(Intent.createChooser(share, fileName))
        return fileName
    }

    private val reminders = AlarmReminders(context)

    override fun schedule(reminders: List<Reminder>) = this.reminders.schedule(reminders)

    override fun replaceDatabaseKey(rekey: (ByteArray) -> Unit) = DatabaseKey.replace(context, rekey)

    private fun start(intent: Intent) = context.startActivity(intent.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
}
