import Alongside
import Foundation

/// The account screen: a new password, and (a participant) deleting the account.
public struct AccountState: Equatable, Sendable {
    public var currentPassword = ""
    public var newPassword = ""
    public var changed = false
    public var deletePassword = ""
    /// The person asked to delete and is being asked once more.
    public var confirming = false
    public var busy = false
    public var problem: Problem?
}

/// A person changes their password; a participant may delete their account.
@MainActor
public final class AccountModel: ScreenModel {
    @Published public private(set) var state = AccountState()
    private let session: AppModel

    public init(session: AppModel) {
        self.session = session
        super.init(store: session.store)
    }

    public func edit(_ change: (inout AccountState) -> Void) {
        change(&state)
        state.problem = nil
        state.changed = false
    }

    public func changePassword() {
        let core = store.core
        submit { [weak self] entered in
            _ = try await core.changePassword(currentPassword: entered.currentPassword, newPassword: entered.newPassword)
            self?.state.busy = false
            self?.state.currentPassword = ""
            self?.state.newPassword = ""
            self?.state.changed = true
        }
    }

    /// First tap: ask once more.
    public func askToDelete() {
        state.confirming = true
        state.problem = nil
    }

    public func keep() {
        state.confirming = false
        state.deletePassword = ""
    }

    /// Second tap: the server forgets them, then this phone does.
    public func delete() {
        let core = store.core
        let session = self.session
        submit { entered in
            _ = try await core.deleteAccount(password: entered.deletePassword)
            await session.accountDeleted()
        }
    }

    private func submit(_ work: @escaping @MainActor (AccountState) async throws -> Void) {
        if state.busy { return }
        state.busy = true
        state.problem = nil
        let entered = state
        let words = session.words.account
        act({ [weak self] problem in
            self?.state.busy = false
            self?.state.problem = problem.inWords(words)
        }) {
            try await work(entered)
        }
    }
}
