package org.alongside.app.android

import android.app.AlarmManager
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.app.Notification

/**
 * The core's reminders as AlarmManager alarms: inexact (`setAndAllowWhileIdle`,
 * no exact-alarm permission needed; a check-in a few minutes late is fine),
 * each keyed by the reminder's stable id, so scheduling again replaces it and
 * an id no longer in the list is cancelled. The words were chosen by the core,
 * discreet mode included; nothing here decides what to say or when.
 */
class AlarmReminders(private val context: Context) {
    private val alarms = context.getSystemService(AlarmManager::class.java)
    private val kept = context.getSharedPreferences("reminders", Context.MODE_PRIVATE)

    fun schedule(reminders: List<org.alongside.core.model.Reminder>) {
        val before = kept.getStringSet(IDS, emptySet()).orEmpty()
        for (gone in before - reminders.map { it.id }.toSet()) alarms.cancel(pending(gone, null, null))
        for (reminder in reminders) {
            val at = reminder.at.toEpochMilli()
            alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, pending(reminder.id, reminder.title, reminder.body))
        }
        kept.edit().putStringSet(IDS, reminders.map { it.id }.toSet()).apply()
    }

    private fun pending(id: String, title: String?, body: String?): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java).setAction("org.alongside.REMINDER").setData(android.net.Uri.parse("alongside-reminder:$id"))
        title?.let { intent.putExtra(TITLE, it) }
        body?.let { intent.putExtra(BODY, it) }
        return PendingIntent.getBroadcast(context, 0, intent, PendingIntent.FLAG_UPDATE_CURRENT or PendingIntent.FLAG_IMMUTABLE)
    }

    companion object {
        const val TITLE = "title"
        const val BODY = "body"
        private const val IDS = "ids"
    }
}

/** An alarm rang: posts the notification the core worded, on the reminders channel. */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val title = intent.getStringExtra(AlarmReminders.TITLE) ?: return
        val open = PendingIntent.getActivity(
            context, 0, Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK), PendingIntent.FLAG_IMMUTABLE,
        )
        val notification = Notification.Builder(context, AlongsideApplication.CHANNEL_REMINDERS)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(title)
            .setContentText(intent.getStringExtra(AlarmReminders.BODY))
            .setContentIntent(open)
            .setAutoCancel(true)
            // What shows on a locked screen is the same neutral text the core
            // gives in discreet mode; the full text only once unlocked.
            .setVisibility(Notification.VISIBILITY_PRIVATE)
            .build()
        context.getSystemService(NotificationManager::class.java).notify(intent.data.hashCode(), notification)
    }
}
