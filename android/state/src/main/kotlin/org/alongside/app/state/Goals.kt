package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.Collection
import org.alongside.core.model.GasLevels
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalProgress
import org.alongside.core.model.GoalStatus

private val GOAL_COLLECTIONS = setOf(Collection.GOALS, Collection.GOAL_PROGRESS)

/** The goals list and how they are going overall. */
data class GoalsState(val goals: List<Goal> = emptyList(), val tScore: Double? = null, val loaded: Boolean = false)

class GoalsModel(app: Alongside, participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val state: StateFlow<GoalsState> = app.query(participantId, GOAL_COLLECTIONS) {
        GoalsState(
            goals = listGoals(participantId).sortedWith(compareBy({ it.status != GoalStatus.ACTIVE }, { it.title.lowercase() })),
            tScore = gasSummary(participantId).tScore,
            loaded = true,
        )
    }.state(GoalsState())
}

/** One goal: its levels, where it stands, its progress so far. */
data class GoalState(
    val goal: Goal? = null,
    val progress: List<GoalProgress> = emptyList(),
    val level: Long? = null,
    val note: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

class GoalModel(app: Alongside, participantId: String, private val goalId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(GoalState())
    private val record = app.query(participantId, GOAL_COLLECTIONS) {
        found { getGoal(goalId) } to listGoalProgress(participantId).filter { it.goalId == goalId }.sortedByDescending { it.recordedAt }
    }.state(null)

    /** The goal with the person's entry for new progress. */
    val state: StateFlow<GoalState> = kotlinx.coroutines.flow.combine(record, form) { loaded, entry ->
        entry.copy(goal = loaded?.first, progress = loaded?.second.orEmpty())
    }.state(GoalState())

    fun choose(level: Long?) = form.update { it.copy(level = level, problem = null, saved = false) }

    fun editNote(note: String) = form.update { it.copy(note = note, problem = null, saved = false) }

    fun record() {
        val entered = form.value
        if (entered.level == null && entered.note.isBlank()) return
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            app.local { recordGoalProgress(goalId, entered.level, entered.note.trim().ifEmpty { null }) }
            form.value = GoalState(saved = true)
        }
    }

    fun achieved() = act({ problem -> form.update { it.copy(problem = problem) } }) {
        val goal = app.local { getGoal(goalId) }
        app.local { updateGoal(goal, goal.copy(status = GoalStatus.ACHIEVED)) }
    }
}

/** A goal being written or edited. */
data class GoalForm(
    val title: String = "",
    val description: String = "",
    val area: GoalArea = GoalArea.RECOVERY,
    val targetDate: String = "",
    val muchLess: String = "",
    val less: String = "",
    val expected: String = "",
    val more: String = "",
    val muchMore: String = "",
    val problem: Problem? = null,
)

class GoalFormModel(
    app: Alongside,
    private val participantId: String,
    private val goalId: String?,
    private val session: AppModel,
    scope: CoroutineScope,
) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(GoalForm())
    private var original: Goal? = null
    val state: StateFlow<GoalForm> = form.asStateFlow()

    init {
        if (goalId != null) act({}) {
            val goal = app.local { getGoal(goalId) }
            original = goal
            val levels = goal.gasLevels ?: GasLevels()
            form.value = GoalForm(
                title = goal.title,
                description = goal.description.orEmpty(),
                area = goal.area,
                targetDate = goal.targetDate?.toString().orEmpty(),
                muchLess = levels.muchLess.orEmpty(),
                less = levels.less.orEmpty(),
                expected = levels.expected.orEmpty(),
                more = levels.more.orEmpty(),
                muchMore = levels.muchMore.orEmpty(),
            )
        }
    }

    fun edit(change: GoalForm.() -> GoalForm) = form.update { it.change().copy(problem = null) }

    fun save() {
        val entered = form.value
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val levels = GasLevels(
                muchLess = entered.muchLess.trim().ifEmpty { null },
                less = entered.less.trim().ifEmpty { null },
                expected = entered.expected.trim().ifEmpty { null },
                more = entered.more.trim().ifEmpty { null },
                muchMore = entered.muchMore.trim().ifEmpty { null },
            )
            val base = original ?: Goal(participantId = participantId, title = "", area = entered.area, status = GoalStatus.ACTIVE)
            val edited = base.copy(
                title = entered.title.trim(),
                description = entered.description.trim().ifEmpty { null },
                area = entered.area,
                targetDate = typedDate(entered.targetDate, "target_date", session.words.value.reasons.date),
                gasLevels = levels.takeIf { it != GasLevels() },
            )
            val before = original
            val saved = app.local { if (before == null) createGoal(edited) else updateGoal(before, edited) }
            session.navigator.back()
            if (before == null) session.navigator.go(Screen.Goal(saved.id))
        }
    }
}
