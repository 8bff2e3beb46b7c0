"""The screens check: it names each mistake it guards against (VoiceOver, Dynamic Type, written words) and lets good SwiftUI through."""

import unittest

import swift_screens

GOOD = b"""import SwiftUI

struct Good: View {
    var body: some View {
        Button(action: {}) {
            Image(systemName: "chevron.backward").frame(minWidth: 44, minHeight: 44)
        }
        .accessibilityLabel(words.back)
        HStack {
            Image(systemName: "circle").accessibilityHidden(true)
            Text(words.mood).font(.subheadline.weight(.semibold))
        }
        .accessibilityElement(children: .combine)
        Image(decorative: "wave")
        Text(words.title).font(.headline).frame(maxWidth: .infinity, minHeight: 52)
        Text(words.title).font(.custom("Serif", size: 17, relativeTo: .body))
        Text("\\(i + 1). \\(step)")
        Button(words.common.back, action: {})
        Image("wave-asset").accessibilityHidden(true)
        Field(label: words.name, key: "display_name")
    }
}
"""


def problems_in(body):
    source = b"import SwiftUI\n\nstruct Screen: View {\n    var body: some View {\n" + body + b"\n    }\n}\n"
    return swift_screens.problems(source)


class SwiftScreensTest(unittest.TestCase):
    def assertOneProblem(self, body, fragment, line):
        found = problems_in(body)
        self.assertEqual(len(found), 1, found)
        self.assertEqual(found[0][0], line)
        self.assertIn(fragment, found[0][2])

    def test_good_swiftui_passes(self):
        self.assertEqual(swift_screens.problems(GOOD), [])

    def test_a_fixed_font_size(self):
        self.assertOneProblem(b'        Text(label).font(.system(size: 12))', "does not grow with Dynamic Type", 5)

    def test_a_custom_font_that_does_not_scale(self):
        self.assertOneProblem(b'        Text(label).font(.custom("Serif", size: 17))', "does not grow with Dynamic Type", 5)

    def test_a_fixed_height(self):
        self.assertOneProblem(b'        Text(label).font(.body).frame(height: 30)', "fixed height clips text", 5)

    def test_a_fixed_max_height(self):
        self.assertOneProblem(b'        Text(label).frame(maxWidth: .infinity, maxHeight: 40)', "fixed maxHeight", 5)

    def test_an_icon_button_with_no_label(self):
        body = b'        Button(action: {}) {\n            Image(systemName: "trash")\n        }'
        self.assertOneProblem(body, "an Image VoiceOver cannot name", 6)

    def test_a_label_on_another_view_does_not_count(self):
        body = b'        Text(words.delete).accessibilityLabel(words.delete)\n        Image(systemName: "trash")'
        self.assertOneProblem(body, "an Image VoiceOver cannot name", 6)

    def test_hidden_false_does_not_count(self):
        self.assertOneProblem(b'        Image(systemName: "trash").accessibilityHidden(false)', "an Image VoiceOver cannot name", 5)

    def test_a_tap_gesture(self):
        self.assertOneProblem(b'        Text(words.open).onTapGesture { }', "use Button", 5)

    def test_words_in_a_text(self):
        self.assertOneProblem(b'        Text("Welcome back")', "words written into the Swift ('Welcome back')", 5)

    def test_words_around_an_interpolation(self):
        self.assertOneProblem(b'        Text("Goals: \\(count)")', "('Goals:')", 5)

    def test_words_in_a_kit_view(self):
        self.assertOneProblem(b'        MainButton("Save", { save() })', "('Save')", 5)

    def test_words_read_by_voiceover(self):
        self.assertOneProblem(b'        Image(systemName: "trash").accessibilityLabel("Delete")', "('Delete')", 5)

    def test_a_screen_without_the_crisis_button(self):
        self.assertOneProblem(b'        ScreenFrame(title: words.goals.title, back: nav.back, crisis: nil) { content }', "without the crisis button", 5)

    def test_a_screen_that_forgets_the_crisis_button(self):
        self.assertOneProblem(b'        ScreenFrame(title: words.goals.title, back: nav.back) { content }', "without the crisis button", 5)

    def test_the_crisis_screen_needs_no_crisis_button(self):
        source = b"import SwiftUI\n\nstruct CrisisScreen: View {\n    var body: some View {\n        ScreenFrame(title: words.crisis.title, back: back, crisis: nil) { lines }\n    }\n}\n"
        self.assertEqual(swift_screens.problems(source), [])
        self.assertEqual(problems_in(b'        ScreenFrame(title: words.today.title, back: nil, crisis: nav.crisis) { today }'), [])

    def test_files_without_swiftui_are_not_read(self):
        self.assertEqual(swift_screens.problems(b"let font = Font.system(size: 12)\n"), [])


if __name__ == "__main__":
    unittest.main()
