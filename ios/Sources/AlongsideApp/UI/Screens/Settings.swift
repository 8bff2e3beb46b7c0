import Alongside
import SwiftUI

/// Which reminders ring and when, quiet hours, and what the lock screen shows. On this phone only.
@MainActor
struct RemindersScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: RemindersModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: RemindersModel(session: nav.app))
    }

    var body: some View {
        let w = words.reminders
        let state = model.state
        ScreenFrame(title: w.title, back: nav.back, crisis: nav.crisis, mainAction: AnyView(MainButton(words.common.save, { model.save() }))) {
            if let settings = state.settings {
                Toggled(w.checkIn, settings.checkIn) { on in model.set { $0.checkIn = on } }
                if settings.checkIn {
                    Field(w.checkInTime, state.checkInTime, { v in model.edit { $0.checkInTime = v } }, "check_in_time", state.problem, hint: w.timeHint)
                    ProblemNote(state.problem, ["check_in_time", "check_in_time.hour", "check_in_time.minute"])
                }
                Toggled(w.milestones, settings.milestones) { on in model.set { $0.milestones = on } }
                Toggled(w.goalDates, settings.goalDates) { on in model.set { $0.goalDates = on } }
                Toggled(w.messages, settings.messages) { on in model.set { $0.messages = on } }
                Toggled(w.quietHours, state.quiet) { on in model.edit { $0.quiet = on } }
                if state.quiet {
                    BodyText(w.quietHoursHelp)
                    Field(w.quietFrom, state.quietFrom, { v in model.edit { $0.quietFrom = v } }, "quiet_hours.start", state.problem, hint: w.timeHint)
                    Field(w.quietUntil, state.quietUntil, { v in model.edit { $0.quietUntil = v } }, "quiet_hours.end", state.problem, hint: w.timeHint)
                    ProblemNote(state.problem, [
                        "quiet_hours.start", "quiet_hours.start.hour", "quiet_hours.start.minute",
                        "quiet_hours.end", "quiet_hours.end.hour", "quiet_hours.end.minute",
                    ])
                }
                Toggled(w.discreet, settings.discreet) { on in model.set { $0.discreet = on } }
                if state.saved { Note(w.saved) }
            }
        }
    }
}

/// A peer worker's number and usual hours, offered on their participants' phones when a reach-out cannot wait.
@MainActor
struct MyContactScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: MyContactModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: MyContactModel(store: nav.app.store))
    }

    var body: some View {
        let w = words.myContact
        let state = model.state
        ScreenFrame(title: w.title, back: nav.back, crisis: nav.crisis, mainAction: AnyView(MainButton(words.common.save, { model.save() }))) {
            BodyText(w.intro)
            if state.problem == .offline { BodyText(w.offline) }
            if state.loaded {
                Field(w.phone, state.phone, { v in model.edit { $0.phone = v } }, "phone", state.problem)
                SectionTitle(w.days)
                ForEach(week, id: \.self) { day in
                    Toggled(dayName(day, w), state.days.contains(day)) { _ in model.toggle(day) }
                }
                ProblemNote(state.problem, ["hours.days", "hours.time_zone"])
                Field(w.from, state.from, { v in model.edit { $0.from = v } }, "hours.from", state.problem, hint: words.reminders.timeHint)
                Field(w.until, state.until, { v in model.edit { $0.until = v } }, "hours.to", state.problem, hint: words.reminders.timeHint)
                if state.saved { Note(w.saved) }
                LinkButton(words.devices.title) { nav.go(.devices) }
                LinkButton(words.account.title) { nav.go(.account) }
            }
        }
    }

    private func dayName(_ day: String, _ w: MyContactWords) -> String {
        switch day {
        case "mon": return w.mon
        case "tue": return w.tue
        case "wed": return w.wed
        case "thu": return w.thu
        case "fri": return w.fri
        case "sat": return w.sat
        default: return w.sun
        }
    }
}
