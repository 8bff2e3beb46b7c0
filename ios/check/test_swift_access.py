"""The VoiceOver and Dynamic Type check: it names each mistake it guards against and lets good SwiftUI through."""

import unittest

import swift_access

GOOD = b"""import SwiftUI

struct Good: View {
    var body: some View {
        Button(action: {}) {
            Image(systemName: "chevron.backward").frame(minWidth: 44, minHeight: 44)
        }
        .accessibilityLabel("Back")
        HStack {
            Image(systemName: "circle").accessibilityHidden(true)
            Text("Mood").font(.subheadline.weight(.semibold))
        }
        .accessibilityElement(children: .combine)
        Image(decorative: "wave")
        Text("Title").font(.headline).frame(maxWidth: .infinity, minHeight: 52)
        Text("Scaled").font(.custom("Serif", size: 17, relativeTo: .body))
    }
}
"""


def problems_in(body):
    source = b"import SwiftUI\n\nstruct Screen: View {\n    var body: some View {\n" + body + b"\n    }\n}\n"
    return swift_access.problems(source)


class SwiftAccessTest(unittest.TestCase):
    def assertOneProblem(self, body, fragment, line):
        found = problems_in(body)
        self.assertEqual(len(found), 1, found)
        self.assertEqual(found[0][0], line)
        self.assertIn(fragment, found[0][2])

    def test_good_swiftui_passes(self):
        self.assertEqual(swift_access.problems(GOOD), [])

    def test_a_fixed_font_size(self):
        self.assertOneProblem(b'        Text("a").font(.system(size: 12))', "does not grow with Dynamic Type", 5)

    def test_a_custom_font_that_does_not_scale(self):
        self.assertOneProblem(b'        Text("a").font(.custom("Serif", size: 17))', "does not grow with Dynamic Type", 5)

    def test_a_fixed_height(self):
        self.assertOneProblem(b'        Text("a").font(.body).frame(height: 30)', "fixed height clips text", 5)

    def test_a_fixed_max_height(self):
        self.assertOneProblem(b'        Text("a").frame(maxWidth: .infinity, maxHeight: 40)', "fixed maxHeight", 5)

    def test_an_icon_button_with_no_label(self):
        body = b'        Button(action: {}) {\n            Image(systemName: "trash")\n        }'
        self.assertOneProblem(body, "an Image VoiceOver cannot name", 6)

    def test_a_label_on_another_view_does_not_count(self):
        body = b'        Text("Delete").accessibilityLabel("Delete")\n        Image(systemName: "trash")'
        self.assertOneProblem(body, "an Image VoiceOver cannot name", 6)

    def test_hidden_false_does_not_count(self):
        self.assertOneProblem(b'        Image(systemName: "trash").accessibilityHidden(false)', "an Image VoiceOver cannot name", 5)

    def test_a_tap_gesture(self):
        self.assertOneProblem(b'        Text("Open").onTapGesture { }', "use Button", 5)

    def test_files_without_swiftui_are_not_read(self):
        self.assertEqual(swift_access.problems(b"let font = Font.system(size: 12)\n"), [])


if __name__ == "__main__":
    unittest.main()
