"""The API check itself: it must fail, naming the line, on each way the core's API can
drift from the Swift that uses it, and pass on correct code and on Apple's calls."""

import contextlib
import io
import os
import tempfile
import unittest

import swift_api

# A small stand-in for what bindings/generate.sh writes.
GENERATED = """
import Foundation

public enum GoalStatus: Equatable, Hashable {
    case active
    case achieved
}

public enum Registration: Equatable, Hashable {
    case apns(deviceToken: String
    )
}

public
enum AlongsideError: Swift.Error, Equatable {
    case NotFound(collection: String, id: String
    )
    case Offline(reason: String
    )
}

public struct Goal: Equatable, Hashable {
    public var id: String
    public var title: String
    public var status: GoalStatus
    public init(id: String = "", title: String,
        /** A doc comment, as UniFFI writes them. */status: GoalStatus) {
        self.id = id
        self.title = title
        self.status = status
    }
}

public struct Words: Equatable {
    public var title: String
    public init(title: String) { self.title = title }
}

public enum Language { case english }

public protocol CompanionProtocol: AnyObject {
    func getGoal(id: String) throws -> Goal
}

open class Companion: CompanionProtocol {
    public static func `open`(path: String, key: Data) throws -> Companion { fatalError() }
    open func getGoal(id: String) throws -> Goal { fatalError() }
    open func addObserver(observer: String) { }
    open func setWakeUps(registration: Registration?) async throws { }
    open func cancel() { }
}

public func words(language: Language) -> Words { fatalError() }

fileprivate func notApi(x: Int) { }
"""

# The project's conventions, as Data/Store.swift declares them.
STORE = """
import Alongside

public final class Store {
    public let core: Companion
    public init(core: Companion) { self.core = core }
    public func local<T>(_ call: @escaping @Sendable (Companion) throws -> T) async throws -> T { try call(core) }
}
"""

GOOD = """
import Alongside
import UIKit

extension Goal {
    var shout: String { title.uppercased() }
}

func good(store: Store, url: URL, task: Task<Void, Never>) async throws {
    let goal = try await store.local { try $0.getGoal(id: "g") }
    let title: String = goal.title + goal.shout
    let fresh = Goal(title: title, status: .active)
    if fresh.status == .achieved { return }
    try await store.core.setWakeUps(registration: .apns(deviceToken: "t"))
    _ = words(language: .english).title
    _ = try Companion.open(path: "p", key: Data())
    do { _ = try store.core.getGoal(id: "x") } catch AlongsideError.NotFound { }
    switch AlongsideError.Offline(reason: "r") {
    case let .NotFound(collection, id): print(collection, id)
    case .Offline: break
    }
    // Apple's calls that share a name with the core's.
    UIApplication.shared.open(url)
    task.cancel()
    let center = NotificationCenter.default
    center.addObserver(self, selector: nil, name: nil, object: nil)
    _ = [fresh].map { $0.title }
}
"""

APPLE_TYPES = {"Data", "Never", "NotificationCenter", "Sendable", "String", "Task", "UIApplication", "URL", "Void"}


def problems(hand_written):
    """What the check says of hand_written (Swift source), beside STORE, against GENERATED."""
    with tempfile.TemporaryDirectory() as root:
        bindings, ios = os.path.join(root, "bindings"), os.path.join(root, "ios")
        os.makedirs(bindings)
        os.makedirs(ios)
        for folder, name, source in ((bindings, "Alongside.swift", GENERATED), (ios, "Store.swift", STORE), (ios, "Use.swift", hand_written)):
            with open(os.path.join(folder, name), "w") as f:
                f.write(source)
        found, _, _ = swift_api.check(bindings, [ios], APPLE_TYPES)
        return [(os.path.basename(path), line, what) for path, line, _, what in found]


def use(body):
    """body inside a function that has a Store and a Goal."""
    return "import Alongside\n\nfunc use(store: Store, goal: Goal) async throws {\n" + body + "\n}\n"


class SwiftApiTest(unittest.TestCase):
    def assertFails(self, body, *words):
        found = problems(use(body))
        self.assertEqual(len(found), 1, found)
        name, line, what = found[0]
        self.assertEqual((name, line), ("Use.swift", 4))
        for word in words:
            self.assertIn(word, what)

    def test_correct_code_and_apple_calls_pass(self):
        self.assertEqual(problems(GOOD), [])

    def test_a_renamed_method_fails(self):
        self.assertFails("_ = try store.core.getGoals(id: \"g\")", "Companion has no method getGoals")

    def test_a_renamed_method_fails_inside_local(self):
        self.assertFails("_ = try await store.local { try $0.getGoals(id: \"g\") }", "getGoals")

    def test_a_wrong_label_fails(self):
        self.assertFails("_ = try await store.local { core in try core.getGoal(goalId: \"g\") }", "getGoal(goalId:)", "getGoal(id:)")

    def test_a_wrong_label_of_a_top_level_function_fails(self):
        self.assertFails("_ = words(lang: .english)", "words(lang:)")

    def test_a_missing_record_field_fails(self):
        self.assertFails("_ = Goal(title: \"t\")", "missing status")

    def test_an_unknown_record_field_in_an_initializer_fails(self):
        self.assertFails("_ = Goal(title: \"t\", status: .active, note: \"n\")", "unknown note")

    def test_an_unknown_enum_case_fails(self):
        self.assertFails("_ = GoalStatus.done", "GoalStatus has no case done")

    def test_an_unknown_case_in_context_fails(self):
        self.assertFails("if goal.status == .done { }", "no case done")

    def test_a_case_with_wrong_labels_fails(self):
        self.assertFails("try await store.core.setWakeUps(registration: .apns(token: \"t\"))", "apns(token:)")

    def test_a_switch_binding_the_wrong_number_of_values_fails(self):
        self.assertFails("switch AlongsideError.Offline(reason: \"r\") { case let .NotFound(id): print(id); default: break }", "has 2 values")

    def test_an_unknown_field_fails(self):
        self.assertFails("_ = goal.titel", "record Goal has no field titel")

    def test_an_unknown_type_fails(self):
        self.assertFails("let g: Gaol? = nil", "unknown type Gaol")

    def test_a_removed_core_type_fails_where_it_is_built(self):
        self.assertFails("_ = Milestone(title: \"m\")", "unknown type Milestone")

    def test_an_unknown_camel_case_method_name_of_the_core_fails_on_any_receiver(self):
        self.assertFails("let someone = unknownThing()\nsomeone.setWakeUps(reg: nil)".replace("\n", "; "), "setWakeUps(reg:)")

    def test_apple_types_file_is_sorted_and_unique(self):
        with open(swift_api.APPLE_TYPES) as listed:
            names = [line.strip() for line in listed if line.strip() and not line.startswith("#")]
        self.assertEqual(names, sorted(set(names)))

    def test_main_names_the_file_and_line_and_fails(self):
        with tempfile.TemporaryDirectory() as root:
            with open(os.path.join(root, "Alongside.swift"), "w") as f:
                f.write(GENERATED)
            used = os.path.join(root, "Use.swift")
            with open(used, "w") as f:
                f.write("import Alongside\nlet g: Goal = Goal(title: \"t\")\n")
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(swift_api.main([root, used]), 1)
            self.assertIn(f"{used}:2:", out.getvalue())

    def test_missing_bindings_fail_clearly(self):
        with tempfile.TemporaryDirectory() as root:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                self.assertEqual(swift_api.main([os.path.join(root, "nothing"), root]), 2)
            self.assertIn("bindings/generate.sh", err.getvalue())


if __name__ == "__main__":
    unittest.main()
