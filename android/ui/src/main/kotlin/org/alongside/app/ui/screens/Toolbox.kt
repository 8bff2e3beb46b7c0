package org.alongside.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Favorite
import androidx.compose.material.icons.filled.FavoriteBorder
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import org.alongside.app.data.count
import org.alongside.app.data.fill
import org.alongside.app.data.locale
import org.alongside.app.state.Screen
import org.alongside.app.state.StrategyFormModel
import org.alongside.app.state.StrategyModel
import org.alongside.app.state.ToolboxModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.ParticipantTabs
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Choices
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.Input
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.app.ui.kit.label
import org.alongside.core.RankedStrategy
import org.alongside.core.model.CopingCategory
import org.alongside.core.model.CopingStrategy
import org.alongside.core.model.Words

@Composable
fun ToolboxScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { ToolboxModel(nav.app.alongside, me, it) }
    val strategies by model.strategies.collectAsState()
    ScreenFrame(
        words.toolbox.title,
        onBack = null,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.toolbox.addOwn, { nav.go(Screen.StrategyForm) }) },
        bottomBar = { ParticipantTabs(nav, Screen.Toolbox) },
    ) {
        ScrollingColumn {
            Body(words.toolbox.intro)
            strategies.orEmpty().forEach { ranked ->
                Panel(Modifier.clickable { nav.go(Screen.Strategy(ranked.strategy.id)) }) {
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Column(Modifier.weight(1f)) {
                            Text(ranked.strategy.title, style = MaterialTheme.typography.titleMedium)
                            Body(listOf(ranked.strategy.category.label(words), ranked.strategy.source.label(words)).joinToString(" · "))
                            usedLine(ranked, words)?.let { Body(it) }
                        }
                        FavoriteButton(ranked.strategy, words) { model.toggleFavorite(ranked.strategy) }
                    }
                }
            }
        }
    }
}

/** "Used 3 times · Helped 4.5 out of 5", when it has been used. */
private fun usedLine(ranked: RankedStrategy, words: Words): String? {
    if (ranked.uses == 0uL) return null
    val parts = mutableListOf(words.toolbox.used.count(ranked.uses.toLong()))
    ranked.averageHelpfulness?.let { parts += words.toolbox.helped.fill("score" to oneDecimal(it, words)) }
    ranked.averageCravingDrop?.takeIf { it > 0 }?.let { parts += words.toolbox.cravingDrop.fill("n" to oneDecimal(it, words)) }
    return parts.joinToString(" · ")
}

/** 4 as "4", 4.5 as "4.5" (or "4,5" where that is how decimals are written). */
private fun oneDecimal(value: Double, words: Words): String =
    if (value % 1.0 == 0.0) value.toLong().toString() else String.format(words.language.locale(), "%.1f", value)

@Composable
private fun FavoriteButton(strategy: CopingStrategy, words: Words, toggle: () -> Unit) {
    IconButton(onClick = toggle) {
        Icon(
            if (strategy.favorite) Icons.Filled.Favorite else Icons.Filled.FavoriteBorder,
            contentDescription = if (strategy.favorite) words.toolbox.removeFavorite else words.toolbox.addFavorite,
            tint = MaterialTheme.colorScheme.primary,
        )
    }
}

@Composable
fun StrategyScreen(nav: Nav, strategyId: String) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { StrategyModel(nav.app.alongside, me, strategyId, it) }
    val state by model.state.collectAsState()
    val ranked = state.strategy
    val use = state.use
    ScreenFrame(
        ranked?.strategy?.title ?: words.toolbox.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.toolbox.logUse, model::logUse) },
        actions = { ranked?.let { FavoriteButton(it.strategy, words, model::toggleFavorite) } },
    ) {
        ScrollingColumn {
            if (ranked == null) return@ScrollingColumn
            usedLine(ranked, words)?.let { Body(it) }
            SectionTitle(words.toolbox.steps)
            ranked.strategy.steps.forEachIndexed { i, step -> Text("${i + 1}. $step", style = MaterialTheme.typography.bodyLarge) }
            if (ranked.strategy.triggers.isNotEmpty()) {
                SectionTitle(words.toolbox.helpsWith)
                Body(ranked.strategy.triggers.joinToString(" · "))
            }
            SectionTitle(words.toolbox.logUse)
            Field(words.toolbox.cravingBefore, use.cravingBefore, { v -> model.edit { copy(cravingBefore = v) } }, "craving_before", use.problem, Input.NUMBER)
            Field(words.toolbox.cravingAfter, use.cravingAfter, { v -> model.edit { copy(cravingAfter = v) } }, "craving_after", use.problem, Input.NUMBER)
            Text(words.toolbox.helpfulness, style = MaterialTheme.typography.labelLarge)
            Choices((1L..5L).toList(), use.helpfulness, { it.toString() }) { h -> model.edit { copy(helpfulness = h) } }
            ProblemNote(use.problem, setOf("craving_before", "craving_after"))
            if (use.saved) Note(words.toolbox.useSaved)
        }
    }
}

@Composable
fun StrategyFormScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { StrategyFormModel(nav.app.alongside, me, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(words.toolbox.addOwn, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.common.save, model::save) }) {
        ScrollingColumn {
            Field(words.toolbox.name, form.title, { v -> model.edit { copy(title = v) } }, "title", form.problem)
            Text(words.toolbox.kind, style = MaterialTheme.typography.labelLarge)
            Choices(CopingCategory.entries, form.category, { it.label(words) }) { c -> model.edit { copy(category = c) } }
            Field(words.toolbox.steps, form.steps, { v -> model.edit { copy(steps = v) } }, "steps", form.problem, Input.MULTILINE, hint = words.toolbox.stepsHint)
            Field(words.toolbox.helpsWith, form.triggers, { v -> model.edit { copy(triggers = v) } }, "triggers", form.problem, Input.MULTILINE, hint = words.toolbox.triggersHint)
            ProblemNote(form.problem, setOf("title", "steps", "triggers"))
        }
    }
}
