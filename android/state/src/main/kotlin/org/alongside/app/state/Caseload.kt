package org.alongside.app.state

import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.combine
import kotlinx.coroutines.flow.flatMapLatest
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.app.data.SyncLine
import org.alongside.app.data.syncLine
import org.alongside.core.CaseloadEntry
import org.alongside.core.Invite
import org.alongside.core.model.Collection
import org.alongside.core.model.EncounterLocation
import org.alongside.core.model.EncounterMode
import org.alongside.core.model.EncounterNote
import org.alongside.core.model.Goal
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.ParticipantOverview
import org.alongside.core.model.ServiceType

/** A peer worker's caseload, in the order the core gives: who needs contact first. */
class CaseloadModel(app: Alongside, scope: CoroutineScope) : ScreenModel(app, scope) {
    val rows: StateFlow<List<CaseloadEntry>?> = app.query(null, Collection.entries.toSet()) { caseload() }.state(null)
    val sync: StateFlow<SyncLine> = app.syncLine().state(SyncLine.Saved(null))
}

/** One participant's page for their peer worker. */
class ParticipantModel(app: Alongside, participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val overview: StateFlow<ParticipantOverview?> =
        app.query(participantId, Collection.entries.toSet()) { found { participantOverview(participantId) } }.state(null)

    fun acknowledge(reachOutId: String) = act({}) { app.local { acknowledgeReachOut(reachOutId) } }

    fun resolve(reachOutId: String) = act({}) { app.local { resolveReachOut(reachOutId) } }
}

/** An encounter note as it is written. */
data class NoteForm(
    val occurredOn: String = LocalDate.now(ZoneId.systemDefault()).toString(),
    val minutes: String = "",
    val mode: EncounterMode = EncounterMode.IN_PERSON,
    val location: EncounterLocation = EncounterLocation.COMMUNITY,
    val services: Set<ServiceType> = setOf(ServiceType.RECOVERY_COACHING),
    val goalIds: Set<String> = emptySet(),
    val summary: String = "",
    val nextSteps: String = "",
    val problem: Problem? = null,
    val saved: Boolean = false,
)

/**
 * The note and what it may point at. [note] is the stored note (null until
 * the first save); a submitted one is [locked] and can only be amended.
 */
data class NoteState(
    val form: NoteForm = NoteForm(),
    val note: EncounterNote? = null,
    val goals: List<Goal> = emptyList(),
    val amends: EncounterNote? = null,
) {
    val locked: Boolean get() = note?.status == NoteStatus.SUBMITTED
}

/**
 * An encounter note written in the field, offline: a draft is saved and
 * edited; submitting locks it; a correction is a new note that amends it.
 */
class NoteModel(
    app: Alongside,
    private val participantId: String,
    noteId: String?,
    private val amendsId: String?,
    private val session: AppModel,
    scope: CoroutineScope,
) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(NoteForm())
    private val noteId = MutableStateFlow(noteId)
    @OptIn(ExperimentalCoroutinesApi::class)
    private val stored = this.noteId.flatMapLatest { id ->
        app.query(participantId, NOTE_COLLECTIONS) {
            Triple(
                id?.let { found { getEncounterNote(it) } },
                found { participantOverview(participantId) }?.goals.orEmpty(),
                amendsId?.let { found { getEncounterNote(it) } },
            )
        }
    }
    val state: StateFlow<NoteState> = combine(stored, form) { (note, goals, amends), entered ->
        NoteState(entered, note, goals, amends)
    }.state(NoteState())

    init {
        val from = noteId ?: amendsId
        if (from != null) act({}) {
            val note = app.local { getEncounterNote(from) }
            form.value = NoteForm(
                occurredOn = note.occurredOn.toString(),
                minutes = note.durationMinutes.toString(),
                mode = note.mode,
                location = note.location,
                services = note.serviceTypes.toSet(),
                goalIds = note.goalIds.toSet(),
                summary = note.summary,
                nextSteps = note.nextSteps.orEmpty(),
            )
        }
    }

    fun edit(change: NoteForm.() -> NoteForm) = form.update { it.change().copy(problem = null, saved = false) }

    /** Keeps the note as a draft on this phone (sent with the next sync). */
    fun saveDraft() = act(::failed) {
        write(submit = false)
    }

    /** Saves and submits: from then on the note is locked. */
    fun submit() = act(::failed) {
        write(submit = true)
    }

    /** Opens a new note that corrects this submitted one. */
    fun amend() {
        val id = noteId.value ?: return
        session.navigator.back()
        session.navigator.go(Screen.Note(participantId, amends = id))
    }

    private suspend fun write(submit: Boolean) {
        val entered = form.value
        val words = session.words.value
        val written = EncounterNote(
            participantId = participantId,
            status = NoteStatus.DRAFT,
            occurredOn = requiredDate(entered.occurredOn, "occurred_on", words),
            durationMinutes = typedNumber(entered.minutes) ?: 0,
            mode = entered.mode,
            location = entered.location,
            serviceTypes = ServiceType.entries.filter { it in entered.services },
            goalIds = entered.goalIds.toList(),
            summary = entered.summary.trim(),
            nextSteps = entered.nextSteps.trim().ifEmpty { null },
        )
        val amends = amendsId
        val saved = app.local {
            val current = noteId.value?.let { getEncounterNote(it) }
            val note = when {
                current != null -> updateEncounterNote(current, written.copy(id = current.id, amends = current.amends))
                amends != null && submit -> amendEncounterNote(amends, written)
                else -> draftEncounterNote(written.copy(amends = amends))
            }
            if (submit && note.status == NoteStatus.DRAFT) submitEncounterNote(note.id) else note
        }
        noteId.value = saved.id
        form.update { it.copy(saved = true) }
        if (submit) session.navigator.back()
    }

    private fun failed(problem: Problem) = form.update { it.copy(problem = problem) }

    private companion object {
        val NOTE_COLLECTIONS = setOf(Collection.ENCOUNTER_NOTES, Collection.GOALS)
    }
}

/** Inviting a participant: the code to read aloud. */
data class InviteState(val name: String = "", val invite: Invite? = null, val problem: Problem? = null, val busy: Boolean = false)

class InviteModel(app: Alongside, scope: CoroutineScope) : ScreenModel(app, scope) {
    private val current = MutableStateFlow(InviteState())
    val state: StateFlow<InviteState> = current.asStateFlow()

    fun editName(name: String) = current.update { InviteState(name = name) }

    fun invite() {
        val name = current.value.name.trim()
        current.update { it.copy(busy = true, problem = null) }
        act({ problem -> current.update { it.copy(busy = false, problem = problem) } }) {
            val invite = app.core.invite(name)
            current.update { it.copy(busy = false, invite = invite) }
        }
    }
}
