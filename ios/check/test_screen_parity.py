"""The screen parity check: it passes on the repository as committed and names each way iOS can fall behind android."""

import os
import unittest

import screen_parity
from copied_tree import CopiedTree

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FILES = [
    screen_parity.KOTLIN_NAVIGATOR,
    screen_parity.KOTLIN_APP,
    screen_parity.SWIFT_NAVIGATOR,
    screen_parity.SWIFT_ROOT,
    screen_parity.README,
    screen_parity.SWIFT_UI,
]


class ScreenParityTest(CopiedTree):
    def setUp(self):
        super().setUp()
        for relative in FILES:
            self.copy(REPO, relative)

    def assertProblem(self, fragment):
        super().assertProblem(screen_parity.check(self.dir), fragment)

    def test_the_committed_apps_match(self):
        self.assertEqual(screen_parity.check(REPO), [])
        self.assertEqual(len(screen_parity.swift_screens(REPO)), len(screen_parity.kotlin_screens(REPO)))

    def test_a_screen_android_gains(self):
        self.edit(screen_parity.KOTLIN_NAVIGATOR, "    data object Invite : Screen\n", "    data object Invite : Screen\n    data object Journal : Screen\n")
        self.assertProblem("missing ['journal']")

    def test_a_screen_ios_lost(self):
        self.edit(screen_parity.SWIFT_NAVIGATOR, "    case barc10\n", "")
        self.assertProblem("missing ['barc10']")

    def test_screens_in_another_order(self):
        self.edit(screen_parity.SWIFT_NAVIGATOR, "    case signIn\n    case register\n", "    case register\n    case signIn\n")
        self.assertProblem("or in another order")

    def test_a_screen_opened_with_other_arguments(self):
        self.edit(screen_parity.SWIFT_NAVIGATOR, "case goalForm(goalId: String?)", "case goalForm(id: String?)")
        self.assertProblem("Screen.goalForm opens with ['id'], android's with ['goalId']")

    def test_a_case_the_root_does_not_show(self):
        self.edit(screen_parity.SWIFT_ROOT, "        case .invite: InviteScreen(nav: nav)\n", "")
        self.assertProblem("Root.swift shows nothing for Screen.invite")

    def test_a_case_shown_by_another_view(self):
        self.edit(screen_parity.SWIFT_ROOT, "case .notes: NotesScreen(nav: nav)", "case .notes: MoreScreen(nav: nav)")
        self.assertProblem("Root.swift shows MoreScreen for Screen.notes, android shows NotesScreen")

    def test_a_view_no_file_defines(self):
        self.edit(os.path.join(screen_parity.SWIFT_UI, "Screens", "More.swift"), "struct ExportScreen: View", "struct ExportView: View")
        self.assertProblem("no Swift file defines it")

    def test_a_row_missing_from_the_readme(self):
        self.edit(screen_parity.README, "| `notes` |", "| notes |")
        self.assertProblem("does not list the Screen cases in order")


if __name__ == "__main__":
    unittest.main()
