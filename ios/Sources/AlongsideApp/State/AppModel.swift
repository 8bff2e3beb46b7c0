import Alongside
import Combine
import Foundation

/// Why a phone was emptied.
public enum Cleared: Sendable {
    case fromAnotherDevice
    case accountDeleted
}

/// The app as a whole (android's state/Session.kt): who is signed in, the
/// language, and where the person is. Screens get their state holders from here.
@MainActor
public final class AppModel: ObservableObject {
    public let store: Store
    public let platform: Platform

    /// Every word the screens show, in the phone's language.
    @Published public private(set) var words: Words
    @Published public private(set) var account: Account? = nil
    /// Why this phone holds nothing any more, if it was cleared: sign-in says so.
    @Published public private(set) var cleared: Cleared? = nil

    public let navigator: Navigator

    /// The local notifications the phone has scheduled, kept up to date.
    public let reminders: ReminderKeeper

    private let tasks = TaskBag()
    private var keeping = false

    public init(store: Store, platform: Platform, language: Language) {
        self.store = store
        self.platform = platform
        self.words = AppModel.wordsIn(language)
        self.navigator = Navigator(start: .signIn)
        self.reminders = ReminderKeeper(store: store, platform: platform)
    }

    /// The participant whose records a participant's screens show (themself).
    public var participantId: String { account?.userId ?? "" }

    /// Opens where the person left off: sign-in, set-up, Today or the caseload.
    public func start() async {
        let account = try? await store.local { try $0.account() }
        self.account = account
        navigator.reset(await home(self.account))
        if !keeping {
            keeping = true
            let accounts = $account.values
            tasks.add(Task { [reminders] in await reminders.keep(accounts) })
            let statuses = store.syncStatuses()
            tasks.add(Task { [weak self] in
                for await status in statuses {
                    if case .wiped = status.state {
                        await self?.clear(.fromAnotherDevice)
                        return
                    }
                }
            })
        }
    }

    /// The core deleted what the phone held; the old key goes too, and the person is told why.
    private func clear(_ why: Cleared) async {
        // A pass in flight when the account was deleted may hear "wiped" too.
        if cleared == .accountDeleted { return }
        let platform = self.platform
        _ = try? await store.local { core in try platform.replaceDatabaseKey { key in try core.rekey(newKey: key) } }
        account = nil
        cleared = why
        navigator.reset(.signIn)
    }

    /// The participant deleted their account; the core has emptied the phone.
    public func accountDeleted() async {
        await clear(.accountDeleted)
    }

    /// The phone's language changed.
    public func setLanguage(_ language: Language) {
        words = AppModel.wordsIn(language)
    }

    /// After sign-in or registration.
    public func signedIn(_ account: Account) async {
        cleared = nil
        self.account = account
        navigator.reset(await home(account))
    }

    /// Signs out on the server if it can be reached; this phone forgets the sign-in either way.
    public func signOut() {
        let core = store.core
        tasks.add(Task { [weak self] in
            // Offline or already signed out: the token is forgotten here too,
            // and what was not sent waits for the next sign-in.
            try? await core.logout()
            self?.account = nil
            self?.navigator.reset(.signIn)
        })
    }

    private func home(_ account: Account?) async -> Screen {
        guard let account else { return .signIn }
        if account.role == .peerWorker { return .caseload }
        let userId = account.userId
        let profiles = (try? await store.local { try $0.listProfiles(participantId: userId) }) ?? []
        return profiles.isEmpty ? .setUp : .today
    }

    private static func wordsIn(_ language: Language) -> Words {
        Alongside.setLanguage(language: language)
        return Alongside.words(language: language)
    }
}
