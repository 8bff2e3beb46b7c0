package org.alongside.app.ui.screens

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Close
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.state.PlanList
import org.alongside.app.state.PlanPick
import org.alongside.app.state.SafetyPlanModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.ManyChoices
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.core.model.SafetyPlan

/** The Stanley–Brown safety plan, in the person's own words, pointing at their own tools and people. */
@Composable
fun SafetyPlanScreen(nav: Nav) {
    val words = LocalWords.current
    val plan = words.safetyPlan
    val me = nav.app.participantId
    val model = rememberModel { SafetyPlanModel(nav.app.alongside, me, it) }
    val state by model.state.collectAsState()
    val typing = remember { mutableStateMapOf<PlanList, String>() }
    var choosing by remember { mutableStateOf(false) }
    ScreenFrame(plan.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.common.save, model::save) }) {
        ScrollingColumn {
            val current = state.plan ?: return@ScrollingColumn
            Body(plan.intro)
            @Composable
            fun lines(list: PlanList, title: String, help: String? = null) {
                SectionTitle(title)
                help?.let { Body(it) }
                Lines(model, current, list)
                Field(
                    plan.addLine, typing[list].orEmpty(), { typing[list] = it }, list.name.lowercase(), state.problem,
                )
                SecondaryButton(words.common.add) {
                    model.add(list, typing[list].orEmpty())
                    typing[list] = ""
                }
            }
            lines(PlanList.WARNING_SIGNS, plan.warningSigns, plan.warningSignsHelp)
            SectionTitle(plan.strategies)
            // The toolbox is long: the chosen tools show, the rest on asking.
            val chosen = model.picked(current, PlanPick.STRATEGIES).toSet()
            ManyChoices(
                state.strategies.map { it.strategy.id }.filter { choosing || it in chosen }, chosen,
                { id -> state.strategies.first { it.strategy.id == id }.strategy.title },
            ) { model.toggle(PlanPick.STRATEGIES, it) }
            if (!choosing) SecondaryButton(plan.choose) { choosing = true }
            lines(PlanList.DISTRACTIONS, plan.distractions)
            SectionTitle(plan.helpContacts)
            ContactPicks(state.contacts.map { it.id to it.name }, model.picked(current, PlanPick.HELP_CONTACTS)) { model.toggle(PlanPick.HELP_CONTACTS, it) }
            SectionTitle(plan.professionalContacts)
            ContactPicks(state.contacts.map { it.id to it.name }, model.picked(current, PlanPick.PROFESSIONAL_CONTACTS)) {
                model.toggle(PlanPick.PROFESSIONAL_CONTACTS, it)
            }
            Body(plan.crisisLines)
            lines(PlanList.ENVIRONMENT, plan.environment)
            lines(PlanList.REASONS, plan.reasons)
            ProblemNote(state.problem)
            if (state.saved) Note(plan.saved)
        }
    }
}

@Composable
private fun Lines(model: SafetyPlanModel, plan: SafetyPlan, list: PlanList) {
    val words = LocalWords.current
    val items = model.items(plan, list)
    if (items.isEmpty()) Body(words.safetyPlan.nothingYet)
    items.forEachIndexed { i, item ->
        Row(Modifier.fillMaxWidth().heightIn(min = 48.dp), verticalAlignment = Alignment.CenterVertically) {
            Text(item, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
            IconButton(onClick = { model.remove(list, i) }) {
                Icon(Icons.Filled.Close, contentDescription = "${words.common.remove}: $item")
            }
        }
    }
}

@Composable
private fun ContactPicks(contacts: List<Pair<String, String>>, picked: List<String>, toggle: (String) -> Unit) {
    if (contacts.isEmpty()) {
        Body(LocalWords.current.people.empty)
        return
    }
    ManyChoices(contacts.map { it.first }, picked.toSet(), { id -> contacts.first { it.first == id }.second }, toggle)
}
