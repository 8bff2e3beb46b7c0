package org.alongside.app.data

import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.util.Locale
import org.alongside.core.languageForTag
import org.alongside.core.model.Language
import org.alongside.core.model.Words

/*
 * The core's templates, filled: `{name}` placeholders, and "one|other" forms
 * (the singular for exactly 1), the same small language as core/src/i18n.
 */

/** This template with each `{name}` replaced. */
fun String.fill(vararg values: Pair<String, Any>): String =
    values.fold(this) { text, (name, value) -> text.replace("{$name}", value.toString()) }

/** The form of this template for [n], with `{n}` filled. */
fun String.count(n: Long, vararg values: Pair<String, Any>): String {
    val forms = split('|')
    val form = if (forms.size == 2 && n != 1L) forms[1] else forms[0]
    return form.fill("n" to n, *values)
}

/** The language Alongside speaks for a phone set to [locale]. */
fun languageOf(locale: Locale): Language = languageForTag(locale.toLanguageTag())

/** The locale dates are written in for [language]. */
fun Language.locale(): Locale = when (this) {
    Language.SPANISH -> Locale.forLanguageTag("es-US")
    Language.ENGLISH -> Locale.forLanguageTag("en-US")
}

/** "just now", "5 min ago", "3 hours ago", "2 days ago". */
fun Words.ago(then: Instant, now: Instant = Instant.now()): String {
    val elapsed = Duration.between(then, now).coerceAtLeast(Duration.ZERO)
    return when {
        elapsed.toMinutes() < 1 -> common.justNow
        elapsed.toHours() < 1 -> common.minutesAgo.count(elapsed.toMinutes())
        elapsed.toDays() < 1 -> common.hoursAgo.count(elapsed.toHours())
        else -> common.daysAgo.count(elapsed.toDays())
    }
}

/** A date as people of this language write it ("Nov 23, 2026", "23 nov 2026"). */
fun Words.date(date: LocalDate): String =
    DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(language.locale()).format(date)
