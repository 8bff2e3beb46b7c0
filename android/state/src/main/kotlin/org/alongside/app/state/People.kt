package org.alongside.app.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import org.alongside.app.data.Alongside
import org.alongside.app.data.Problem
import org.alongside.core.model.Collection
import org.alongside.core.model.Contact
import org.alongside.core.model.ContactRole

/** The people a participant leans on, emergency ones first (the core's order). */
class PeopleModel(app: Alongside, participantId: String, scope: CoroutineScope) : ScreenModel(app, scope) {
    val contacts: StateFlow<List<Contact>?> = app.query(participantId, setOf(Collection.CONTACTS)) { contacts(participantId) }.state(null)
}

/** A contact being added or edited. */
data class ContactForm(
    val name: String = "",
    val role: ContactRole = ContactRole.FRIEND,
    val phone: String = "",
    val canText: Boolean = false,
    val email: String = "",
    val availability: String = "",
    val isEmergency: Boolean = false,
    val notes: String = "",
    val problem: Problem? = null,
)

class ContactFormModel(
    app: Alongside,
    private val participantId: String,
    private val contactId: String?,
    private val session: AppModel,
    scope: CoroutineScope,
) : ScreenModel(app, scope) {
    private val form = MutableStateFlow(ContactForm())
    private var original: Contact? = null
    val state: StateFlow<ContactForm> = form.asStateFlow()

    init {
        if (contactId != null) act({}) {
            val contact = app.local { getContact(contactId) }
            original = contact
            form.value = ContactForm(
                name = contact.name,
                role = contact.role,
                phone = contact.phone.orEmpty(),
                canText = contact.canText,
                email = contact.email.orEmpty(),
                availability = contact.availability.orEmpty(),
                isEmergency = contact.isEmergency,
                notes = contact.notes.orEmpty(),
            )
        }
    }

    fun edit(change: ContactForm.() -> ContactForm) = form.update { it.change().copy(problem = null) }

    fun save() {
        val entered = form.value
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            val before = original
            val edited = (before ?: Contact(participantId = participantId, name = "", role = entered.role)).copy(
                name = entered.name.trim(),
                role = entered.role,
                phone = entered.phone.trim().ifEmpty { null },
                canText = entered.canText,
                email = entered.email.trim().ifEmpty { null },
                availability = entered.availability.trim().ifEmpty { null },
                isEmergency = entered.isEmergency,
                notes = entered.notes.trim().ifEmpty { null },
            )
            app.local { if (before == null) createContact(edited) else updateContact(before, edited) }
            session.navigator.back()
        }
    }

    fun remove() {
        val id = contactId ?: return
        act({ problem -> form.update { it.copy(problem = problem) } }) {
            app.local { deleteContact(id) }
            session.navigator.back()
        }
    }
}
