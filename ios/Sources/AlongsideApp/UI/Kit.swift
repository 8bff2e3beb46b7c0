import Alongside
import SwiftUI

// The parts every screen is made of (android's ui/kit): system text styles
// only (Dynamic Type), 48-point targets, red for crisis only, problems in
// amber, every control labelled for VoiceOver.

private struct WordsKey: EnvironmentKey {
    static let defaultValue: Words = Alongside.words(language: .english)
}

extension EnvironmentValues {
    /// Every word the screens show, in the phone's language (from the core).
    public var words: Words {
        get { self[WordsKey.self] }
        set { self[WordsKey.self] = newValue }
    }
}

/// The colour of help in a crisis, and of nothing else.
let crisisRed = Color(red: 0.72, green: 0.11, blue: 0.11)

/// The smallest side of anything tapped.
let target: CGFloat = 48

/// Every screen's frame: a title (a heading), back when there is somewhere to
/// go back to, the crisis button always, the content scrolling, the one main
/// action fixed at the bottom (on screen at any text size), and the tabs where
/// the screen has them.
@MainActor
struct ScreenFrame<Content: View>: View {
    @Environment(\.words) var words
    let title: String
    let back: (() -> Void)?
    let crisis: (() -> Void)?
    var mainAction: AnyView?
    var tabs: AnyView?
    /// Further buttons beside the crisis button (edit, add).
    var actions: AnyView?
    @ViewBuilder let content: () -> Content

    var body: some View {
        VStack(spacing: 0) {
            HStack(spacing: 8) {
                if let back {
                    Button(action: back) {
                        Image(systemName: "chevron.backward").frame(minWidth: target, minHeight: target)
                    }
                    .accessibilityLabel(words.common.back)
                }
                Text(title)
                    .font(.headline)
                    .lineLimit(2)
                    .accessibilityAddTraits(.isHeader)
                Spacer(minLength: 8)
                if let actions { actions }
                if let crisis {
                    Button(words.common.getHelp, action: crisis)
                        .font(.headline)
                        .foregroundColor(crisisRed)
                        .frame(minHeight: target)
                }
            }
            .padding(.horizontal, 12)
            ScrollView {
                VStack(alignment: .leading, spacing: 12) { content() }
                    .frame(maxWidth: .infinity, alignment: .leading)
                    .padding(.horizontal, 16)
                    .padding(.vertical, 12)
            }
            if let mainAction {
                mainAction.padding(.horizontal, 16).padding(.vertical, 8)
            }
            if let tabs { tabs }
        }
    }
}

/// A section's title, read as a heading.
@MainActor
struct SectionTitle: View {
    let text: String
    init(_ text: String) { self.text = text }
    var body: some View {
        Text(text).font(.title3.weight(.semibold)).padding(.top, 8).accessibilityAddTraits(.isHeader)
    }
}

/// Plain text that explains.
@MainActor
struct BodyText: View {
    let text: String
    init(_ text: String) { self.text = text }
    var body: some View {
        Text(text).font(.body).foregroundColor(.secondary).fixedSize(horizontal: false, vertical: true)
    }
}

/// How a text field takes input.
enum Input { case text, number, password, multiline }

/// A labelled text field. `field` is the protocol's name of what it edits: a
/// `problem` about that field shows its reason under it.
@MainActor
struct Field: View {
    let label: String
    let value: String
    let onChange: (String) -> Void
    let field: String
    let problem: Problem?
    var input: Input = .text
    var hint: String?

    init(_ label: String, _ value: String, _ onChange: @escaping (String) -> Void, _ field: String, _ problem: Problem?,
         _ input: Input = .text, hint: String? = nil) {
        self.label = label
        self.value = value
        self.onChange = onChange
        self.field = field
        self.problem = problem
        self.input = input
        self.hint = hint
    }

    var body: some View {
        let text = Binding(get: { value }, set: { typed in onChange(input == .number ? typed.filter(\.isNumber) : typed) })
        let reason = problem?.reason(for: field)
        VStack(alignment: .leading, spacing: 4) {
            Text(label).font(.subheadline.weight(.semibold)).accessibilityHidden(true)
            Group {
                switch input {
                case .password: SecureField(hint ?? "", text: text).textContentType(.password)
                case .multiline: TextEditor(text: text).frame(minHeight: 96).overlay(RoundedRectangle(cornerRadius: 6).stroke(Color.secondary.opacity(0.4)))
                case .number: TextField(hint ?? "", text: text).numberKeyboard()
                case .text: TextField(hint ?? "", text: text)
                }
            }
            .textFieldStyle(.roundedBorder)
            .frame(minHeight: target)
            .accessibilityLabel(label)
            .accessibilityValue(input == .password ? "" : value)
            .accessibilityHint(reason ?? hint ?? "")
            if let reason {
                Text(reason).font(.footnote).foregroundColor(.orange)
            }
        }
    }
}

extension View {
    /// The number pad where there is one.
    @ViewBuilder func numberKeyboard() -> some View {
        #if os(iOS)
        keyboardType(.numberPad)
        #else
        self
        #endif
    }
}

/// One choice among a few, each a row that says whether it is chosen (by a check, not colour alone).
@MainActor
struct Choices<T: Hashable>: View {
    let options: [T]
    let selected: T?
    let label: (T) -> String
    let onSelect: (T) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            ForEach(options, id: \.self) { option in
                Button { onSelect(option) } label: {
                    HStack {
                        Image(systemName: option == selected ? "checkmark.circle.fill" : "circle").accessibilityHidden(true)
                        Text(label(option))
                        Spacer()
                    }
                    .frame(minHeight: target)
                    .contentShape(Rectangle())
                }
                .accessibilityAddTraits(option == selected ? [.isButton, .isSelected] : .isButton)
            }
        }
    }
}

/// The screen's one main action, full width.
@MainActor
struct MainButton: View {
    let text: String
    let action: () -> Void
    var enabled = true

    init(_ text: String, _ action: @escaping () -> Void, enabled: Bool = true) {
        self.text = text
        self.action = action
        self.enabled = enabled
    }

    var body: some View {
        Button(action: action) {
            Text(text).font(.headline).frame(maxWidth: .infinity, minHeight: 52)
        }
        .buttonStyle(.borderedProminent)
        .disabled(!enabled)
    }
}

/// A second action inside a panel.
@MainActor
struct SecondaryButton: View {
    let text: String
    let action: () -> Void
    var enabled = true

    init(_ text: String, _ action: @escaping () -> Void, enabled: Bool = true) {
        self.text = text
        self.action = action
        self.enabled = enabled
    }

    var body: some View {
        Button(action: action) {
            Text(text).frame(maxWidth: .infinity, minHeight: target)
        }
        .buttonStyle(.bordered)
        .disabled(!enabled)
    }
}

/// A quiet way elsewhere, as a link: full width, 48 points tall.
@MainActor
struct LinkButton: View {
    let text: String
    let action: () -> Void

    init(_ text: String, _ action: @escaping () -> Void) {
        self.text = text
        self.action = action
    }

    var body: some View {
        Button(action: action) {
            Text(text).font(.subheadline.weight(.semibold)).frame(maxWidth: .infinity, minHeight: target)
        }
    }
}

/// A card around one group of things.
@MainActor
struct Panel<Content: View>: View {
    @ViewBuilder let content: () -> Content
    var body: some View {
        VStack(alignment: .leading, spacing: 8) { content() }
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(16)
            .background(RoundedRectangle(cornerRadius: 12).fill(Color.secondary.opacity(0.08)))
            .accessibilityElement(children: .contain)
    }
}

/// A calm note on a tinted band: a confirmation or a gentle explanation.
@MainActor
struct Note: View {
    let text: String
    init(_ text: String) { self.text = text }
    var body: some View {
        Text(text)
            .font(.body)
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(12)
            .background(RoundedRectangle(cornerRadius: 8).fill(Color.accentColor.opacity(0.12)))
    }
}

/// A problem the form's fields do not show (a field in `shown` shows its own
/// reason), said kindly, in amber rather than red.
@MainActor
struct ProblemNote: View {
    @Environment(\.words) var words
    let problem: Problem?
    var shown: Set<String> = []

    init(_ problem: Problem?, _ shown: Set<String> = []) {
        self.problem = problem
        self.shown = shown
    }

    var body: some View {
        if let text = message {
            Text(text)
                .frame(maxWidth: .infinity, alignment: .leading)
                .padding(12)
                .background(RoundedRectangle(cornerRadius: 8).fill(Color.orange.opacity(0.18)))
        }
    }

    private var message: String? {
        switch problem {
        case nil: return nil
        case let .field(field, reason)?: return shown.contains(field) ? nil : reason
        case .offline?: return words.common.errorOffline
        case .signedOut?: return words.common.errorSignedOut
        case .wrongCredentials?: return words.signIn.wrongCredentials
        case .tooManyTries?: return words.signIn.tooManyTries
        case let .refused(code, reason)?: return code == "locked" ? words.note.locked : refusal(code, reason, words)
        case .other?: return words.common.errorOther
        }
    }
}

/// The one calm line about sync; refused changes open what to do about them.
@MainActor
struct SyncLineView: View {
    @Environment(\.words) var words
    let line: SyncLine
    let onRefused: () -> Void

    var body: some View {
        let common = words.common
        let text: String = {
            switch line {
            case .syncing: return common.syncRunning
            case let .refused(count): return common.syncRefused.plural(count)
            case let .waiting(count): return "\(common.syncSaved) \(common.syncPending.plural(count))"
            case .signedOut: return common.syncSignedOut
            case let .saved(last):
                return "\(common.syncSaved) " + (last.map { common.syncLast.fill(("when", words.ago($0))) } ?? common.syncNever)
            }
        }()
        if case .refused = line {
            Button(text, action: onRefused).font(.footnote).frame(maxWidth: .infinity, minHeight: target, alignment: .leading)
        } else {
            Text(text).font(.footnote).foregroundColor(.secondary).frame(maxWidth: .infinity, minHeight: target, alignment: .leading)
        }
    }
}

/// A labelled on/off switch; the whole row is the target, and speaks as one switch.
@MainActor
struct Toggled: View {
    let label: String
    let checked: Bool
    let onChange: (Bool) -> Void

    init(_ label: String, _ checked: Bool, _ onChange: @escaping (Bool) -> Void) {
        self.label = label
        self.checked = checked
        self.onChange = onChange
    }

    var body: some View {
        Toggle(label, isOn: Binding(get: { checked }, set: onChange)).frame(minHeight: target)
    }
}

/// One line of a menu: the whole row is the target.
@MainActor
struct Item: View {
    let label: String
    let action: () -> Void

    init(_ label: String, _ action: @escaping () -> Void) {
        self.label = label
        self.action = action
    }

    var body: some View {
        Button(action: action) {
            Text(label).font(.headline).frame(maxWidth: .infinity, minHeight: 56, alignment: .leading).contentShape(Rectangle())
        }
        .foregroundColor(.primary)
        Divider()
    }
}

/// One choice among a few, as full rows with room for a line of detail each.
@MainActor
struct RadioRows<T: Hashable>: View {
    let options: [T]
    let selected: T?
    let title: (T) -> String
    let detail: (T) -> String?
    let onSelect: (T) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            ForEach(options, id: \.self) { option in
                Button { onSelect(option) } label: {
                    HStack(alignment: .firstTextBaseline, spacing: 12) {
                        Image(systemName: option == selected ? "largecircle.fill.circle" : "circle").accessibilityHidden(true)
                        VStack(alignment: .leading, spacing: 2) {
                            Text(title(option)).font(.body).foregroundColor(.primary)
                            if let line = detail(option) { Text(line).font(.callout).foregroundColor(.secondary) }
                        }
                        Spacer()
                    }
                    .frame(minHeight: 56)
                    .contentShape(Rectangle())
                }
                .accessibilityElement(children: .combine)
                .accessibilityAddTraits(option == selected ? [.isButton, .isSelected] : .isButton)
            }
        }
    }
}

/// A small icon button with a spoken label, for a frame's actions.
@MainActor
struct IconAction: View {
    let systemImage: String
    let label: String
    let action: () -> Void

    var body: some View {
        Button(action: action) {
            Image(systemName: systemImage).frame(minWidth: target, minHeight: target)
        }
        .accessibilityLabel(label)
    }
}

/// Several choices, each a row that says whether it is chosen.
@MainActor
struct ManyChoices<T: Hashable>: View {
    let options: [T]
    let selected: Set<T>
    let label: (T) -> String
    let onToggle: (T) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            ForEach(options, id: \.self) { option in
                Button { onToggle(option) } label: {
                    HStack {
                        Image(systemName: selected.contains(option) ? "checkmark.square.fill" : "square").accessibilityHidden(true)
                        Text(label(option))
                        Spacer()
                    }
                    .frame(minHeight: target)
                    .contentShape(Rectangle())
                }
                .accessibilityAddTraits(selected.contains(option) ? [.isButton, .isSelected] : .isButton)
            }
        }
    }
}
