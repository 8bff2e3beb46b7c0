package org.alongside.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.alongside.app.data.ago
import org.alongside.app.data.count
import org.alongside.app.data.fill
import org.alongside.app.state.Screen
import org.alongside.app.state.TodayModel
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
import org.alongside.app.ui.kit.SyncLineView
import org.alongside.app.ui.kit.gasLevel
import org.alongside.app.ui.kit.mood
import org.alongside.core.model.Goal
import org.alongside.core.model.ReachOut
import org.alongside.core.model.ReachOutStatus
import org.alongside.core.model.RecordSync
import org.alongside.core.model.Words

/** The participant's home: where they are today. */
@Composable
fun TodayScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { TodayModel(nav.app.alongside, me, it) }
    val today by model.today.collectAsState()
    val sync by model.sync.collectAsState()
    val checkIn by model.checkIn.collectAsState()
    val celebrated by model.celebrated.collectAsState()
    val name = nav.app.account.collectAsState().value?.displayName.orEmpty()
    ScreenFrame(
        words.today.greeting.fill("name" to name),
        onBack = null,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.today.needToTalk, { nav.go(Screen.ReachOut) }) },
        bottomBar = { ParticipantTabs(nav, Screen.Today) },
    ) {
        ScrollingColumn {
            val t = today ?: return@ScrollingColumn
            Panel {
                val days = t.daysInRecovery
                when {
                    days == null -> {
                        Body(words.today.noPeriod)
                        OutlinedButton(onClick = { nav.go(Screen.StartAgain) }, modifier = Modifier.heightIn(min = 48.dp)) { Text(words.today.addStart) }
                    }
                    days == 0L -> Text(words.today.firstDay, style = MaterialTheme.typography.headlineSmall)
                    else -> Text(words.today.daysInRecovery.count(days), style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
                }
                t.nextMilestone?.let { next ->
                    Body(words.today.nextMilestone.count(next.daysToGo, "milestone" to next.milestone.label))
                }
            }
            celebrated?.let { Note(words.today.celebrated) }
            t.toCelebrate.firstOrNull()?.let { newest ->
                // The newest milestone, warmly; earlier ones not celebrated yet, quietly.
                SectionTitle(words.today.toCelebrate)
                Panel {
                    Text(words.today.reached.fill("milestone" to newest.title), style = MaterialTheme.typography.titleMedium)
                    FilledTonalButton(onClick = { model.celebrate(newest) }, modifier = Modifier.heightIn(min = 48.dp)) {
                        Text(words.today.celebrate)
                    }
                    val earlier = t.toCelebrate.drop(1)
                    if (earlier.isNotEmpty()) {
                        Body(words.today.alsoReached.fill("list" to earlier.joinToString(" · ") { it.title }))
                        TextButton(onClick = { model.celebrate(*t.toCelebrate.toTypedArray()) }, modifier = Modifier.heightIn(min = 48.dp)) {
                            Text(words.today.celebrateAll)
                        }
                    }
                }
            }
            SectionTitle(words.today.checkIn)
            Panel {
                Text(words.today.mood, style = MaterialTheme.typography.labelLarge)
                Choices((1L..5L).toList(), checkIn.mood, { mood(it, words) }) { m -> model.editCheckIn { copy(mood = m) } }
                Field(words.today.craving, checkIn.craving, { v -> model.editCheckIn { copy(craving = v) } }, "craving", checkIn.problem, Input.NUMBER)
                Field(words.today.note, checkIn.note, { v -> model.editCheckIn { copy(note = v) } }, "note", checkIn.problem, Input.MULTILINE)
                ProblemNote(checkIn.problem, setOf("craving", "note"))
                if (checkIn.saved) Note(words.today.checkedIn)
                t.lastCheckIn?.let { last ->
                    Body(
                        listOfNotNull(
                            words.today.lastCheckIn.fill("when" to words.ago(last.at), "mood" to mood(last.mood, words)),
                            last.craving?.let { words.today.lastCraving.fill("craving" to it) },
                        ).joinToString(" · "),
                    )
                }
                FilledTonalButton(onClick = model::saveCheckIn, enabled = checkIn.mood != null, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
                    Text(words.today.saveCheckIn)
                }
            }
            SectionTitle(words.today.goals)
            if (t.activeGoals.isEmpty()) Body(words.today.noGoals)
            t.activeGoals.forEach { goal -> GoalRow(goal, words) { nav.go(Screen.Goal(goal.id)) } }
            if (t.openReachOuts.isNotEmpty()) {
                SectionTitle(words.today.reachOuts)
                t.openReachOuts.forEach { reachOut -> ReachOutRow(reachOut, t.unsentReachOuts.find { it.recordId == reachOut.id }?.sync, words) }
            }
            SyncLineView(sync) { nav.go(Screen.Outbox) }
        }
    }
}

/** A goal with where it stands now; opens the goal. */
@Composable
fun GoalRow(goal: Goal, words: Words, open: () -> Unit) {
    Panel(Modifier.clickable(onClick = open)) {
        Text(goal.title, style = MaterialTheme.typography.titleMedium)
        Body(goal.gasScore?.let { words.goals.now.fill("level" to gasLevel(it, words)) } ?: words.goals.notYet)
    }
}

/** A reach-out and where it stands, truthfully, for the person who sent it: [unsent] if the server does not have it yet. */
@Composable
fun ReachOutRow(reachOut: ReachOut, unsent: RecordSync?, words: Words) {
    val status = when {
        unsent is RecordSync.Refused -> words.reachOut.statusRefused
        unsent != null -> words.reachOut.statusWaiting
        reachOut.status == ReachOutStatus.OPEN -> words.reachOut.statusOpen
        reachOut.status == ReachOutStatus.ACKNOWLEDGED -> words.reachOut.statusAcknowledged
        else -> words.reachOut.statusResolved
    }
    Row(Modifier.fillMaxWidth().heightIn(min = 48.dp), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            Text(reachOut.message ?: words.reachOut.title, style = MaterialTheme.typography.bodyLarge)
            Body("$status · ${words.ago(reachOut.createdAt)}")
        }
    }
}
