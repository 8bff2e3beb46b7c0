package org.alongside.app.android

import android.app.Notification
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.OutOfQuotaPolicy
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import com.google.firebase.messaging.FirebaseMessaging
import com.google.firebase.messaging.FirebaseMessagingService
import com.google.firebase.messaging.RemoteMessage
import java.time.Instant
import org.alongside.app.data.afterWakeUp
import org.alongside.core.AlongsideException
import org.alongside.core.model.Notice
import org.alongside.core.model.Registration

/**
 * FCM, data messages only: the server's wake-up says nothing about anyone
 * (at most "reach_out" or "sync"), so Google learns nothing. The token goes
 * to the sync server as where this phone is woken; a message starts
 * [WakeWorker], which syncs and words the notification from the local store.
 */
class WakeMessagingService : FirebaseMessagingService() {
    override fun onNewToken(token: String) = WakeWorker.register(applicationContext, token)

    override fun onMessageReceived(message: RemoteMessage) = WakeWorker.start(applicationContext)
}

/** Syncs after a wake-up, then posts what the core says arrived since the last time. */
class WakeWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as AlongsideApplication
        if (app.unopened) return Result.success()
        val seen = applicationContext.getSharedPreferences("wake-ups", Context.MODE_PRIVATE)
        val since = Instant.ofEpochMilli(seen.getLong(SINCE, System.currentTimeMillis() - DAY_MS))
        val now = Instant.now()
        return try {
            app.model.alongside.afterWakeUp(since).forEach { post(it) }
            seen.edit().putLong(SINCE, now.toEpochMilli()).apply()
            Result.success()
        } catch (failed: AlongsideException) {
            Result.retry()
        }
    }

    private fun post(notice: Notice) {
        val open = PendingIntent.getActivity(
            applicationContext, 0, Intent(applicationContext, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK),
            PendingIntent.FLAG_IMMUTABLE,
        )
        val channel = if (notice.urgent) AlongsideApplication.CHANNEL_REACH_OUTS else AlongsideApplication.CHANNEL_MESSAGES
        val notification = Notification.Builder(applicationContext, channel)
            .setSmallIcon(android.R.drawable.ic_dialog_info)
            .setContentTitle(notice.title)
            .setContentText(notice.body)
            .setContentIntent(open)
            .setAutoCancel(true)
            // Discreet mode is the core's: it words one neutral notice. The
            // lock screen shows the full text only once unlocked regardless.
            .setVisibility(Notification.VISIBILITY_PRIVATE)
            .build()
        applicationContext.getSystemService(NotificationManager::class.java).notify(notice.id.hashCode(), notification)
    }

    companion object {
        private const val SINCE = "since"
        private const val DAY_MS = 24 * 60 * 60 * 1000L

        /** Runs at once, expedited (an urgent reach-out may be waiting). */
        fun start(context: Context) {
            val request = OneTimeWorkRequestBuilder<WakeWorker>().setExpedited(OutOfQuotaPolicy.RUN_AS_NON_EXPEDITED_WORK_REQUEST).build()
            WorkManager.getInstance(context).enqueueUniqueWork("alongside-wake", ExistingWorkPolicy.APPEND_OR_REPLACE, request)
        }

        /** Tells the sync server where this phone is woken (after sign-in, and when FCM rotates the token). */
        fun register(context: Context, token: String) {
            val app = context.applicationContext as AlongsideApplication
            if (app.unopened) return
            app.launch {
                try {
                    app.companion.setWakeUps(Registration.Fcm(token))
                } catch (offline: AlongsideException) {
                    // Registered again at the next sign-in or token change.
                }
            }
        }

        /** Asks FCM for the current token and registers it. */
        fun registerCurrent(context: Context) {
            FirebaseMessaging.getInstance().token.addOnSuccessListener { token -> register(context, token) }
        }
    }
}
