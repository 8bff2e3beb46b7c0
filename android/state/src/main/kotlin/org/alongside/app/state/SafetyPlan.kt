package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.RankedStrategy
import org.alongside.core.model.Contact
import org.alongside.core.model.SafetyPlan

/** The steps of a Stanley–Brown plan that are the person's own words. */
enum class PlanList { WARNING_SIGNS, DISTRACTIONS, ENVIRONMENT, REASONS }

/** The steps that point at the person's strategies and contacts. */
enum class PlanPick { STRATEGIES, HELP_CONTACTS, PROFESSIONAL_CONTACTS }

/** The plan being edited, and what it can point at. */
data class SafetyPlanState(
    val plan: SafetyPlan? = null,
    val strategies: List<RankedStrategy> = emptyList(),
    val contacts: List<Contact> = emptyList(),
    val problem: Problem? = null,
    val saved: Boolean = false,
)

class SafetyPlanModel(app: Alongside, private val participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(SafetyPlanState())
    private var original: SafetyPlan? = null
    val state: StateFlow<SafetyPlanState> = current.asStateFlow()

    init {
        act({}) {
            val loaded = app.local {
                Triple(listSafetyPlans(participantId).firstOrNull(), rankedStrategies(participantId), contacts(participantId))
            }
            original = loaded.first
            current.value = SafetyPlanState(loaded.first ?: SafetyPlan(participantId = participantId), loaded.second, loaded.third)
        }
    }

    fun items(plan: SafetyPlan, list: PlanList): List<String> = when (list) {
        PlanList.WARNING_SIGNS -> plan.warningSigns
        PlanList.DISTRACTIONS -> plan.distractions
        PlanList.ENVIRONMENT -> plan.environmentSteps
        PlanList.REASONS -> plan.reasonsForLiving
    }

    fun picked(plan: SafetyPlan, pick: PlanPick): List<String> = when (pick) {
        PlanPick.STRATEGIES -> plan.strategyIds
        PlanPick.HELP_CONTACTS -> plan.helpContactIds
        PlanPick.PROFESSIONAL_CONTACTS -> plan.professionalContactIds
    }

    fun add(list: PlanList, line: String) {
        val text = line.trim().takeIf { it.isNotEmpty() } ?: return
        change { plan -> plan.with(list, items(plan, list) + text) }
    }

    fun remove(list: PlanList, index: Int) = change { plan -> plan.with(list, items(plan, list).filterIndexed { i, _ -> i != index }) }

    fun toggle(pick: PlanPick, id: String) = change { plan ->
        val ids = picked(plan, pick)
        val next = if (id in ids) ids - id else ids + id
        when (pick) {
            PlanPick.STRATEGIES -> plan.copy(strategyIds = next)
            PlanPick.HELP_CONTACTS -> plan.copy(helpContactIds = next)
            PlanPick.PROFESSIONAL_CONTACTS -> plan.copy(professionalContactIds = next)
        }
    }

    fun save() {
        val plan = current.value.plan ?: return
        act({ problem -> current.update { it.copy(problem = problem) } }) {
            val before = original
            original = app.local { if (before == null) createSafetyPlan(plan) else updateSafetyPlan(before, plan) }
            current.update { it.copy(plan = original, saved = true) }
        }
    }

    private fun change(edit: (SafetyPlan) -> SafetyPlan) = current.update { state ->
        state.copy(plan = state.plan?.let(edit), problem = null, saved = false)
    }

    private fun SafetyPlan.with(list: PlanList, items: List<String>): SafetyPlan = when (list) {
        PlanList.WARNING_SIGNS -> copy(warningSigns = items)
        PlanList.DISTRACTIONS -> copy(distractions = items)
        PlanList.ENVIRONMENT -> copy(environmentSteps = items)
        PlanList.REASONS -> copy(reasonsForLiving = items)
    }
}
