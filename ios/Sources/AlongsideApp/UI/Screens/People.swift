import Alongside
import SwiftUI

@MainActor
struct PeopleScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: PeopleModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: PeopleModel(store: nav.app.store, participantId: nav.app.participantId))
    }

    var body: some View {
        ScreenFrame(
            title: words.people.title, back: nil, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.people.add, { nav.go(.contactForm(contactId: nil)) })),
            tabs: AnyView(ParticipantTabs(nav: nav, current: .people))
        ) {
            BodyText(words.people.intro)
            if model.contacts?.isEmpty == true { BodyText(words.people.empty) }
            ForEach(model.contacts ?? [], id: \.id) { contact in
                Panel {
                    Button { nav.go(.contactForm(contactId: contact.id)) } label: {
                        VStack(alignment: .leading, spacing: 4) {
                            Text(contact.name).font(.headline).foregroundColor(.primary)
                            BodyText(details(contact))
                        }
                        .frame(maxWidth: .infinity, minHeight: target, alignment: .leading)
                        .contentShape(Rectangle())
                    }
                    .buttonStyle(.plain)
                    if let phone = contact.phone {
                        CallAndText(name: contact.name, phone: phone, canText: contact.canText, platform: nav.app.platform)
                    }
                }
            }
        }
    }

    private func details(_ contact: Contact) -> String {
        [label(contact.role, words), contact.isEmergency ? words.people.emergency : nil, contact.availability]
            .compactMap { $0 }
            .joined(separator: " · ")
    }
}

@MainActor
struct ContactFormScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ContactFormModel
    private let nav: Nav
    private let contactId: String?

    init(nav: Nav, contactId: String?) {
        self.nav = nav
        self.contactId = contactId
        _model = StateObject(wrappedValue: ContactFormModel(session: nav.app, participantId: nav.app.participantId, contactId: contactId))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: contactId == nil ? words.people.add : (form.name.trimmed.isEmpty ? words.people.title : form.name),
            back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.common.save, { model.save() }))
        ) {
            Group {
                Field(words.people.name, form.name, { v in model.edit { $0.name = v } }, "name", form.problem)
                Text(words.people.role).font(.subheadline.weight(.semibold))
                Choices(options: contactRoles, selected: form.role, label: { label($0, words) }) { r in model.edit { $0.role = r } }
                Field(words.people.phone, form.phone, { v in model.edit { $0.phone = v } }, "phone", form.problem)
                Toggled(words.people.canText, form.canText) { v in model.edit { $0.canText = v } }
                Toggled(words.people.emergency, form.isEmergency) { v in model.edit { $0.isEmergency = v } }
            }
            Field(words.people.availability, form.availability, { v in model.edit { $0.availability = v } }, "availability", form.problem)
            Field(words.people.email, form.email, { v in model.edit { $0.email = v } }, "email", form.problem)
            Field(words.people.notes, form.notes, { v in model.edit { $0.notes = v } }, "notes", form.problem, .multiline)
            ProblemNote(form.problem, ["name", "phone", "availability", "email", "notes"])
            if contactId != nil {
                SecondaryButton(words.common.remove, { model.remove() })
            }
        }
    }
}
