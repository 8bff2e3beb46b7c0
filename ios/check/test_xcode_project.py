"""The project check itself: it passes on ios/ as committed and fails, naming the fault, on each way the project can drift."""

import os
import unittest

import xcode_project
from copied_tree import CopiedTree

IOS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
PBXPROJ = os.path.join("App", "Alongside.xcodeproj", "project.pbxproj")


class XcodeProjectTest(CopiedTree):
    def setUp(self):
        # A copy of what the check reads: the project and its folders, the manifest, the Swift it reads constants from.
        super().setUp()
        for relative in ("App", "Package.swift", os.path.join("Sources", "AlongsideApp", "Platform", "Shared.swift")):
            self.copy(IOS, relative)

    def write(self, relative, text):
        os.makedirs(os.path.dirname(os.path.join(self.dir, relative)), exist_ok=True)
        with open(os.path.join(self.dir, relative), "w", encoding="utf-8") as out:
            out.write(text)

    def assertProblem(self, fragment):
        super().assertProblem(xcode_project.check(self.dir), fragment)

    def test_the_committed_project_passes(self):
        self.assertEqual(xcode_project.check(IOS), [])
        self.assertEqual(xcode_project.check(self.dir), [])

    def test_a_swift_file_added_beside_the_app_but_not_to_its_target(self):
        self.write("App/Alongside/Later.swift", "struct Later {}\n")
        self.assertProblem("target Alongside compiles")

    def test_a_swift_file_in_neither_package_nor_project(self):
        self.write("Stray/Stray.swift", "struct Stray {}\n")
        self.assertProblem("Stray/Stray.swift is in neither the package nor a target")

    def test_an_object_removed_but_still_named(self):
        self.edit(PBXPROJ, "\t\tA1000000000000000000C001 /* PBXContainerItemProxy */ = {", "\t\tA1000000000000000000C999 /* PBXContainerItemProxy */ = {")
        self.assertProblem("names A1000000000000000000C001, which is not in the project")

    def test_the_extension_not_embedded(self):
        self.edit(PBXPROJ, "dstSubfolderSpec = 13;", "dstSubfolderSpec = 16;")
        self.assertProblem("does not embed NotificationService.appex")

    def test_a_file_named_but_gone(self):
        os.remove(os.path.join(self.dir, "App", "Alongside", "PrivacyInfo.xcprivacy"))
        self.assertProblem("names Alongside/PrivacyInfo.xcprivacy, which does not exist")

    def test_a_product_the_package_no_longer_declares(self):
        self.edit("Package.swift", '.library(name: "AlongsideApp"', '.library(name: "AlongsideUI"')
        self.assertProblem("links AlongsideApp, which Package.swift does not declare")

    def test_the_extension_in_another_app_group(self):
        self.edit("App/NotificationService/NotificationService.entitlements", "group.org.alongside.app", "group.org.example")
        self.assertProblem("NotificationService (Debug): entitlements lack the app group group.org.alongside.app")

    def test_the_periodic_sync_not_permitted(self):
        self.edit("App/Alongside/Info.plist", "<string>org.alongside.app.sync</string>", "<string>org.alongside.app.other</string>")
        self.assertProblem("does not permit the periodic sync org.alongside.app.sync")

    def test_the_extension_outside_the_apps_bundle_identifier(self):
        self.edit(PBXPROJ, '"$(ALONGSIDE_BUNDLE_ID).NotificationService"', "org.example.NotificationService")
        self.assertProblem("does not start with the app's")

    def test_a_principal_class_that_is_not_there(self):
        self.edit("App/NotificationService/Info.plist", ".NotificationService</string>", ".Notifications</string>")
        self.assertProblem("the principal class 'Notifications'")


if __name__ == "__main__":
    unittest.main()
