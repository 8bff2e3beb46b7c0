package org.alongside.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.automirrored.filled.ExitToApp
import androidx.compose.material.icons.filled.Phone
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import java.time.ZoneId
import org.alongside.app.data.ago
import org.alongside.app.data.count
import org.alongside.app.data.date
import org.alongside.app.data.fill
import org.alongside.app.data.locale
import org.alongside.app.state.CaseloadModel
import org.alongside.app.state.InviteModel
import org.alongside.app.state.NoteModel
import org.alongside.app.state.ParticipantModel
import org.alongside.app.state.Screen
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Choices
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.Input
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.ManyChoices
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.app.ui.kit.SyncLineView
import org.alongside.app.ui.kit.gasLevel
import org.alongside.app.ui.kit.label
import org.alongside.core.CaseloadEntry
import org.alongside.core.model.Category
import org.alongside.core.model.ContactPriority
import org.alongside.core.model.EncounterLocation
import org.alongside.core.model.EncounterMode
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.ReachOutStatus
import org.alongside.core.model.ServiceType
import org.alongside.core.model.Urgency
import org.alongside.core.model.Words

/** A peer worker's caseload, who needs contact first, each with why. */
@Composable
fun CaseloadScreen(nav: Nav) {
    val words = LocalWords.current
    val model = rememberModel { CaseloadModel(nav.app.alongside, it) }
    val rows by model.rows.collectAsState()
    val sync by model.sync.collectAsState()
    ScreenFrame(
        words.caseload.title,
        onBack = null,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.caseload.invite, { nav.go(Screen.Invite) }) },
        actions = {
            IconButton(onClick = { nav.go(Screen.MyContact) }) {
                Icon(Icons.Filled.Phone, contentDescription = words.myContact.title)
            }
            IconButton(onClick = { nav.app.signOut() }) {
                Icon(Icons.AutoMirrored.Filled.ExitToApp, contentDescription = words.common.signOut)
            }
        },
    ) {
        ScrollingColumn {
            if (rows?.isEmpty() == true) Body(words.caseload.empty)
            rows.orEmpty().forEach { row ->
                Panel(Modifier.clickable { nav.go(Screen.Participant(row.participantId)) }) {
                    Text(row.displayName, style = MaterialTheme.typography.titleMedium)
                    val why = why(row, words)
                    Text(
                        why,
                        style = MaterialTheme.typography.bodyMedium,
                        color = if (row.priority == ContactPriority.URGENT_REACH_OUT) MaterialTheme.colorScheme.tertiary else MaterialTheme.colorScheme.onSurfaceVariant,
                    )
                    row.daysInRecovery?.let { Body(words.caseload.days.count(it)) }
                    row.lastCheckIn?.let { Body(words.caseload.lastCheckIn.fill("when" to words.ago(it.at), "mood" to it.mood)) }
                }
            }
            SyncLineView(sync) { nav.go(Screen.Outbox) }
        }
    }
}

/** Why this person is where they are in the caseload: "Urgent reach-out, 5 min ago". */
fun why(row: CaseloadEntry, words: Words): String {
    val w = words.caseload
    val oldest = row.openReachOuts.minByOrNull { it.createdAt }
    return when (row.priority) {
        ContactPriority.URGENT_REACH_OUT -> {
            val urgent = row.openReachOuts.filter { it.urgency == Urgency.URGENT && it.status == ReachOutStatus.OPEN }.minByOrNull { it.createdAt }
            w.urgent.fill("when" to words.ago((urgent ?: oldest)?.createdAt ?: java.time.Instant.now()))
        }
        ContactPriority.OPEN_REACH_OUT -> w.open.fill("when" to words.ago(oldest?.createdAt ?: java.time.Instant.now()))
        ContactPriority.UNREAD_MESSAGES -> w.unread.count(row.unreadMessages.toLong())
        ContactPriority.GOALS_NEED_ATTENTION -> w.goals.count(row.goalsNeedingAttention.size.toLong())
        ContactPriority.NONE_WAITING -> w.nothingWaiting
    }
}

/** One participant's page: what they share, reach-outs, goals with GAS, check-ins, notes. */
@Composable
fun ParticipantScreen(nav: Nav, participantId: String) {
    val words = LocalWords.current
    val p = words.participant
    val model = rememberModel { ParticipantModel(nav.app.alongside, participantId, it) }
    val overview by model.overview.collectAsState()
    val page = overview
    ScreenFrame(
        page?.displayName ?: words.caseload.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(p.newNote, { nav.go(Screen.Note(participantId)) }) },
    ) {
        ScrollingColumn {
            if (page == null) return@ScrollingColumn
            val name = page.displayName
            page.pronouns?.let { Body(it) }
            page.daysInRecovery?.let { Text(p.days.count(it), style = MaterialTheme.typography.titleLarge) }
            SectionTitle(p.shares.fill("name" to name))
            if (page.shared.isEmpty()) {
                Body(p.sharesBasics)
            } else {
                Body(page.shared.joinToString(" · ") { it.label(words) })
                page.sharedUntil?.let { Body(p.sharesUntil.fill("date" to words.date(it))) }
            }
            OutlinedButton(onClick = { nav.go(Screen.Conversation(participantId)) }, modifier = Modifier.heightIn(min = 48.dp)) {
                Text(p.messages + if (page.unreadMessages > 0uL) " · " + words.messages.unread.count(page.unreadMessages.toLong()) else "")
            }
            SectionTitle(p.reachOuts)
            if (page.openReachOuts.isEmpty()) Body(p.noReachOuts)
            page.openReachOuts.forEach { reachOut ->
                Panel {
                    Text("${reachOut.urgency.label(words)} · ${words.ago(reachOut.createdAt)}", style = MaterialTheme.typography.titleSmall)
                    reachOut.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        if (reachOut.status == ReachOutStatus.OPEN) SecondaryButton(p.acknowledge) { model.acknowledge(reachOut.id) }
                        OutlinedButton(onClick = { model.resolve(reachOut.id) }, modifier = Modifier.heightIn(min = 48.dp)) { Text(p.resolve) }
                    }
                }
            }
            SectionTitle(p.goals)
            when {
                Category.GOALS !in page.shared -> Note(p.goalsNotShared.fill("name" to name))
                page.goals.isEmpty() -> Body(p.noGoals)
                else -> {
                    page.gasTScore?.let { Text(p.gas.fill("score" to "%.1f".format(words.language.locale(), it)), style = MaterialTheme.typography.titleMedium) }
                    page.goals.forEach { goal ->
                        Panel {
                            Text(goal.title, style = MaterialTheme.typography.titleSmall)
                            Body(listOfNotNull(goal.status.label(words), goal.gasScore?.let { gasLevel(it, words) }).joinToString(" · "))
                        }
                    }
                }
            }
            SectionTitle(p.checkIns)
            when {
                Category.CHECK_INS !in page.shared -> Note(p.checkInsNotShared.fill("name" to name))
                page.recentCheckIns.isEmpty() -> Body(p.noCheckIns)
                else -> page.recentCheckIns.forEach { checkIn ->
                    Body(
                        listOfNotNull(
                            p.checkInRow.fill("mood" to checkIn.mood, "when" to words.ago(checkIn.at)),
                            checkIn.craving?.let { p.checkInCraving.fill("craving" to it) },
                            checkIn.note,
                        ).joinToString(" · "),
                    )
                }
            }
            SectionTitle(p.notes)
            if (page.encounterNotes.isEmpty()) Body(p.noNotes)
            page.encounterNotes.forEach { note ->
                Panel(Modifier.clickable { nav.go(Screen.Note(participantId, noteId = note.id)) }) {
                    Text(
                        words.note.noteRow.fill("date" to words.date(note.occurredOn), "minutes" to note.durationMinutes, "mode" to note.mode.label(words)),
                        style = MaterialTheme.typography.titleSmall,
                    )
                    Body(
                        listOfNotNull(
                            if (note.status == NoteStatus.SUBMITTED) words.note.submitted else words.note.draft,
                            note.amends?.let { words.note.amendment },
                        ).joinToString(" · "),
                    )
                    Body(note.summary)
                }
            }
        }
    }
}

/** An encounter note: a draft offline, submitted then locked; corrections are amendments. */
@Composable
fun NoteScreen(nav: Nav, participantId: String, noteId: String?, amends: String?) {
    val words = LocalWords.current
    val w = words.note
    val model = rememberModel { NoteModel(nav.app.alongside, participantId, noteId, amends, nav.app, it) }
    val state by model.state.collectAsState()
    val form = state.form
    val locked = state.locked
    ScreenFrame(
        if (amends != null) w.amendment else w.title,
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { if (locked) MainButton(w.amend, model::amend) else MainButton(w.submit, model::submit) },
    ) {
        ScrollingColumn {
            state.amends?.let { Note(w.amends.fill("date" to words.date(it.occurredOn))) }
            if (locked) {
                Note(w.locked)
                val note = state.note ?: return@ScrollingColumn
                Body(w.noteRow.fill("date" to words.date(note.occurredOn), "minutes" to note.durationMinutes, "mode" to note.mode.label(words)))
                Body(note.location.label(words) + " · " + note.serviceTypes.joinToString(", ") { it.label(words) })
                val worked = state.goals.filter { it.id in note.goalIds }.map { it.title }
                if (worked.isNotEmpty()) Body("${w.goals}: ${worked.joinToString(" · ")}")
                Text(note.summary, style = MaterialTheme.typography.bodyLarge)
                note.nextSteps?.let { Body("${w.nextSteps}: $it") }
                return@ScrollingColumn
            }
            Field(w.date, form.occurredOn, { v -> model.edit { copy(occurredOn = v) } }, "occurred_on", form.problem, hint = words.common.dateHint)
            Field(w.minutes, form.minutes, { v -> model.edit { copy(minutes = v) } }, "duration_minutes", form.problem, Input.NUMBER)
            Text(w.mode, style = MaterialTheme.typography.labelLarge)
            Choices(EncounterMode.entries, form.mode, { it.label(words) }) { m -> model.edit { copy(mode = m) } }
            Text(w.location, style = MaterialTheme.typography.labelLarge)
            Choices(EncounterLocation.entries, form.location, { it.label(words) }) { l -> model.edit { copy(location = l) } }
            Text(w.services, style = MaterialTheme.typography.labelLarge)
            ManyChoices(ServiceType.entries, form.services, { it.label(words) }) { s ->
                model.edit { copy(services = if (s in services) services - s else services + s) }
            }
            if (state.goals.isNotEmpty()) {
                Text(w.goals, style = MaterialTheme.typography.labelLarge)
                ManyChoices(state.goals.map { it.id }, form.goalIds, { id -> state.goals.first { it.id == id }.title }) { id ->
                    model.edit { copy(goalIds = if (id in goalIds) goalIds - id else goalIds + id) }
                }
            }
            Field(w.summary, form.summary, { v -> model.edit { copy(summary = v) } }, "summary", form.problem, Input.MULTILINE)
            Field(w.nextSteps, form.nextSteps, { v -> model.edit { copy(nextSteps = v) } }, "next_steps", form.problem, Input.MULTILINE)
            ProblemNote(form.problem, setOf("occurred_on", "duration_minutes", "summary", "next_steps"))
            if (form.saved) Note(w.draftSaved)
            SecondaryButton(w.saveDraft, model::saveDraft)
        }
    }
}

/** Inviting a participant: a code to read aloud. */
@Composable
fun InviteScreen(nav: Nav) {
    val words = LocalWords.current
    val w = words.invite
    val model = rememberModel { InviteModel(nav.app.alongside, it) }
    val state by model.state.collectAsState()
    ScreenFrame(w.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(w.makeCode, model::invite, enabled = !state.busy) }) {
        ScrollingColumn {
            Body(w.body)
            Field(w.name, state.name, model::editName, "display_name", state.problem)
            ProblemNote(if (state.problem is org.alongside.app.data.Problem.Offline) null else state.problem, setOf("display_name"))
            if (state.problem is org.alongside.app.data.Problem.Offline) Note(w.needsConnection)
            state.invite?.let { invite ->
                Panel {
                    Body(w.readAloud.fill("name" to state.name.trim()))
                    Text(invite.code, style = MaterialTheme.typography.displaySmall, modifier = Modifier.semantics { heading() })
                    Body(w.expires.fill("date" to words.date(invite.expiresAt.atZone(ZoneId.systemDefault()).toLocalDate())))
                }
            }
        }
    }
}
