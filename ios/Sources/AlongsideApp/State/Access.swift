import Alongside
import Foundation

/// The sign-in and registration forms.
public struct SignInForm: Equatable, Sendable {
    public var username = ""
    public var password = ""
    public var inviteCode = ""
    public var displayName = ""
    public var busy = false
    public var problem: Problem?
}

/// Signing in, or creating an account with the code a peer worker read out.
@MainActor
public final class SignInModel: ScreenModel {
    @Published public private(set) var form = SignInForm()
    private let session: AppModel

    public init(session: AppModel) {
        self.session = session
        super.init(store: session.store)
    }

    public func edit(_ change: (inout SignInForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func signIn() {
        let core = store.core
        submit { form in try await core.login(username: form.username.trimmed, password: form.password) }
    }

    public func register() {
        let core = store.core
        submit { form in
            try await core.register(
                inviteCode: form.inviteCode.trimmed, username: form.username.trimmed,
                password: form.password, displayName: form.displayName.trimmed)
        }
    }

    private func submit(_ call: @escaping (SignInForm) async throws -> Account) {
        if form.busy { return }
        form.busy = true
        form.problem = nil
        let entered = form
        act({ [weak self] problem in
            self?.form.busy = false
            self?.form.problem = problem
        }) { [weak self] in
            let account = try await call(entered)
            self?.form.busy = false
            self?.form.password = ""
            await self?.session.signedIn(account)
        }
    }
}

/// The reset form, before sign-in.
public struct ResetForm: Equatable, Sendable {
    public var username = ""
    public var code = ""
    public var newPassword = ""
    public var busy = false
    public var problem: Problem?
}

/// Signing in with a reset code an admin read out and a new password.
@MainActor
public final class ResetPasswordModel: ScreenModel {
    @Published public private(set) var form = ResetForm()
    private let session: AppModel

    public init(session: AppModel) {
        self.session = session
        super.init(store: session.store)
    }

    public func edit(_ change: (inout ResetForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func reset() {
        if form.busy { return }
        form.busy = true
        form.problem = nil
        let words = session.words
        let entered = form
        let core = store.core
        act({ [weak self] problem in
            self?.form.busy = false
            self?.form.problem = problem == .wrongCredentials
                ? .field("code", reason: words.signIn.wrongResetCode)
                : problem.inWords(words.account)
        }) { [weak self] in
            let account = try await core.resetPassword(
                username: entered.username.trimmed, code: entered.code.trimmed, newPassword: entered.newPassword)
            self?.form.busy = false
            self?.form.newPassword = ""
            await self?.session.signedIn(account)
        }
    }
}

extension Problem {
    /// The server's reasons for the password fields, in the person's language.
    func inWords(_ words: AccountWords) -> Problem {
        guard case let .field(field, _) = self else { return self }
        switch field {
        case "current_password", "password": return .field(field, reason: words.wrongPassword)
        case "new_password": return .field(field, reason: words.shortPassword)
        default: return self
        }
    }
}

/// The first-run form.
public struct SetUpForm: Equatable, Sendable {
    public var displayName = ""
    public var pronouns = ""
    public var timeZone = TimeZone.current.identifier
    public var recoveryStart = ""
    public var problem: Problem?
}

/// A participant's first run: their profile and, if they want, the day their recovery started.
@MainActor
public final class SetUpModel: ScreenModel {
    @Published public private(set) var form = SetUpForm()
    private let session: AppModel

    public init(session: AppModel) {
        self.session = session
        super.init(store: session.store)
        form.displayName = session.account?.displayName ?? ""
    }

    public func edit(_ change: (inout SetUpForm) -> Void) {
        change(&form)
        form.problem = nil
    }

    public func start() {
        let entered = form
        let participantId = session.participantId
        let reason = session.words.reasons.date
        act({ [weak self] problem in self?.form.problem = problem }) { [weak self] in
            let start = try typedDate(entered.recoveryStart, field: "start_date", reason: reason)
            let profile = Profile(
                participantId: participantId, displayName: entered.displayName.trimmed,
                pronouns: entered.pronouns.trimmedOrNil, timezone: entered.timeZone.trimmed)
            _ = try await self?.store.local { core in
                _ = try core.setUpParticipant(profile: profile)
                if let start { _ = try core.startRecoveryPeriod(participantId: participantId, startDate: start, note: nil) }
            }
            self?.session.navigator.reset(.today)
        }
    }
}
