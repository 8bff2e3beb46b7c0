"""The checker itself: it must fail on broken Swift, naming the place, and pass on good Swift."""

import contextlib
import io
import os
import tempfile
import unittest

import swift_parse

GOOD = b"""import SwiftUI

@Observable @MainActor
final class Model {
    var name = ""
    func load() async throws -> [String] { try await Task.detached { ["a"] }.value }
}

struct Screen: View {
    @State private var model = Model()
    var body: some View {
        VStack { Text(model.name).font(.body).accessibilityLabel("Name") }
    }
}
"""

# An unclosed brace on line 3, and a call closed twice on line 6.
BROKEN_BRACE = b"""struct A {
    var x = 1
    func f() {
"""
BROKEN_CALL = b"""func g() {
    let y = 2
}

func h() {
    print(y))
}
"""


def stack_of(n, swiftui=True):
    """A SwiftUI view whose VStack holds n texts (and a let, which is no view)."""
    texts = "".join(f'            Text("{i}")\n' for i in range(n))
    head = b"import SwiftUI\n" if swiftui else b"import Foundation\n"
    return head + (
        "struct S: View {\n    var body: some View {\n        VStack {\n            let x = 1\n"
        + texts
        + "        }\n    }\n}\n"
    ).encode()


class SwiftParseTest(unittest.TestCase):
    def test_good_swift_has_no_errors(self):
        self.assertEqual(swift_parse.errors(GOOD), [])

    def test_unclosed_brace_is_an_error(self):
        self.assertTrue(swift_parse.errors(BROKEN_BRACE))

    def test_error_names_its_line(self):
        found = swift_parse.errors(BROKEN_CALL)
        self.assertTrue(found)
        self.assertEqual({line for line, _, _ in found}, {6})

    def test_check_fails_on_a_broken_file_and_names_it(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "Sources", "App"))
            with open(os.path.join(root, "Sources", "App", "Good.swift"), "wb") as f:
                f.write(GOOD)
            broken = os.path.join(root, "Sources", "App", "Broken.swift")
            with open(broken, "wb") as f:
                f.write(BROKEN_CALL)
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(swift_parse.main([root]), 1)
            self.assertIn(f"{broken}:6:", out.getvalue())
            self.assertNotIn("Good.swift", out.getvalue())

    def test_build_folders_and_generated_bindings_are_left_out(self):
        with tempfile.TemporaryDirectory() as root:
            for folder in (".build", "build", os.path.join("Sources", "Alongside")):
                os.makedirs(os.path.join(root, folder), exist_ok=True)
            for path in (".build/X.swift", "build/Y.swift", "Sources/Alongside/Alongside.swift", "Sources/Alongside/AlongsideCore.swift"):
                with open(os.path.join(root, path), "wb") as f:
                    f.write(BROKEN_BRACE)
            with open(os.path.join(root, "Package.swift"), "wb") as f:
                f.write(GOOD)
            self.assertEqual(swift_parse.swift_files(root), [os.path.join(root, "Package.swift")])
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(swift_parse.main([root]), 0)

    def test_ten_views_in_a_block_pass_and_eleven_fail(self):
        self.assertEqual(swift_parse.errors(stack_of(11)), [])
        self.assertEqual(swift_parse.crowded_blocks(stack_of(10)), [])
        crowded = swift_parse.crowded_blocks(stack_of(11))
        self.assertEqual(len(crowded), 1)
        self.assertEqual(crowded[0][0], 5)  # where the block starts

    def test_long_blocks_outside_swiftui_are_not_counted(self):
        self.assertEqual(swift_parse.crowded_blocks(stack_of(11, swiftui=False)), [])

    def test_no_swift_files_is_a_failure(self):
        with tempfile.TemporaryDirectory() as root:
            with contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(swift_parse.main([root]), 1)


if __name__ == "__main__":
    unittest.main()
