import Alongside
import SwiftUI

/// The whole app: the screen on top of the back stack, in the phone's language
/// (android's ui/App.kt). A new screen, or the same one opened again, gets
/// fresh state.
@MainActor
public struct AlongsideRoot: View {
    @ObservedObject private var app: AppModel
    @ObservedObject private var navigator: Navigator

    public init(app: AppModel) {
        self.app = app
        self.navigator = app.navigator
    }

    public var body: some View {
        let screens = navigator.screens
        let nav = Nav(app: app, canGoBack: screens.count > 1)
        ScreenOf(nav: nav, screen: navigator.current)
            .id(ScreenKey(depth: screens.count, screen: navigator.current))
            .environment(\.words, app.words)
    }
}

/// What identifies a screen's state: where it is in the stack and what it shows.
private struct ScreenKey: Hashable {
    let depth: Int
    let screen: Screen
}

/// What a screen needs from the app around it.
@MainActor
struct Nav {
    let app: AppModel
    let canGoBack: Bool

    var back: (() -> Void)? {
        guard canGoBack else { return nil }
        let navigator = app.navigator
        return { navigator.back() }
    }

    var crisis: () -> Void {
        let navigator = app.navigator
        return { navigator.go(.crisis) }
    }

    func go(_ screen: Screen) {
        app.navigator.go(screen)
    }
}

@MainActor
private struct ScreenOf: View {
    let nav: Nav
    let screen: Screen

    var body: some View {
        switch screen {
        case .crisis: CrisisScreen(platform: nav.app.platform, back: nav.back)
        case .signIn: SignInScreen(nav: nav)
        case .register: RegisterScreen(nav: nav)
        case .resetPassword: ResetPasswordScreen(nav: nav)
        case .setUp: SetUpScreen(nav: nav)
        case .today: TodayScreen(nav: nav)
        case .startAgain: StartAgainScreen(nav: nav)
        case .reachOut: ReachOutScreen(nav: nav)
        case .people: PeopleScreen(nav: nav)
        case let .contactForm(contactId): ContactFormScreen(nav: nav, contactId: contactId)
        case .export: ExportScreen(nav: nav)
        case .more: MoreScreen(nav: nav)
        case .outbox: OutboxScreen(nav: nav)
        case .account: AccountScreen(nav: nav)
        case let .conversation(participantId): ConversationScreen(nav: nav, participantId: participantId)
        case .notes: NotesScreen(nav: nav)
        case .devices: DevicesScreen(nav: nav)
        case .goals: GoalsScreen(nav: nav)
        case let .goal(goalId): GoalScreen(nav: nav, goalId: goalId)
        case let .goalForm(goalId): GoalFormScreen(nav: nav, goalId: goalId)
        case .toolbox: ToolboxScreen(nav: nav)
        case let .strategy(strategyId): StrategyScreen(nav: nav, strategyId: strategyId)
        case .strategyForm: StrategyFormScreen(nav: nav)
        case .caseload: CaseloadScreen(nav: nav)
        case let .participant(participantId): ParticipantScreen(nav: nav, participantId: participantId)
        case let .note(participantId, noteId, amends): NoteScreen(nav: nav, participantId: participantId, noteId: noteId, amends: amends)
        case .invite: InviteScreen(nav: nav)
        case .reminders: RemindersScreen(nav: nav)
        case .myContact: MyContactScreen(nav: nav)
        case .safetyPlan: SafetyPlanScreen(nav: nav)
        case .barc10: Barc10Screen(nav: nav)
        case .sharing: SharingScreen(nav: nav)
        }
    }
}

/// The participant's tabs, `current` marked.
@MainActor
struct ParticipantTabs: View {
    @Environment(\.words) var words
    let nav: Nav
    let current: Screen

    var body: some View {
        let common = words.common
        let tabs: [(Screen, String, String)] = [
            (.today, "house", common.navToday),
            (.goals, "star", common.navGoals),
            (.toolbox, "wrench.and.screwdriver", common.navToolbox),
            (.people, "person.2", common.navPeople),
            (.more, "line.3.horizontal", common.navMore),
        ]
        HStack(spacing: 0) {
            ForEach(tabs, id: \.0) { tab in
                Button { nav.app.navigator.reset(tab.0) } label: {
                    VStack(spacing: 2) {
                        Image(systemName: tab.1).accessibilityHidden(true)
                        Text(tab.2).font(.caption).lineLimit(1)
                    }
                    .frame(maxWidth: .infinity, minHeight: target)
                }
                .foregroundColor(tab.0 == current ? .accentColor : .secondary)
                .accessibilityAddTraits(tab.0 == current ? [.isButton, .isSelected] : .isButton)
            }
        }
        .padding(.vertical, 4)
        .background(Color.secondary.opacity(0.06))
    }
}

/// When the store cannot be opened (storage trouble, a key that does not fit):
/// the crisis lines still, which need nothing but the library.
@MainActor
public struct CrisisOnlyRoot: View {
    private let platform: Platform
    private let language: Language
    private let startOver: (() -> Void)?

    /// `startOver`: given when the store is there but cannot be read (android's CrisisOnlyApp).
    public init(platform: Platform, language: Language, startOver: (() -> Void)? = nil) {
        self.platform = platform
        self.language = language
        self.startOver = startOver
    }

    public var body: some View {
        CrisisScreen(platform: platform, back: nil, startOver: startOver)
            .environment(\.words, Alongside.words(language: language))
    }
}
