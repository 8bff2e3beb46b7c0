package org.alongside.app.state

import java.time.LocalDate
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.alongside.app.data.Alongside
import org.alongside.app.data.Platform
import org.alongside.app.data.Problem
import org.alongside.core.OutboxItem
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.merge
import org.alongside.core.model.Collection
import org.alongside.core.model.ConflictView
import org.alongside.core.model.EncounterNote
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.Settle

/** Export of everything about the person: where the file went, or what stopped it. */
data class ExportState(val savedTo: String? = null, val problem: Problem? = null)

class ExportModel(app: Alongside, private val participantId: String, private val platform: Platform, scope: CoroutineScope) :
    ScreenModel(app, scope) {
    private val current = MutableStateFlow(ExportState())
    val state: StateFlow<ExportState> = current.asStateFlow()

    fun export() = act({ problem -> current.value = ExportState(problem = problem) }) {
        val json = app.local { exportParticipant(participantId) }
        current.value = ExportState(savedTo = platform.export("alongside-${LocalDate.now()}.json", json))
    }
}

/** Changes not yet taken by the server: waiting, or refused with its reason. */
class OutboxModel(app: Alongside, scope: CoroutineScope) : ScreenModel(app, scope) {
    /**
     * Read again after every sync status (a push changes the outbox without
     * changing records) and every change (sending again or letting go does).
     */
    val items: StateFlow<List<OutboxItem>?> = merge<Any>(app.syncStatus, app.changes).map { app.local { outbox() } }.state(null)

    /** Edits made here that lost to another made at the same time, kept for the person. */
    val conflicts: StateFlow<List<ConflictView>?> = app.query(null, Collection.entries.toSet()) { conflicts() }.state(null)

    private val failure = MutableStateFlow<Problem?>(null)
    val problem: StateFlow<Problem?> = failure.asStateFlow()

    /** Sends a refused change again, with the record as it is now. */
    fun sendAgain(item: OutboxItem) = act({ failure.value = it }) { app.local { retryRefused(item.changeId) } }

    /** Lets a refused change go; the server's copy comes back with the next sync. */
    fun letGo(item: OutboxItem) = act({ failure.value = it }) { app.local { discardRefused(item.changeId) } }

    fun keepMine(conflict: ConflictView) = act({ failure.value = it }) { app.local { settleConflict(conflict.id, Settle.KEEP_MINE) } }

    fun keepTheirs(conflict: ConflictView) = act({ failure.value = it }) { app.local { settleConflict(conflict.id, Settle.KEEP_THEIRS) } }
}

/** The encounter notes a participant's peer worker submitted about them, newest first. */
class NotesModel(app: Alongside, participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val notes: StateFlow<List<EncounterNote>?> = app.query(participantId, setOf(Collection.ENCOUNTER_NOTES)) {
        listEncounterNotes(participantId).filter { it.status == NoteStatus.SUBMITTED }.sortedByDescending { it.occurredOn }
    }.state(null)
}
