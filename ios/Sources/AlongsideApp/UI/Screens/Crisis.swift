import Alongside
import SwiftUI

/// The crisis lines, needing nothing but the library: no account, no database, no network.
/// `startOver`, when the app could not read its store, is offered above them (asked twice).
@MainActor
struct CrisisScreen: View {
    @Environment(\.words) var words
    let platform: Platform
    let back: (() -> Void)?
    var startOver: (() -> Void)? = nil

    var body: some View {
        ScreenFrame(title: words.crisis.title, back: back, crisis: nil) {
            if let startOver { StartOver(startOver: startOver) }
            CrisisLines(lines: crisisResources(), platform: platform)
        }
    }
}

/// The store cannot be read: said plainly, with removing it and starting over (android's StartOver).
@MainActor
struct StartOver: View {
    @Environment(\.words) var words
    let startOver: () -> Void
    @State private var asked = false

    var body: some View {
        Panel {
            BodyText(words.crisis.unopened)
            if asked {
                Note(words.crisis.startOverBody)
                SecondaryButton(words.crisis.startOverConfirm, startOver)
            } else {
                LinkButton(words.crisis.startOver) { asked = true }
            }
        }
    }
}

/// The crisis lines, each with its ways to reach it; the first of each in crisis red.
@MainActor
struct CrisisLines: View {
    @Environment(\.words) var words
    let lines: [CrisisResource]
    let platform: Platform

    var body: some View {
        BodyText(words.crisis.intro)
        ForEach(Array(lines.enumerated()), id: \.offset) { _, line in
            Panel {
                Text(line.name).font(.headline).accessibilityAddTraits(.isHeader)
                BodyText(line.description)
                BodyText(line.available)
                ForEach(Array(line.contacts.enumerated()), id: \.offset) { i, contact in
                    CrisisAction(contact: contact, primary: i == 0, platform: platform)
                }
            }
        }
    }
}

@MainActor
private struct CrisisAction: View {
    @Environment(\.words) var words
    let contact: CrisisContact
    let primary: Bool
    let platform: Platform

    var body: some View {
        let button = Button(action: act) {
            Text(label).font(.headline).frame(maxWidth: .infinity, minHeight: target)
        }
        if primary {
            button.buttonStyle(.borderedProminent).tint(crisisRed)
        } else {
            button.buttonStyle(.bordered)
        }
    }

    private var label: String {
        let crisis = words.crisis
        switch contact.channel {
        case .call: return crisis.call.fill(("number", readable(contact.number)))
        case .text:
            if let word = contact.textBody { return crisis.textWord.fill(("word", word), ("number", contact.number)) }
            return crisis.text.fill(("number", contact.number))
        case .tty: return crisis.tty.fill(("number", readable(contact.number)))
        }
    }

    private func act() {
        switch contact.channel {
        case .text: platform.text(contact.number, body: contact.textBody)
        case .call, .tty: platform.call(contact.number)
        }
    }
}

/// 18006624357 as 1-800-662-4357; short numbers as they are.
func readable(_ number: String) -> String {
    let d = Array(number)
    guard d.count == 11, d[0] == "1" else { return number }
    return "1-\(String(d[1..<4]))-\(String(d[4..<7]))-\(String(d[7...]))"
}

/// Call `name` at `phone`, and text them when they take texts.
@MainActor
struct CallAndText: View {
    @Environment(\.words) var words
    let name: String
    let phone: String
    let canText: Bool
    let platform: Platform

    var body: some View {
        Button { platform.call(phone) } label: {
            Label(words.people.call.fill(("name", name)), systemImage: "phone").frame(maxWidth: .infinity, minHeight: target)
        }
        .buttonStyle(.bordered)
        if canText {
            Button { platform.text(phone, body: nil) } label: {
                Label(words.people.text.fill(("name", name)), systemImage: "message").frame(maxWidth: .infinity, minHeight: target)
            }
            .buttonStyle(.bordered)
        }
    }
}
