package org.alongside.app.android

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.WorkerParameters
import org.alongside.core.AlongsideException

/** A sync pass in the background; a failure is retried by WorkManager's backoff. */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as AlongsideApplication
        if (app.unopened) return Result.success()
        return try {
            app.companion.syncNow()
            Result.success()
        } catch (failed: AlongsideException) {
            if (failed is AlongsideException.NotSignedIn) Result.success() else Result.retry()
        }
    }
}
