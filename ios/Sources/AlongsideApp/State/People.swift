import Alongside
import Foundation

/// The people a participant leans on, emergency ones first (the core's order).
@MainActor
public final class PeopleModel: ScreenModel {
    @Published public private(set) var contacts: [Contact]? = nil

    public init(store: Store, participantId: String) {
        super.init(store: store)
        follow(store.query(participantId, [.contacts]) { try $0.contacts(participantId: participantId) }) { [weak self] in self?.contacts = $0 }
    }
}

/// A contact being added or edited.
public struct ContactForm: Equatable, Sendable {
    public var name = ""
    public var role = ContactRole.friend
    public var phone = ""
    public var canText = false
    public var email = ""
    public var availability = ""
    public var isEmergency = false
    public var notes = ""
    public var problem: Problem?
}

@MainActor
public final class ContactFormModel: ScreenModel {
    @Published public private(set) var form = ContactForm()
    private let participantId: String
    private let contactId: String?
    private let session: AppModel
    private var original: Contact?

    public init(session: AppModel, participantId: String, contactId: String?) {
        self.session = session
        self.participantId = participantId
        self.contactId = contactId
        super.init(store: session.store)
        if let contactId {
            act({ _ in }) { [weak self] in
                guard let contact = try await self?.store.local({ try $0.getContact(id: contactId) }) else { return }
                self?.original = contact
                self?.form = ContactForm(
                    name: contact.name, role: contact.role, phone: contact.phone ?? "", canText: contact.canText,
                    email: contact.email ?? "", availability: contact.availability ?? "", isEmergency: contact.isEmergency,
                    notes: contact.notes ?? "")
            }
        }
    }

    public func edit(_ change: (inout ContactForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func save() {
        let entered = form
        let before = original
        var edited = before ?? Contact(participantId: participantId, name: "", role: entered.role)
        edited.name = entered.name.trimmed
        edited.role = entered.role
        edited.phone = entered.phone.trimmedOrNil
        edited.canText = entered.canText
        edited.email = entered.email.trimmedOrNil
        edited.availability = entered.availability.trimmedOrNil
        edited.isEmergency = entered.isEmergency
        edited.notes = entered.notes.trimmedOrNil
        let record = edited
        act({ [weak self] in self?.form.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { core in
                if let before { _ = try core.updateContact(original: before, edited: record) } else { _ = try core.createContact(record: record) }
            }
            self?.session.navigator.back()
        }
    }

    public func remove() {
        guard let id = contactId else { return }
        act({ [weak self] in self?.form.problem = $0 }) { [weak self] in
            _ = try await self?.store.local { try $0.deleteContact(id: id) }
            self?.session.navigator.back()
        }
    }
}
