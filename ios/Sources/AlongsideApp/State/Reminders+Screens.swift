import Alongside
import Foundation

/// The reminder settings as the form holds them: times as typed.
public struct RemindersState: Equatable, Sendable {
    public var settings: ReminderSettings?
    public var checkInTime = ""
    public var quiet = false
    public var quietFrom = ""
    public var quietUntil = ""
    public var problem: Problem?
    public var saved = false
}

/// Which reminders ring, and when; kept on this phone only.
@MainActor
public final class RemindersModel: ScreenModel {
    @Published public private(set) var state = RemindersState()
    private let session: AppModel

    public init(session: AppModel) {
        self.session = session
        super.init(store: session.store)
        act({ _ in }) { [weak self] in
            guard let settings = try await self?.store.local({ try $0.reminderSettings() }) else { return }
            self?.state = RemindersState(
                settings: settings,
                checkInTime: settings.checkInTime.typed,
                quiet: settings.quietHours != nil,
                // Turning quiet hours on again offers the usual night.
                quietFrom: (settings.quietHours?.start ?? LocalTime(hour: 22, minute: 0)).typed,
                quietUntil: (settings.quietHours?.end ?? LocalTime(hour: 8, minute: 0)).typed)
        }
    }

    public func edit(_ change: (inout RemindersState) -> Void) {
        change(&state)
        state.problem = nil
        state.saved = false
    }

    public func set(_ change: (inout ReminderSettings) -> Void) {
        edit { state in
            if var settings = state.settings {
                change(&settings)
                state.settings = settings
            }
        }
    }

    public func save() {
        let entered = state
        guard let before = entered.settings else { return }
        let words = session.words.reminders
        let keeper = session.reminders
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            var next = before
            next.quietHours = nil
            if entered.quiet {
                let start = try typedTime(entered.quietFrom, field: "quiet_hours.start", reason: words.timeFormat)
                let end = try typedTime(entered.quietUntil, field: "quiet_hours.end", reason: words.timeFormat)
                next.quietHours = QuietHours(start: start, end: end)
            }
            next.checkInTime = try typedTime(entered.checkInTime, field: "check_in_time", reason: words.timeFormat)
            let settings = next
            try await self?.store.local { try $0.setReminderSettings(settings: settings) }
            keeper.refresh()
            self?.state.settings = settings
            self?.state.saved = true
        }
    }
}

/// The days as the protocol names them, in the week's order.
public let week = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

/// A peer worker's number and hours as the form holds them.
public struct MyContactState: Equatable, Sendable {
    public var loaded = false
    public var phone = ""
    public var days: Set<String> = Set(week.prefix(5))
    public var from = "9:00"
    public var until = "17:00"
    public var problem: Problem?
    public var saved = false
}

/// The number and usual hours a peer worker shares with their participants (the
/// server keeps them; it needs the network). Hours are in the phone's own time
/// zone; the core and server check every part.
@MainActor
public final class MyContactModel: ScreenModel {
    @Published public private(set) var state = MyContactState()
    private let zone: String

    public init(store: Store, zone: String = TimeZone.current.identifier) {
        self.zone = zone
        super.init(store: store)
        let core = store.core
        act({ [weak self] problem in
            self?.state.loaded = true
            self?.state.problem = problem
        }) { [weak self] in
            let mine = try await core.myContact()
            let usual = MyContactState()
            self?.state = MyContactState(
                loaded: true, phone: mine.phone ?? "", days: mine.hours.map { Set($0.days) } ?? usual.days,
                from: mine.hours?.from ?? usual.from, until: mine.hours?.to ?? usual.until)
        }
    }

    public func edit(_ change: (inout MyContactState) -> Void) {
        change(&state)
        state.problem = nil
        state.saved = false
    }

    public func toggle(_ day: String) {
        edit { state in
            if state.days.contains(day) { state.days.remove(day) } else { state.days.insert(day) }
        }
    }

    public func save() {
        let entered = state
        let core = store.core
        // "9:00" is how people type it; the protocol's form is "09:00".
        let hours = Hours(timeZone: zone, days: week.filter { entered.days.contains($0) }, from: padded(entered.from), to: padded(entered.until))
        let request = ContactRequest(phone: entered.phone.trimmedOrNil, hours: hours)
        act({ [weak self] in self?.state.problem = $0 }) { [weak self] in
            _ = try await core.setMyContact(contact: request)
            self?.state.saved = true
        }
    }

    private func padded(_ time: String) -> String {
        let trimmed = time.trimmed
        let parts = trimmed.components(separatedBy: ":")
        return parts.count == 2 && parts[0].count == 1 && parts[1].count == 2 ? "0" + trimmed : trimmed
    }
}
