package org.alongside.app.state

import java.time.Instant
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.RankedStrategy
import org.alongside.core.model.Collection
import org.alongside.core.model.CopingCategory
import org.alongside.core.model.CopingStrategy
import org.alongside.core.model.CopingUse
import org.alongside.core.model.StrategySource

private val COPING = setOf(Collection.COPING_STRATEGIES, Collection.COPING_USES)

/** The toolbox, ranked by the core: favorites, then what helped most. */
class ToolboxModel(app: Alongside, participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val strategies: StateFlow<List<RankedStrategy>?> = app.query(participantId, COPING) { rankedStrategies(participantId) }.state(null)

    fun toggleFavorite(strategy: CopingStrategy) = act({}) { app.toggleFavorite(strategy) }
}

/** A strategy in or out of the person's favourites. */
private suspend fun Alongside.toggleFavorite(strategy: CopingStrategy) {
    local { updateCopingStrategy(strategy, strategy.copy(favorite = !strategy.favorite)) }
}

/** Logging a use of a strategy. */
data class UseForm(
    val cravingBefore: String = "",
    val cravingAfter: String = "",
    val helpfulness: Long? = null,
    val note: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

/** One strategy: its steps, what it helps with, and "I used this". */
data class StrategyState(val strategy: RankedStrategy? = null, val use: UseForm = UseForm())

class StrategyModel(app: Alongside, private val participantId: String, private val strategyId: String, scope: CoroutineScope) :
    ScreenModel(app, scope) {
    private val form = MutableStateFlow(UseForm())
    private val ranked = app.query(participantId, COPING) { rankedStrategies(participantId).find { it.strategy.id == strategyId } }
    val state: StateFlow<StrategyState> = combine(ranked, form) { strategy, use -> StrategyState(strategy, use) }.state(StrategyState())

    fun edit(change: UseForm.() -> UseForm) = form.update { it.change().copy(problem = null, saved = false) }

    fun toggleFavorite() {
        val strategy = state.value.strategy?.strategy ?: return
        act({}) { app.toggleFavorite(strategy) }
    }

    fun logUse() {
        val entered = form.value
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val use = CopingUse(
                participantId = participantId,
                strategyId = strategyId,
                usedAt = Instant.now(),
                helpfulness = entered.helpfulness,
                cravingBefore = typedNumber(entered.cravingBefore),
                cravingAfter = typedNumber(entered.cravingAfter),
                note = entered.note.trim().ifEmpty { null },
            )
            app.local { createCopingUse(use) }
            form.value = UseForm(saved = true)
        }
    }
}

/** A strategy of the person's own. */
data class StrategyForm(
    val title: String = "",
    val category: CopingCategory = CopingCategory.CRAVING,
    val steps: String = "",
    val triggers: String = "",
    val problem: Problem? = null,
)

class StrategyFormModel(app: Alongside, private val participantId: String, private val session: AppModel, scope: CoroutineScope) :
    ScreenModel(app, scope) {
    private val form = MutableStateFlow(StrategyForm())
    val state: StateFlow<StrategyForm> = form.asStateFlow()

    fun edit(change: StrategyForm.() -> StrategyForm) = form.update { it.change().copy(problem = null) }

    fun save() {
        val entered = form.value
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val strategy = CopingStrategy(
                participantId = participantId,
                title = entered.title.trim(),
                steps = lines(entered.steps),
                category = entered.category,
                triggers = lines(entered.triggers),
                favorite = false,
                source = StrategySource.PERSONAL,
            )
            val saved = app.local { createCopingStrategy(strategy) }
            session.navigator.back()
            session.navigator.go(Screen.Strategy(saved.id))
        }
    }
}
