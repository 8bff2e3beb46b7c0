package org.alongside.app.ui.screens

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material.icons.filled.Email
import androidx.compose.material3.FilledTonalButton
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.data.Platform
import org.alongside.app.data.fill
import org.alongside.app.state.ContactFormModel
import org.alongside.app.state.PeopleModel
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
import org.alongside.app.ui.kit.Panel
import org.alongside.app.ui.kit.ProblemNote
import org.alongside.app.ui.kit.ScreenFrame
import org.alongside.app.ui.kit.ScrollingColumn
import org.alongside.app.ui.kit.Toggle
import org.alongside.app.ui.kit.label
import org.alongside.core.model.Contact
import org.alongside.core.model.ContactRole

@Composable
fun PeopleScreen(nav: Nav) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { PeopleModel(nav.app.alongside, me, it) }
    val contacts by model.contacts.collectAsState()
    ScreenFrame(
        words.people.title,
        onBack = null,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.people.add, { nav.go(Screen.ContactForm()) }) },
        bottomBar = { ParticipantTabs(nav, Screen.People) },
    ) {
        ScrollingColumn {
            Body(words.people.intro)
            if (contacts?.isEmpty() == true) Body(words.people.empty)
            contacts.orEmpty().forEach { contact ->
                Panel(Modifier.clickable { nav.go(Screen.ContactForm(contact.id)) }) {
                    Text(contact.name, style = MaterialTheme.typography.titleMedium)
                    Body(listOfNotNull(contact.role.label(words), words.people.emergency.takeIf { contact.isEmergency }, contact.availability).joinToString(" · "))
                    CallAndText(contact, nav.app.platform)
                }
            }
        }
    }
}

/** Call and text buttons for a contact with a phone number. */
@Composable
fun CallAndText(contact: Contact, platform: Platform) {
    val phone = contact.phone ?: return
    CallAndText(contact.name, phone, contact.canText, platform)
}

/** Call [name] at [phone], and text them when they take texts. */
@Composable
fun CallAndText(name: String, phone: String, canText: Boolean, platform: Platform) {
    val words = LocalWords.current
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        FilledTonalButton(onClick = { platform.call(phone) }, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
            Icon(Icons.Filled.Call, contentDescription = null)
            Text(" " + words.people.call.fill("name" to name))
        }
        if (canText) {
            OutlinedButton(onClick = { platform.text(phone) }, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
                Icon(Icons.Filled.Email, contentDescription = null)
                Text(" " + words.people.text.fill("name" to name))
            }
        }
    }
}

@Composable
fun ContactFormScreen(nav: Nav, contactId: String?) {
    val words = LocalWords.current
    val me = nav.app.participantId
    val model = rememberModel { ContactFormModel(nav.app.alongside, me, contactId, nav.app, it) }
    val form by model.state.collectAsState()
    ScreenFrame(
        if (contactId == null) words.people.add else form.name.ifBlank { words.people.title },
        onBack = nav.back,
        onCrisis = nav.crisis,
        mainAction = { MainButton(words.common.save, model::save) },
    ) {
        ScrollingColumn {
            Field(words.people.name, form.name, { v -> model.edit { copy(name = v) } }, "name", form.problem)
            Text(words.people.role, style = MaterialTheme.typography.labelLarge)
            Choices(ContactRole.entries, form.role, { it.label(words) }) { r -> model.edit { copy(role = r) } }
            Field(words.people.phone, form.phone, { v -> model.edit { copy(phone = v) } }, "phone", form.problem)
            Toggle(words.people.canText, form.canText) { v -> model.edit { copy(canText = v) } }
            Toggle(words.people.emergency, form.isEmergency) { v -> model.edit { copy(isEmergency = v) } }
            Field(words.people.availability, form.availability, { v -> model.edit { copy(availability = v) } }, "availability", form.problem)
            Field(words.people.email, form.email, { v -> model.edit { copy(email = v) } }, "email", form.problem)
            Field(words.people.notes, form.notes, { v -> model.edit { copy(notes = v) } }, "notes", form.problem, Input.MULTILINE)
            ProblemNote(form.problem, setOf("name", "phone", "availability", "email", "notes"))
            if (contactId != null) {
                OutlinedButton(onClick = model::remove, modifier = Modifier.heightIn(min = 48.dp)) { Text(words.common.remove) }
            }
        }
    }
}
