package org.alongside.app.state

import java.time.LocalDate
import java.time.format.DateTimeParseException
import org.alongside.core.AlongsideException
import org.alongside.core.model.LocalTime
import org.alongside.core.model.Words

/*
 * What a form's text fields hold, turned into what the core takes. Anything
 * the core would refuse is left for it to refuse (with its own reason), or
 * refused here with the core's own words for it.
 */

/**
 * The date typed as YYYY-MM-DD, or null when left blank. Anything else is
 * refused as the core refuses a bad date: a validation error on [field]
 * with [reason] (the core's own words for it).
 */
fun typedDate(text: String, field: String, reason: String): LocalDate? {
    if (text.isBlank()) return null
    return try {
        LocalDate.parse(text.trim())
    } catch (notADate: DateTimeParseException) {
        throw AlongsideException.Validation(field, reason)
    }
}

/**
 * A time of day typed as H:MM or HH:MM. Numbers out of range go on to the
 * core, which refuses them naming the part; anything else is refused here
 * as a validation error on [field] with [reason].
 */
fun typedTime(text: String, field: String, reason: String): LocalTime {
    val parts = text.trim().split(":")
    val hour = parts.getOrNull(0)?.takeIf { it.length in 1..2 }?.toIntOrNull()
    val minute = parts.getOrNull(1)?.takeIf { it.length == 2 }?.toIntOrNull()
    if (parts.size != 2 || hour == null || minute == null) throw AlongsideException.Validation(field, reason)
    return LocalTime(hour.toUByte(), minute.toUByte())
}

/** How a time of day is typed: 20:00, 07:05. */
fun LocalTime.typed(): String = "%d:%02d".format(hour.toInt(), minute.toInt())

/** A date the record cannot be without: blank is refused as the core refuses a missing field. */
fun requiredDate(text: String, field: String, words: Words): LocalDate =
    typedDate(text, field, words.reasons.date) ?: throw AlongsideException.Validation(field, words.reasons.required)

/**
 * A whole number typed in a digits-only field, or null when blank. A number
 * too long to hold is passed on as the largest one, so the core refuses it
 * with its own reason (the field's range) rather than the app guessing.
 */
fun typedNumber(text: String): Long? = text.trim().takeIf { it.isNotEmpty() }?.let { it.toLongOrNull() ?: Long.MAX_VALUE }

/** The non-blank lines of [text], trimmed: one list item per line. */
fun lines(text: String): List<String> = text.lines().map { it.trim() }.filter { it.isNotEmpty() }

/** The record [read] finds, or null when it is gone (deleted here, or purged by sync). */
internal fun <T> found(read: () -> T): T? = try {
    read()
} catch (gone: AlongsideException.NotFound) {
    null
}
