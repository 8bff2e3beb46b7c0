import Alongside
import SwiftUI

/// A peer worker's caseload, who needs contact first, each with why.
@MainActor
struct CaseloadScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: CaseloadModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: CaseloadModel(store: nav.app.store))
    }

    var body: some View {
        ScreenFrame(
            title: words.caseload.title, back: nil, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.caseload.invite, { nav.go(.invite) })),
            actions: AnyView(HStack(spacing: 0) {
                IconAction(systemImage: "phone", label: words.myContact.title) { nav.go(.myContact) }
                IconAction(systemImage: "rectangle.portrait.and.arrow.right", label: words.common.signOut) { nav.app.signOut() }
            })
        ) {
            if model.rows?.isEmpty == true { BodyText(words.caseload.empty) }
            ForEach(model.rows ?? [], id: \.participantId) { row in
                Button { nav.go(.participant(participantId: row.participantId)) } label: {
                    Panel {
                        Text(row.displayName).font(.headline).foregroundColor(.primary)
                        // Urgent in the theme's accent, never in crisis red.
                        Text(why(row, words)).font(.body).foregroundColor(row.priority == .urgentReachOut ? .accentColor : .secondary)
                        if let days = row.daysInRecovery { BodyText(words.caseload.days.plural(days)) }
                        if let last = row.lastCheckIn {
                            BodyText(words.caseload.lastCheckIn.fill(("when", words.ago(last.at)), ("mood", last.mood)))
                        }
                    }
                }
                .buttonStyle(.plain)
            }
            SyncLineView(line: model.sync) { nav.go(.outbox) }
        }
    }
}

/// Why this person is where they are in the caseload: "Urgent reach-out, 5 min ago".
func why(_ row: CaseloadEntry, _ words: Words) -> String {
    let w = words.caseload
    let oldest = row.openReachOuts.min { $0.createdAt < $1.createdAt }
    switch row.priority {
    case .urgentReachOut:
        let urgent = row.openReachOuts.filter { $0.urgency == .urgent && $0.status == .open }.min { $0.createdAt < $1.createdAt }
        return w.urgent.fill(("when", words.ago((urgent ?? oldest)?.createdAt ?? timestampNow())))
    case .openReachOut: return w.open.fill(("when", words.ago(oldest?.createdAt ?? timestampNow())))
    case .unreadMessages: return w.unread.plural(Int64(row.unreadMessages))
    case .goalsNeedAttention: return w.goals.plural(Int64(row.goalsNeedingAttention.count))
    case .noneWaiting: return w.nothingWaiting
    }
}

/// One participant's page: what they share, reach-outs, goals with GAS, check-ins, notes.
@MainActor
struct ParticipantScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ParticipantModel
    private let nav: Nav
    private let participantId: String

    init(nav: Nav, participantId: String) {
        self.nav = nav
        self.participantId = participantId
        _model = StateObject(wrappedValue: ParticipantModel(store: nav.app.store, participantId: participantId))
    }

    var body: some View {
        let p = words.participant
        ScreenFrame(
            title: model.overview?.displayName ?? words.caseload.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(p.newNote, { nav.go(.note(participantId: participantId, noteId: nil, amends: nil)) }))
        ) {
            if let page = model.overview {
                let name = page.displayName
                Group {
                    if let pronouns = page.pronouns { BodyText(pronouns) }
                    if let days = page.daysInRecovery { Text(p.days.plural(days)).font(.title2) }
                    SectionTitle(p.shares.fill(("name", name)))
                    if page.shared.isEmpty {
                        BodyText(p.sharesBasics)
                    } else {
                        BodyText(page.shared.map { label($0, words) }.joined(separator: " · "))
                        if let until = page.sharedUntil { BodyText(p.sharesUntil.fill(("date", words.date(until)))) }
                    }
                    SecondaryButton(
                        p.messages + (page.unreadMessages > 0 ? " · " + words.messages.unread.plural(Int64(page.unreadMessages)) : ""),
                        { nav.go(.conversation(participantId: participantId)) })
                }
                Group {
                    SectionTitle(p.reachOuts)
                    if page.openReachOuts.isEmpty { BodyText(p.noReachOuts) }
                    ForEach(page.openReachOuts, id: \.id) { reachOut in
                        Panel {
                            Text("\(label(reachOut.urgency, words)) · \(words.ago(reachOut.createdAt))").font(.subheadline.weight(.semibold))
                            if let message = reachOut.message { Text(message).font(.body) }
                            if reachOut.status == .open { SecondaryButton(p.acknowledge, { model.acknowledge(reachOut.id) }) }
                            SecondaryButton(p.resolve, { model.resolve(reachOut.id) })
                        }
                    }
                    SectionTitle(p.goals)
                }
                if !page.shared.contains(.goals) {
                    Note(p.goalsNotShared.fill(("name", name)))
                } else if page.goals.isEmpty {
                    BodyText(p.noGoals)
                } else {
                    if let t = page.gasTScore { Text(p.gas.fill(("score", oneDecimalAlways(t, words)))).font(.headline) }
                    ForEach(page.goals, id: \.id) { goal in
                        Panel {
                            Text(goal.title).font(.subheadline.weight(.semibold))
                            BodyText(([label(goal.status, words)] + [goal.gasScore.map { gasLevel($0, words) }].compactMap { $0 }).joined(separator: " · "))
                        }
                    }
                }
                SectionTitle(p.checkIns)
                if !page.shared.contains(.checkIns) {
                    Note(p.checkInsNotShared.fill(("name", name)))
                } else if page.recentCheckIns.isEmpty {
                    BodyText(p.noCheckIns)
                } else {
                    ForEach(page.recentCheckIns, id: \.id) { checkIn in
                        BodyText(([p.checkInRow.fill(("mood", checkIn.mood), ("when", words.ago(checkIn.at)))]
                            + [checkIn.craving.map { p.checkInCraving.fill(("craving", $0)) }, checkIn.note].compactMap { $0 })
                            .joined(separator: " · "))
                    }
                }
                SectionTitle(p.notes)
                if page.encounterNotes.isEmpty { BodyText(p.noNotes) }
                ForEach(page.encounterNotes, id: \.id) { note in
                    Button { nav.go(.note(participantId: participantId, noteId: note.id, amends: nil)) } label: {
                        Panel {
                            Text(words.note.noteRow.fill(
                                ("date", words.date(note.occurredOn)), ("minutes", note.durationMinutes), ("mode", label(note.mode, words))
                            )).font(.subheadline.weight(.semibold)).foregroundColor(.primary)
                            BodyText(([note.status == .submitted ? words.note.submitted : words.note.draft]
                                + [note.amends.map { _ in words.note.amendment }].compactMap { $0 }).joined(separator: " · "))
                            BodyText(note.summary)
                        }
                    }
                    .buttonStyle(.plain)
                }
            }
        }
    }
}

/// A number with one decimal as people of this language write it ("62.5", "62,5").
func oneDecimalAlways(_ value: Double, _ words: Words) -> String {
    let format = NumberFormatter()
    format.locale = words.language.locale
    format.minimumFractionDigits = 1
    format.maximumFractionDigits = 1
    return format.string(from: NSNumber(value: value)) ?? String(value)
}

/// An encounter note: a draft offline, submitted then locked; corrections are amendments.
@MainActor
struct NoteScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: NoteModel
    private let nav: Nav
    private let amends: String?

    init(nav: Nav, participantId: String, noteId: String?, amends: String?) {
        self.nav = nav
        self.amends = amends
        _model = StateObject(wrappedValue: NoteModel(session: nav.app, participantId: participantId, noteId: noteId, amends: amends))
    }

    var body: some View {
        let w = words.note
        let state = model.state
        let form = state.form
        ScreenFrame(
            title: amends != nil ? w.amendment : w.title, back: nav.back, crisis: nav.crisis,
            mainAction: state.locked ? AnyView(MainButton(w.amend, { model.amend() })) : AnyView(MainButton(w.submit, { model.submit() }))
        ) {
            if let amended = state.amends { Note(w.amends.fill(("date", words.date(amended.occurredOn)))) }
            if state.locked {
                Note(w.locked)
                if let note = state.note {
                    BodyText(w.noteRow.fill(("date", words.date(note.occurredOn)), ("minutes", note.durationMinutes), ("mode", label(note.mode, words))))
                    BodyText(label(note.location, words) + " · " + note.serviceTypes.map { label($0, words) }.joined(separator: ", "))
                    let worked = state.goals.filter { note.goalIds.contains($0.id) }.map(\.title)
                    if !worked.isEmpty { BodyText("\(w.goals): \(worked.joined(separator: " · "))") }
                    Text(note.summary).font(.body)
                    if let next = note.nextSteps { BodyText("\(w.nextSteps): \(next)") }
                }
            } else {
                Group {
                    Field(w.date, form.occurredOn, { v in model.edit { $0.occurredOn = v } }, "occurred_on", form.problem, hint: words.common.dateHint)
                    Field(w.minutes, form.minutes, { v in model.edit { $0.minutes = v } }, "duration_minutes", form.problem, .number)
                    Text(w.mode).font(.subheadline.weight(.semibold))
                    Choices(options: encounterModes, selected: form.mode, label: { label($0, words) }) { m in model.edit { $0.mode = m } }
                    Text(w.location).font(.subheadline.weight(.semibold))
                    Choices(options: encounterLocations, selected: form.location, label: { label($0, words) }) { l in model.edit { $0.location = l } }
                }
                Text(w.services).font(.subheadline.weight(.semibold))
                ManyChoices(options: serviceTypes, selected: form.services, label: { label($0, words) }) { s in
                    model.edit { form in
                        if form.services.contains(s) { form.services.remove(s) } else { form.services.insert(s) }
                    }
                }
                if !state.goals.isEmpty {
                    Text(w.goals).font(.subheadline.weight(.semibold))
                    ManyChoices(options: state.goals.map(\.id), selected: form.goalIds,
                                label: { id in state.goals.first { $0.id == id }?.title ?? "" }) { id in
                        model.edit { form in
                            if form.goalIds.contains(id) { form.goalIds.remove(id) } else { form.goalIds.insert(id) }
                        }
                    }
                }
                Field(w.summary, form.summary, { v in model.edit { $0.summary = v } }, "summary", form.problem, .multiline)
                Field(w.nextSteps, form.nextSteps, { v in model.edit { $0.nextSteps = v } }, "next_steps", form.problem, .multiline)
                ProblemNote(form.problem, ["occurred_on", "duration_minutes", "summary", "next_steps"])
                if form.saved { Note(w.draftSaved) }
                SecondaryButton(w.saveDraft, { model.saveDraft() })
            }
        }
    }
}

/// Inviting a participant: a code to read aloud.
@MainActor
struct InviteScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: InviteModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: InviteModel(store: nav.app.store))
    }

    var body: some View {
        let w = words.invite
        let state = model.state
        ScreenFrame(
            title: w.title, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(w.makeCode, { model.invite() }, enabled: !state.busy))
        ) {
            BodyText(w.body)
            Field(w.name, state.name, { v in model.editName(v) }, "display_name", state.problem)
            if state.problem == .offline {
                Note(w.needsConnection)
            } else {
                ProblemNote(state.problem, ["display_name"])
            }
            if let invite = state.invite {
                Panel {
                    BodyText(w.readAloud.fill(("name", state.name.trimmed)))
                    Text(invite.code).font(.largeTitle.monospaced()).accessibilityAddTraits(.isHeader)
                    BodyText(w.expires.fill(("date", words.day(of: invite.expiresAt))))
                }
            }
        }
    }
}
