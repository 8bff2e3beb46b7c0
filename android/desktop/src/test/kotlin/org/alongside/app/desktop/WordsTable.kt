package org.alongside.app.desktop

import org.alongside.core.model.Words

/** Every string of a words record (its groups' fields, walked by reflection). */
fun Words.all(): List<String> {
    fun walk(value: Any?): List<String> = when (value) {
        is String -> listOf(value)
        null, is Enum<*> -> emptyList()
        else -> value.javaClass.declaredFields
            .filter { !java.lang.reflect.Modifier.isStatic(it.modifiers) }
            .flatMap { field -> field.isAccessible = true; walk(field.get(value)) }
    }
    return walk(this)
}

/**
 * A template as a pattern a shown text can match: placeholders match any
 * text, and each of a plural's forms is tried.
 */
fun patterns(template: String): List<Regex> = template.split('|').map { form ->
    Regex(form.split(Regex("\\{[a-z_]+\\}")).joinToString(".+") { Regex.escape(it) })
}

/** Words that shame people in recovery, in either language (../shared/APP.md). */
val JUDGING = listOf(
    "relapse", "failed", "failure", "clean", "dirty", "addict", "junkie", "abuser", "streak broken",
    "recaída", "recaer", "fracas", "fallaste", "limpio", "limpia", "sucio", "sucia", "adicto", "adicta", "drogadict", "vicio",
)

/** The judging word [text] holds (at the start of a word), if any. */
fun judging(text: String): String? {
    val lower = text.lowercase()
    return JUDGING.firstOrNull { word ->
        Regex("(^|[^\\p{L}])" + Regex.escape(word)).containsMatchIn(lower)
    }
}
