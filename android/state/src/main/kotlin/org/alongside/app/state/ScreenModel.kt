package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.stateIn
import kotlinx.coroutines.launch
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.app.data.toProblem
import org.alongside.core.AlongsideException

/**
 * What every screen's state holder shares: the [Alongside] it reads and
 * writes through, and the screen's scope (cancelled when the screen goes).
 */
abstract class ScreenModel(protected val app: Alongside, protected val scope: CoroutineScope) {
    /** [flow] as state while the screen shows it, starting from [initial]. */
    protected fun <T> Flow<T>.state(initial: T): StateFlow<T> = stateIn(scope, SharingStarted.Eagerly, initial)

    /**
     * Runs what the person asked for; a failure becomes a [Problem] handed to
     * [failed] (a field's reason under the field, or a message).
     */
    protected fun act(failed: (Problem) -> Unit, work: suspend () -> Unit): Job = scope.launch {
        try {
            work()
        } catch (error: AlongsideException) {
            failed(error.toProblem())
        }
    }
}
