package org.alongside.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import org.alongside.app.data.date
import org.alongside.app.data.fill
import org.alongside.app.state.ExportModel
import org.alongside.app.state.NotesModel
import org.alongside.app.state.OutboxModel
import org.alongside.app.state.Screen
import org.alongside.app.state.StartAgainModel
import org.alongside.app.ui.Nav
import org.alongside.app.ui.ParticipantTabs
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.LinkButton
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.label
import org.alongside.app.ui.kit.refusal
import org.alongside.core.model.OutboxState

/** Everything else a participant has: messages, plan, check, sharing, export, signing out. */
@Composable
fun MoreScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val account by nav.app.account.collectAsState()
    ScreenFrame(words.common.moreTitle, onBack = null, onCrisis = nav.crisis, bottomBar = { ParticipantTabs(nav, Screen.More) }) {
        ScrollingColumn {
            Item(words.messages.title) { nav.go(Screen.Conversation(me)) }
            Item(words.note.fromPeerWorker) { nav.go(Screen.Notes) }
            Item(words.safetyPlan.title) { nav.go(Screen.SafetyPlan) }
            Item(words.barc10.title) { nav.go(Screen.Barc10) }
            Item(words.sharing.title) { nav.go(Screen.Sharing) }
            Item(words.reminders.title) { nav.go(Screen.Reminders) }
            Item(words.devices.title) { nav.go(Screen.Devices) }
            Item(words.account.title) { nav.go(Screen.Account) }
            Item(words.today.startAgain) { nav.go(Screen.StartAgain) }
            Item(words.export.title) { nav.go(Screen.Export) }
            Item(words.outbox.title) { nav.go(Screen.Outbox) }
            account?.let { Body(words.common.signedInAs.fill("name" to it.displayName)) }
            Item(words.common.signOut) { nav.app.signOut() }
        }
    }
}

/** One line of a menu: the whole row is the target. */
@Composable
fun Item(label: String, onClick: () -> Unit) {
    Text(
        label,
        style = MaterialTheme.typography.titleMedium,
        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp).clickable(role = Role.Button, onClick = onClick).padding(vertical = 16.dp),
    )
    HorizontalDivider()
}

@Composable
fun ExportScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { ExportModel(nav.app.alongside, me, nav.app.platform, it) }
    val state by model.state.collectAsState()
    ScreenFrame(words.export.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.export.export, model::export) }) {
        ScrollingColumn {
            Body(words.export.body)
            state.savedTo?.let { Note(words.export.done.fill("path" to it)) }
            ProblemNote(state.problem)
        }
    }
}

/** Changes not yet taken: waiting for signal, or refused with what to do. */
@Composable
fun OutboxScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { OutboxModel(nav.app.alongside, it) }
    val items by model.items.collectAsState()
    val conflicts by model.conflicts.collectAsState()
    val problem by model.problem.collectAsState()
    ScreenFrame(words.outbox.title, onBack = nav.back, onCrisis = nav.crisis) {
        ScrollingColumn {
            Body(words.outbox.intro)
            conflicts.orEmpty().forEach { conflict ->
                Panel {
                    Text(words.conflicts.title + " · " + (conflict.recordTitle ?: conflict.collection.label(words)), style = MaterialTheme.typography.titleSmall)
                    Body(
                        when {
                            conflict.theirsByYou -> words.conflicts.byYou
                            conflict.theirsByPeerWorker -> words.conflicts.byPeerWorker
                            conflict.theirName != null -> words.conflicts.byName.fill("name" to conflict.theirName!!)
                            else -> words.conflicts.bySomeone
                        },
                    )
                    Note(words.conflicts.yours + ": " + conflict.mine)
                    Note(words.conflicts.now + ": " + conflict.theirs)
                    LinkButton(words.conflicts.keepMine) { model.keepMine(conflict) }
                    LinkButton(words.conflicts.keepTheirs) { model.keepTheirs(conflict) }
                }
            }
            if (items?.isEmpty() == true && conflicts?.isEmpty() == true) Body(words.outbox.empty)
            items.orEmpty().forEach { item ->
                Panel {
                    Text(item.collection.label(words), style = MaterialTheme.typography.titleSmall)
                    Body(if (item.state == OutboxState.PENDING) words.outbox.waiting else refusal(item.errorCode, item.errorReason, words))
                    if (item.state == OutboxState.REJECTED) {
                        LinkButton(words.outbox.sendAgain) { model.sendAgain(item) }
                        LinkButton(words.outbox.letGo) { model.letGo(item) }
                        Note(words.outbox.letGoNote)
                    }
                }
            }
            ProblemNote(problem)
        }
    }
}

/** Starting a new recovery period: earlier time stays in the history. */
@Composable
fun StartAgainScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { StartAgainModel(nav.app.alongside, me, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(words.today.startAgain, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.common.save, model::start) }) {
        ScrollingColumn {
            Body(words.today.startAgainBody)
            Field(words.today.startDate, form.startDate, model::edit, "start_date", form.problem, hint = words.common.dateHint)
            ProblemNote(form.problem, setOf("start_date"))
        }
    }
}

/** The notes a participant's peer worker submitted about their meetings (read only). */
@Composable
fun NotesScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { NotesModel(nav.app.alongside, me, it) }
    val notes by model.notes.collectAsState()
    ScreenFrame(words.note.fromPeerWorker, onBack = nav.back, onCrisis = nav.crisis) {
        ScrollingColumn {
            if (notes?.isEmpty() == true) Body(words.note.noneYet)
            notes.orEmpty().forEach { note ->
                Panel {
                    Text(
                        words.note.noteRow.fill("date" to words.date(note.occurredOn), "minutes" to note.durationMinutes, "mode" to note.mode.label(words)),
                        style = MaterialTheme.typography.titleSmall,
                    )
                    note.amends?.let { Body(words.note.amendment) }
                    Text(note.summary, style = MaterialTheme.typography.bodyLarge)
                    note.nextSteps?.let { Body("${words.note.nextSteps}: $it") }
                }
            }
        }
    }
}
