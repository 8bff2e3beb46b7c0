package org.alongside.app.android

import android.app.Application
import android.app.NotificationChannel
import android.app.NotificationManager
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import android.os.Build
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import androidx.work.Constraints
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import org.alongside.app.data.Alongside
import org.alongside.app.data.languageOf
import org.alongside.app.state.AppModel

/**
 * The process: one Companion (store and sync engine) for its whole life,
 * and the platform's word on connectivity and foreground passed to it.
 */
class AlongsideApplication : Application() {
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Main.immediate)
    // Named in full: inside this class `Companion` is its own companion object.
    lateinit var companion: org.alongside.core.Companion
        private set
    lateinit var model: AppModel
        private set

    /**
     * Why the store could not be opened (a full disk, a damaged file, a key
     * the Keystore lost), or null: then the app shows the crisis lines only,
     * which need no database, and nothing syncs.
     */
    var failure: Throwable? = null
        private set

    /** The store could not be opened ([failure]). */
    val unopened: Boolean get() = failure != null

    override fun onCreate() {
        super.onCreate()
        start()
    }

    /**
     * A store that cannot be read is removed with its key, and a new one
     * opened: what reached the server comes back at the next sign-in.
     */
    fun startOver() {
        DatabaseKey.forget(this)
        start()
    }

    /** Opens the store and starts everything over it; else notes [failure] and starts nothing. */
    private fun start() {
        companion = runCatching { DatabaseKey.open(this, BuildConfig.SERVER_URL, Build.MODEL) }.getOrElse {
            failure = it
            return
        }
        failure = null
        val language = languageOf(resources.configuration.locales[0])
        model = AppModel(Alongside(companion, scope), AndroidPlatform(this), language, scope)
        scope.launch { model.start() }
        watchConnectivity()
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) = companion.setForeground(true)
            override fun onStop(owner: LifecycleOwner) = companion.setForeground(false)
        })
        schedulePeriodicSync()
        createChannels()
        // Signed in: tell the server where this phone is woken.
        scope.launch { model.account.collect { if (it != null) WakeWorker.registerCurrent(this@AlongsideApplication) } }
    }

    /** Runs [work] on the application's scope (for services and workers). */
    fun launch(work: suspend () -> Unit) = scope.launch { work() }

    /** Network comes and goes: the core syncs when it comes back. */
    private fun watchConnectivity() {
        val connectivity = getSystemService(ConnectivityManager::class.java)
        companion.setNetworkAvailable(connectivity.activeNetwork != null)
        connectivity.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) =
                companion.setNetworkAvailable(capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED))

            override fun onLost(network: Network) = companion.setNetworkAvailable(false)
        })
    }

    /** In the background, WorkManager syncs every 15 minutes (Android's shortest period) when there is a network. */
    private fun schedulePeriodicSync() {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
            .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
            .build()
        WorkManager.getInstance(this).enqueueUniquePeriodicWork("alongside-sync", ExistingPeriodicWorkPolicy.KEEP, request)
    }

    /** Reach-outs (high importance: a parent is waiting) and messages; names in the phone's language. */
    private fun createChannels() {
        val words = model.words.value
        val manager = getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(NotificationChannel(CHANNEL_REACH_OUTS, words.participant.reachOuts, NotificationManager.IMPORTANCE_HIGH))
        manager.createNotificationChannel(NotificationChannel(CHANNEL_MESSAGES, words.messages.title, NotificationManager.IMPORTANCE_DEFAULT))
        manager.createNotificationChannel(NotificationChannel(CHANNEL_REMINDERS, words.reminders.title, NotificationManager.IMPORTANCE_DEFAULT))
    }

    companion object {
        const val CHANNEL_REACH_OUTS = "reach_outs"
        const val CHANNEL_MESSAGES = "messages"
        const val CHANNEL_REMINDERS = "reminders"
    }
}
