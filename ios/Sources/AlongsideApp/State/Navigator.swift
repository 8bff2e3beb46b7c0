import Combine

/// Every screen of the app, with what it needs to open (android's state/Navigator.kt, the same cases).
public enum Screen: Hashable, Sendable {
    // Anyone, before or after signing in.
    case crisis
    case signIn
    case register
    case resetPassword

    // A participant.
    case setUp
    case today
    case startAgain
    case goals
    case goal(goalId: String)
    case goalForm(goalId: String?)
    case toolbox
    case strategy(strategyId: String)
    case strategyForm
    case people
    case contactForm(contactId: String?)
    case reachOut
    case safetyPlan
    case barc10
    case sharing
    case reminders
    case export
    case notes
    case more

    // Both.
    case conversation(participantId: String)
    case outbox
    case devices
    case account

    // A peer worker.
    case caseload
    case participant(participantId: String)
    case note(participantId: String, noteId: String?, amends: String?)
    case invite
    case myContact
}

/// The back stack: what the person opened, newest last.
@MainActor
public final class Navigator: ObservableObject {
    @Published public private(set) var screens: [Screen]

    public init(start: Screen) {
        screens = [start]
    }

    public var current: Screen { screens[screens.count - 1] }

    /// Opens `screen` on top.
    public func go(_ screen: Screen) {
        screens.append(screen)
    }

    /// Back one screen; false at the root.
    @discardableResult
    public func back() -> Bool {
        if screens.count <= 1 { return false }
        screens.removeLast()
        return true
    }

    /// Starts over at `root` (a tab, or after signing in or out).
    public func reset(_ root: Screen) {
        screens = [root]
    }
}
