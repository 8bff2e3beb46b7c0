package org.alongside.app.data

import org.alongside.core.AlongsideException

/**
 * What went wrong, as a screen shows it. Validation errors name the field to
 * highlight ("this field: this reason", the reason already in the person's
 * language); the rest are whole-screen messages.
 */
sealed interface Problem {
    /** One field of the form is at fault; nothing was written. */
    data class Field(val field: String, val reason: String) : Problem

    /** No connection: what was typed is kept. */
    data object Offline : Problem

    /** Sign in again; nothing written is lost. */
    data object SignedOut : Problem

    data object WrongCredentials : Problem

    data object TooManyTries : Problem

    /** The core or server refused by a rule (`locked`, `forbidden`, ...). */
    data class Refused(val code: String, val reason: String) : Problem

    /** Anything else: a bug to report, shown as "try again". */
    data class Other(val reason: String) : Problem
}

/** The problem a failed call of the core means to a person. */
fun Throwable.toProblem(): Problem = when (this) {
    is AlongsideException.Validation -> Problem.Field(field, reason)
    is AlongsideException.Offline -> Problem.Offline
    is AlongsideException.NotSignedIn -> Problem.SignedOut
    is AlongsideException.WrongCredentials -> Problem.WrongCredentials
    is AlongsideException.Server -> if (code == "rate_limited") Problem.TooManyTries else Problem.Other(reason)
    is AlongsideException.Forbidden -> Problem.Refused("forbidden", reason)
    is AlongsideException.Rejected -> Problem.Refused(code, reason)
    is AlongsideException -> Problem.Other(message ?: javaClass.simpleName)
    else -> throw this
}

/** The reason to show under [field], if the problem is about it. */
fun Problem?.reasonFor(field: String): String? = (this as? Problem.Field)?.takeIf { it.field == field }?.reason
