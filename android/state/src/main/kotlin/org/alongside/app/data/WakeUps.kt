package org.alongside.app.data

import java.time.Instant
import org.alongside.core.AlongsideException
import org.alongside.core.model.Notice

/**
 * A push woke the phone. It carried nothing about anyone: sync, then ask the
 * core what arrived after [since] (the last time news was shown) and return
 * it for the platform to post. Offline or refused, what is already on the
 * phone is still told.
 */
suspend fun Alongside.afterWakeUp(since: Instant): List<Notice> {
    try {
        core.syncNow()
    } catch (unreachable: AlongsideException) {
        // The next wake-up or periodic sync brings it; say what is here now.
    }
    return local { news(since) }
}
