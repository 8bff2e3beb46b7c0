import Alongside
import SwiftUI

/// The person's password, and for a participant, leaving: deleting the account asks twice.
@MainActor
struct AccountScreen: View {
    @Environment(\.words) var words
    @ObservedObject private var app: AppModel
    @StateObject private var model: AccountModel
    private let nav: Nav

    init(nav: Nav) {
        self.nav = nav
        self.app = nav.app
        _model = StateObject(wrappedValue: AccountModel(session: nav.app))
    }

    var body: some View {
        let state = model.state
        ScreenFrame(title: words.account.title, back: nav.back, crisis: nav.crisis) {
            if state.problem == .offline { BodyText(words.account.offline) }
            Panel {
                SectionTitle(words.account.passwordTitle)
                Field(words.account.currentPassword, state.currentPassword, { v in model.edit { $0.currentPassword = v } },
                      "current_password", state.problem, .password)
                Field(words.account.newPassword, state.newPassword, { v in model.edit { $0.newPassword = v } },
                      "new_password", state.problem, .password)
                if state.changed { Note(words.account.changed) }
                SecondaryButton(words.account.change, { model.changePassword() })
            }
            if app.account?.role == .participant {
                Panel {
                    SectionTitle(words.account.deleteTitle)
                    BodyText(words.account.deleteBody)
                    Field(words.account.deletePassword, state.deletePassword, { v in model.edit { $0.deletePassword = v } },
                          "password", state.problem, .password)
                    if state.confirming {
                        Note(words.account.deleteSure)
                        MainButton(words.account.deleteConfirm, { model.delete() }, enabled: !state.busy)
                        LinkButton(words.account.keep) { model.keep() }
                    } else {
                        SecondaryButton(words.account.delete, { model.askToDelete() })
                    }
                }
            } else {
                BodyText(words.account.peerWorkerLeaving)
            }
            ProblemNote(state.problem, ["current_password", "new_password", "password"])
        }
    }
}
