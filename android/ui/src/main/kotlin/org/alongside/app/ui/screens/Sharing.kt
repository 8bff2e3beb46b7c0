package org.alongside.app.ui.screens

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import java.time.Instant
import java.time.OffsetDateTime
import org.alongside.app.data.ago
import org.alongside.app.data.count
import org.alongside.app.data.fill
import org.alongside.app.state.SharingModel
import org.alongside.app.state.WhoLooked
import org.alongside.app.ui.Nav
import org.alongside.app.ui.rememberModel
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.Field
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.MainButton
import org.alongside.app.ui.kit.Note
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.SectionTitle
import org.alongside.app.ui.kit.Toggle
import org.alongside.app.ui.kit.label
import org.alongside.core.model.AuditEntry
import org.alongside.core.model.Words
import org.alongside.core.categoryOf
import org.alongside.core.shareableCategories

/** Consent: what the peer worker sees, per category, until when; and who looked. */
@Composable
fun SharingScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { SharingModel(nav.app.alongside, me, nav.app, it) }
    val state by model.state.collectAsState()
    val categories = remember { shareableCategories() }
    ScreenFrame(words.sharing.title, onBack = nav.back, onCrisis = nav.crisis, mainAction = { MainButton(words.sharing.save, model::save) }) {
        ScrollingColumn {
            val sharing = state.sharing ?: return@ScrollingColumn
            Body(words.sharing.intro)
            categories.forEach { category ->
                Toggle(category.label(words), model.shares(sharing, category)) { model.toggle(category) }
            }
            Field(words.sharing.until, state.until, model::editUntil, "expires_on", state.problem, hint = words.common.dateHint)
            Body(words.sharing.untilHelp)
            ProblemNote(state.problem, setOf("expires_on"))
            if (state.saved) Note(words.sharing.saved)
            SectionTitle(words.sharing.whoLooked)
            when (val who = state.whoLooked) {
                WhoLooked.NotAsked -> SecondaryButton(words.sharing.loadWhoLooked, model::loadWhoLooked)
                WhoLooked.Asking -> Body(words.common.loading)
                WhoLooked.Offline -> Body(words.sharing.whoLookedOffline)
                is WhoLooked.Entries -> {
                    if (who.entries.isEmpty()) Body(words.sharing.nobodyYet)
                    who.entries.forEach { entry -> Panel { Body(auditLine(entry, me, words)) } }
                }
            }
        }
    }
}

/** "Your peer worker received Goals and progress (3 items) · 5 min ago". */
private fun auditLine(entry: AuditEntry, me: String, words: Words): String {
    val who = when {
        entry.actorId == me -> words.sharing.you
        entry.actorRole == "peer_worker" -> words.sharing.yourPeerWorker
        else -> words.sharing.programAdmin
    }
    val what = entry.collections.mapNotNull { name -> categoryOf(name)?.label(words) }.distinct().joinToString(", ")
    val template = if (entry.action == "push") words.sharing.auditSent else words.sharing.auditReceived
    val at = runCatching { OffsetDateTime.parse(entry.at).toInstant() }.getOrDefault(Instant.now())
    return "${template.fill("who" to who, "what" to what)} (${words.sharing.items.count(entry.count.toLong())}) · ${words.ago(at)}"
}
