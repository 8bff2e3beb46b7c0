package org.alongside.app.ui.screens

import androidx.compose.foundation.layout.heightIn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Edit
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.data.date
import org.alongside.app.data.fill
import org.alongside.app.state.GoalFormModel
import org.alongside.app.state.GoalModel
import org.alongside.app.state.GoalsModel
import org.alongside.app.state.Screen
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
import org.alongside.app.ui.kit.RadioRows
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.app.ui.kit.gasLevel
import org.alongside.app.ui.kit.label
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import kotlin.math.roundToInt

@Composable
fun GoalsScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { GoalsModel(nav.app.alongside, me, it) }
    val state by model.state.collectAsState()
    ScreenFrame(
        words.goals.title,
        onBack = null,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.goals.add, { nav.go(Screen.GoalForm()) }) },
        bottomBar = { ParticipantTabs(nav, Screen.Goals) },
    ) {
        ScrollingColumn {
            if (!state.loaded) return@ScrollingColumn
            Panel {
                val t = state.tScore
                if (t == null) {
                    Body(words.goals.overallNone)
                } else {
                    Text(words.goals.overall.fill("score" to t.roundToInt()), style = MaterialTheme.typography.headlineSmall)
                    Body(words.goals.overallHelp)
                }
            }
            if (state.goals.isEmpty()) Body(words.goals.empty)
            state.goals.forEach { goal ->
                GoalRow(goal, words) { nav.go(Screen.Goal(goal.id)) }
            }
        }
    }
}

@Composable
fun GoalScreen(nav: Nav, goalId: String) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { GoalModel(nav.app.alongside, me, goalId, it) }
    val state by model.state.collectAsState()
    val goal = state.goal
    ScreenFrame(
        goal?.title ?: words.goals.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.goals.record, model::record, enabled = state.level != null || state.note.isNotBlank()) },
        actions = {
            IconButton(onClick = { nav.go(Screen.GoalForm(goalId)) }) { Icon(Icons.Filled.Edit, contentDescription = words.common.edit) }
        },
    ) {
        ScrollingColumn {
            if (goal == null) return@ScrollingColumn
            Body(listOfNotNull(goal.area.label(words), goal.status.label(words), goal.targetDate?.let { words.goals.byDate.fill("date" to words.date(it)) }).joinToString(" · "))
            goal.description?.let { Body(it) }
            Panel {
                Text(goal.gasScore?.let { words.goals.now.fill("level" to gasLevel(it, words)) } ?: words.goals.notYet, style = MaterialTheme.typography.titleMedium)
            }
            SectionTitle(words.goals.whereNow)
            val levels = goal.gasLevels
            // +2 at the top, as Goal Attainment Scaling writes its levels.
            RadioRows(
                (2L downTo -2L).toList(),
                state.level,
                { level -> gasLevel(level, words) },
                { level -> listOf(levels?.muchLess, levels?.less, levels?.expected, levels?.more, levels?.muchMore)[(level + 2).toInt()] },
            ) { model.choose(it) }
            Field(words.goals.progressNote, state.note, model::editNote, "note", state.problem, Input.MULTILINE)
            ProblemNote(state.problem, setOf("note"))
            if (state.saved) Note(words.goals.progressSaved)
            if (goal.status == GoalStatus.ACTIVE) {
                OutlinedButton(onClick = model::achieved, modifier = Modifier.heightIn(min = 48.dp)) { Text(words.goals.markAchieved) }
            }
            if (state.progress.isNotEmpty()) {
                SectionTitle(words.goals.history)
                state.progress.forEach { entry ->
                    Panel {
                        Text(entry.score?.let { gasLevel(it, words) } ?: "—", style = MaterialTheme.typography.titleSmall)
                        entry.note?.let { Body(it) }
                        Body(words.date(entry.recordedAt.atZone(java.time.ZoneId.systemDefault()).toLocalDate()))
                    }
                }
            }
        }
    }
}

@Composable
fun GoalFormScreen(nav: Nav, goalId: String?) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { GoalFormModel(nav.app.alongside, me, goalId, nav.app, it) }
    val form by model.state.collectAsState()
    val fields = setOf("title", "description", "target_date", "gas_levels")
    ScreenFrame(
        if (goalId == null) words.goals.add else words.common.edit,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.common.save, model::save) },
    ) {
        ScrollingColumn {
            Field(words.goals.goalTitle, form.title, { v -> model.edit { copy(title = v) } }, "title", form.problem)
            Field(words.goals.description, form.description, { v -> model.edit { copy(description = v) } }, "description", form.problem, Input.MULTILINE)
            Text(words.goals.area, style = MaterialTheme.typography.labelLarge)
            Choices(GoalArea.entries, form.area, { it.label(words) }) { a -> model.edit { copy(area = a) } }
            Field(
                "${words.goals.targetDate} (${words.common.optional})", form.targetDate, { v -> model.edit { copy(targetDate = v) } },
                "target_date", form.problem, hint = words.common.dateHint,
            )
            SectionTitle(words.goals.levels)
            Body(words.goals.levelsHelp)
            Field(words.labels.levelMuchMore, form.muchMore, { v -> model.edit { copy(muchMore = v) } }, "gas_levels", form.problem)
            Field(words.labels.levelMore, form.more, { v -> model.edit { copy(more = v) } }, "gas_levels", null)
            Field(words.labels.levelExpected, form.expected, { v -> model.edit { copy(expected = v) } }, "gas_levels", null)
            Field(words.labels.levelLess, form.less, { v -> model.edit { copy(less = v) } }, "gas_levels", null)
            Field(words.labels.levelMuchLess, form.muchLess, { v -> model.edit { copy(muchLess = v) } }, "gas_levels", null)
            ProblemNote(form.problem, fields)
        }
    }
}

/** An add button for a list screen's top bar. */
@Composable
fun AddButton(label: String, onClick: () -> Unit) {
    IconButton(onClick = onClick) { Icon(Icons.Filled.Add, contentDescription = label) }
}

/** A secondary action inside a screen. */
@Composable
fun SecondaryButton(label: String, onClick: () -> Unit) {
    FilledTonalButton(onClick = onClick, modifier = Modifier.heightIn(min = 48.dp)) { Text(label) }
}
