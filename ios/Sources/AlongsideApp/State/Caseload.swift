import Alongside
import Foundation

/// A peer worker's caseload, in the order the core gives: who needs contact first.
@MainActor
public final class CaseloadModel: ScreenModel {
    @Published public private(set) var rows: [CaseloadEntry]? = nil
    @Published public private(set) var sync: SyncLine = .saved(lastSynced: nil)

    public override init(store: Store) {
        super.init(store: store)
        follow(store.query(nil) { try $0.caseload() }) { [weak self] in self?.rows = $0 }
        follow(store.syncLines()) { [weak self] in self?.sync = $0 }
    }
}

/// One participant's page for their peer worker.
@MainActor
public final class ParticipantModel: ScreenModel {
    @Published public private(set) var overview: ParticipantOverview? = nil

    public init(store: Store, participantId: String) {
        super.init(store: store)
        follow(store.query(participantId) { core in try found { try core.participantOverview(participantId: participantId) } }) { [weak self] in
            self?.overview = $0
        }
    }

    public func acknowledge(_ reachOutId: String) {
        let store = self.store
        act({ _ in }) { _ = try await store.local { try $0.acknowledgeReachOut(id: reachOutId) } }
    }

    public func resolve(_ reachOutId: String) {
        let store = self.store
        act({ _ in }) { _ = try await store.local { try $0.resolveReachOut(id: reachOutId) } }
    }
}

/// An encounter note as it is written.
public struct NoteForm: Equatable, Sendable {
    public var occurredOn = NoteForm.today()
    public var minutes = ""
    public var mode = EncounterMode.inPerson
    public var location = EncounterLocation.community
    public var services: Set<ServiceType> = [.recoveryCoaching]
    public var goalIds: Set<String> = []
    public var summary = ""
    public var nextSteps = ""
    public var problem: Problem?
    public var saved = false

    static func today() -> String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy-MM-dd"
        return format.string(from: Date())
    }
}

/// The note and what it may point at. `note` is the stored note (nil until the
/// first save); a submitted one is locked and can only be amended.
public struct NoteState: Equatable, Sendable {
    public var form = NoteForm()
    public var note: EncounterNote?
    public var goals: [Goal] = []
    public var amends: EncounterNote?

    public var locked: Bool { note?.status == .submitted }
}

private struct NoteRecords: Equatable, Sendable {
    let note: EncounterNote?
    let goals: [Goal]
    let amends: EncounterNote?
}

/// The service types in the protocol's order.
public let serviceTypes: [ServiceType] = [.recoveryCoaching, .resourceNavigation, .crisisSupport, .group, .advocacy, .familySupport, .other]

/// An encounter note written in the field, offline: a draft is saved and edited;
/// submitting locks it; a correction is a new note that amends it.
@MainActor
public final class NoteModel: ScreenModel {
    @Published public private(set) var state = NoteState()
    private let participantId: String
    private let amendsId: String?
    private let session: AppModel
    private var noteId: String?
    private let reading = TaskSlot()

    public init(session: AppModel, participantId: String, noteId: String?, amends: String?) {
        self.session = session
        self.participantId = participantId
        self.noteId = noteId
        self.amendsId = amends
        super.init(store: session.store)
        readStored()
        if let from = noteId ?? amends {
            act({ _ in }) { [weak self] in
                guard let note = try await self?.store.local({ try $0.getEncounterNote(id: from) }) else { return }
                self?.state.form = NoteForm(
                    occurredOn: note.occurredOn, minutes: String(note.durationMinutes), mode: note.mode, location: note.location,
                    services: Set(note.serviceTypes), goalIds: Set(note.goalIds), summary: note.summary, nextSteps: note.nextSteps ?? "")
            }
        }
    }

    /// The stored note (once it has an id), the goals it may point at, and the note it amends.
    private func readStored() {
        let id = noteId
        let amendsId = self.amendsId
        let participantId = self.participantId
        let read = store.query(participantId, [.encounterNotes, .goals]) { core in
            NoteRecords(
                note: try id.flatMap { id in try found { try core.getEncounterNote(id: id) } },
                goals: try found { try core.participantOverview(participantId: participantId) }?.goals ?? [],
                amends: try amendsId.flatMap { id in try found { try core.getEncounterNote(id: id) } })
        }
        reading.replace(Task { [weak self] in
            for await records in read {
                self?.state.note = records.note
                self?.state.goals = records.goals
                self?.state.amends = records.amends
            }
        })
    }

    public func edit(_ change: (inout NoteForm) -> Void) {
        change(&state.form)
        state.form.problem = nil
        state.form.saved = false
    }

    /// Keeps the note as a draft on this phone (sent with the next sync).
    public func saveDraft() {
        act({ [weak self] in self?.state.form.problem = $0 }) { [weak self] in try await self?.write(submit: false) }
    }

    /// Saves and submits: from then on the note is locked.
    public func submit() {
        act({ [weak self] in self?.state.form.problem = $0 }) { [weak self] in try await self?.write(submit: true) }
    }

    /// Opens a new note that corrects this submitted one.
    public func amend() {
        guard let id = noteId else { return }
        session.navigator.back()
        session.navigator.go(.note(participantId: participantId, noteId: nil, amends: id))
    }

    private func write(submit: Bool) async throws {
        let entered = state.form
        let written = EncounterNote(
            participantId: participantId, status: .draft,
            occurredOn: try requiredDate(entered.occurredOn, field: "occurred_on", words: session.words),
            durationMinutes: typedNumber(entered.minutes) ?? 0, mode: entered.mode, location: entered.location,
            serviceTypes: serviceTypes.filter { entered.services.contains($0) },
            goalIds: Array(entered.goalIds).sorted(), summary: entered.summary.trimmed, nextSteps: entered.nextSteps.trimmedOrNil)
        let amends = amendsId
        let currentId = noteId
        let saved = try await store.local { core -> EncounterNote in
            let note: EncounterNote
            if let currentId {
                let current = try core.getEncounterNote(id: currentId)
                var edited = written
                edited.id = current.id
                edited.amends = current.amends
                note = try core.updateEncounterNote(original: current, edited: edited)
            } else if let amends, submit {
                note = try core.amendEncounterNote(id: amends, corrected: written)
            } else {
                var draft = written
                draft.amends = amends
                note = try core.draftEncounterNote(note: draft)
            }
            return submit && note.status == .draft ? try core.submitEncounterNote(id: note.id) : note
        }
        if noteId != saved.id {
            noteId = saved.id
            readStored()
        }
        state.form.saved = true
        if submit { session.navigator.back() }
    }
}

/// Inviting a participant: the code to read aloud.
public struct InviteState: Equatable, Sendable {
    public var name = ""
    public var invite: Invite?
    public var problem: Problem?
    public var busy = false
}

@MainActor
public final class InviteModel: ScreenModel {
    @Published public private(set) var state = InviteState()

    public func editName(_ name: String) {
        state = InviteState(name: name)
    }

    public func invite() {
        let name = state.name.trimmed
        let core = store.core
        state.busy = true
        state.problem = nil
        act({ [weak self] problem in
            self?.state.busy = false
            self?.state.problem = problem
        }) { [weak self] in
            let invite = try await core.invite(displayName: name)
            self?.state.busy = false
            self?.state.invite = invite
        }
    }
}
