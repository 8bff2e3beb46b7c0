import Alongside
import SwiftUI

/// Signing in (android's SignInScreen): username, password, and the ways to an account or a new password.
@MainActor
struct SignInScreen: View {
    @Environment(\.words) var words
    @ObservedObject private var app: AppModel
    @StateObject private var model: SignInModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        self.app = nav.app
        _model = StateObject(wrappedValue: SignInModel(session: nav.app))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: words.signIn.welcome, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.signIn.signIn, { model.signIn() }, enabled: !form.busy))
        ) {
            switch app.cleared {
            case .fromAnotherDevice?: Note(words.signIn.cleared)
            case .accountDeleted?: Note(words.signIn.deleted)
            case nil: EmptyView()
            }
            BodyText(words.signIn.welcomeBody)
            Field(words.signIn.username, form.username, { v in model.edit { $0.username = v } }, "username", form.problem)
            Field(words.signIn.password, form.password, { v in model.edit { $0.password = v } }, "password", form.problem, .password)
            ProblemNote(form.problem, ["username", "password"])
            LinkButton(words.signIn.haveCode) { nav.go(.register) }
            LinkButton(words.signIn.haveResetCode) { nav.go(.resetPassword) }
        }
    }
}

/// Creating an account with the code a peer worker read out.
@MainActor
struct RegisterScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: SignInModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: SignInModel(session: nav.app))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: words.signIn.registerTitle, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.signIn.createAccount, { model.register() }, enabled: !form.busy))
        ) {
            BodyText(words.signIn.registerBody)
            Field(words.signIn.inviteCode, form.inviteCode, { v in model.edit { $0.inviteCode = v } }, "invite_code", form.problem,
                  hint: words.signIn.inviteCodeHint)
            Field(words.signIn.yourName, form.displayName, { v in model.edit { $0.displayName = v } }, "display_name", form.problem)
            Field(words.signIn.chooseUsername, form.username, { v in model.edit { $0.username = v } }, "username", form.problem)
            Field(words.signIn.choosePassword, form.password, { v in model.edit { $0.password = v } }, "password", form.problem, .password)
            ProblemNote(form.problem, ["invite_code", "display_name", "username", "password"])
            LinkButton(words.signIn.haveAccount) { nav.app.navigator.reset(.signIn) }
        }
    }
}

/// Before sign-in: a new password with the reset code the program read out.
@MainActor
struct ResetPasswordScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: ResetPasswordModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: ResetPasswordModel(session: nav.app))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(
            title: words.signIn.resetTitle, back: nav.back, crisis: nav.crisis,
            mainAction: AnyView(MainButton(words.signIn.reset, { model.reset() }, enabled: !form.busy))
        ) {
            BodyText(words.signIn.resetBody)
            Field(words.signIn.username, form.username, { v in model.edit { $0.username = v } }, "username", form.problem)
            Field(words.signIn.resetCode, form.code, { v in model.edit { $0.code = v } }, "code", form.problem, hint: words.signIn.inviteCodeHint)
            Field(words.signIn.newPassword, form.newPassword, { v in model.edit { $0.newPassword = v } }, "new_password", form.problem, .password)
            ProblemNote(form.problem, ["username", "code", "new_password"])
        }
    }
}

/// A participant's first run: their profile and, if they want, the day their recovery started.
@MainActor
struct SetUpScreen: View {
    @Environment(\.words) var words
    @StateObject private var model: SetUpModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        _model = StateObject(wrappedValue: SetUpModel(session: nav.app))
    }

    var body: some View {
        let form = model.form
        ScreenFrame(title: words.setUp.title, back: nil, crisis: nav.crisis, mainAction: AnyView(MainButton(words.setUp.start, { model.start() }))) {
            BodyText(words.setUp.body)
            Field(words.setUp.name, form.displayName, { v in model.edit { $0.displayName = v } }, "display_name", form.problem)
            Field(words.setUp.pronouns, form.pronouns, { v in model.edit { $0.pronouns = v } }, "pronouns", form.problem)
            Field(words.setUp.timeZone, form.timeZone, { v in model.edit { $0.timeZone = v } }, "timezone", form.problem)
            Field(words.setUp.recoveryStart, form.recoveryStart, { v in model.edit { $0.recoveryStart = v } }, "start_date", form.problem,
                  hint: words.common.dateHint)
            BodyText(words.setUp.recoveryStartHelp)
            ProblemNote(form.problem, ["display_name", "pronouns", "timezone", "start_date"])
        }
    }
}
