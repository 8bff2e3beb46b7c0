"""Checks the Xcode project of the app (ios/App/Alongside.xcodeproj) against the tree.

    python xcode_project.py IOS_DIR

There is no Xcode here, so nothing would notice a project that no longer
matches its files until someone opens it on a Mac. This reads the project with
an OpenStep plist parser (openstep-parser, PyPI) and checks what a build on a
Mac relies on:

- every object the project names exists (no dangling reference);
- the app and its Notification Service Extension are there, with their
  product types; the app depends on the extension and embeds it;
- each target compiles exactly the Swift files of its folder, so a file
  added or removed without the project fails here;
- every file the project names exists; every Swift file of ios/ belongs to
  the package (Sources/, Tests/) or to one target;
- both targets link the package's products, and those are products
  Package.swift declares, at the path the project gives;
- Info.plist, entitlements and privacy manifest parse; the keys the Swift
  code reads are there (AlongsideServer, the periodic sync's identifier,
  background modes, the extension point and its principal class); both
  targets share the app group the Swift code names;
- the extension's bundle identifier is the app's with a suffix (iOS refuses
  to install it otherwise), and the shared scheme builds the app.

Prints `file: what` for each problem and exits 1 if there was any. It does
not build anything: settings Xcode resolves at build time (signing, the SDK)
are only checked to be present.
"""

import os
import plistlib
import re
import sys
import xml.etree.ElementTree as ElementTree
from xml.parsers.expat import ExpatError

import openstep_parser

import report
from swift_parse import swift_files

PROJECT = os.path.join("App", "Alongside.xcodeproj")
APP = "Alongside"
EXTENSION = "NotificationService"
PRODUCT_TYPES = {APP: "com.apple.product-type.application", EXTENSION: "com.apple.product-type.app-extension"}
# A copy phase with this subfolder puts its files in the app's PlugIns folder.
PLUGINS_FOLDER = "13"
OBJECT_ID = re.compile(r"^[0-9A-F]{24}$")


class Project:
    """The parsed project.pbxproj: objects by id, with the ios/ folder it lives in."""

    def __init__(self, ios_dir):
        self.ios_dir = ios_dir
        self.dir = os.path.join(ios_dir, os.path.dirname(PROJECT))
        self.path = os.path.join(ios_dir, PROJECT, "project.pbxproj")
        with open(self.path, encoding="utf-8") as source:
            self.plist = openstep_parser.OpenStepDecoder.ParseFromString(source.read())
        self.objects = self.plist["objects"]

    def isa(self, kind):
        return {key: value for key, value in self.objects.items() if value.get("isa") == kind}

    def root(self):
        return self.objects[self.plist["rootObject"]]

    def targets(self):
        """Targets by name."""
        return {self.objects[key]["name"]: self.objects[key] for key in self.root()["targets"]}

    def phase(self, target, kind):
        phases = [self.objects[key] for key in target["buildPhases"] if self.objects[key]["isa"] == kind]
        return phases[0] if phases else None

    def settings(self, target):
        """Build settings of each configuration of target, by configuration name."""
        configurations = self.objects[target["buildConfigurationList"]]["buildConfigurations"]
        return {self.objects[key]["name"]: self.objects[key]["buildSettings"] for key in configurations}

    def file_paths(self):
        """Path (relative to the project's folder) of each file reference in the groups."""
        paths = {}

        def walk(key, folder):
            group = self.objects[key]
            here = os.path.join(folder, group.get("path", ""))
            for child in group.get("children", []):
                node = self.objects[child]
                if node["isa"] == "PBXGroup":
                    walk(child, here)
                elif node.get("sourceTree") == "<group>":
                    paths[child] = os.path.normpath(os.path.join(here, node["path"]))

        walk(self.root()["mainGroup"], "")
        return paths

    def compiled(self, target):
        """Paths of the files target's Sources phase compiles."""
        paths = self.file_paths()
        phase = self.phase(target, "PBXSourcesBuildPhase") or {"files": []}
        return sorted(paths.get(self.objects[key].get("fileRef"), "?") for key in phase["files"])


def dangling(project):
    """Every value that looks like an object id and names no object."""
    found = []

    def walk(value, where):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, where)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, where)
        elif isinstance(value, str) and OBJECT_ID.match(value) and value not in project.objects:
            found.append(f"{where} names {value}, which is not in the project")

    for key, value in project.objects.items():
        walk(value, key)
    return found


def check_targets(project):
    problems = []
    targets = project.targets()
    for name, kind in PRODUCT_TYPES.items():
        if name not in targets:
            problems.append(f"no target {name}")
        elif targets[name]["productType"] != kind:
            problems.append(f"target {name} is a {targets[name]['productType']}, not a {kind}")
    if problems:
        return problems
    app, extension = targets[APP], targets[EXTENSION]
    extension_key = next(key for key in project.root()["targets"] if project.objects[key]["name"] == EXTENSION)
    if not any(project.objects[key].get("target") == extension_key for key in app["dependencies"]):
        problems.append(f"{APP} does not depend on {EXTENSION}: the extension would not be built with it")
    embeds = [project.objects[key] for key in app["buildPhases"] if project.objects[key]["isa"] == "PBXCopyFilesBuildPhase"]
    embedded = {project.objects[key].get("fileRef") for phase in embeds if str(phase["dstSubfolderSpec"]) == PLUGINS_FOLDER for key in phase["files"]}
    if extension["productReference"] not in embedded:
        problems.append(f"{APP} does not embed {EXTENSION}.appex in its PlugIns folder")
    for name in (APP, EXTENSION):
        on_disk = sorted(os.path.relpath(path, project.dir) for path in swift_files(os.path.join(project.dir, name)))
        if project.compiled(targets[name]) != on_disk:
            problems.append(f"target {name} compiles {project.compiled(targets[name])}, but its folder holds {on_disk}")
    return problems


def check_files(project):
    problems = []
    for path in sorted(set(project.file_paths().values())):
        if not os.path.exists(os.path.join(project.dir, path)):
            problems.append(f"names {path}, which does not exist")
    in_targets = {os.path.join(project.dir, path) for target in project.targets().values() for path in project.compiled(target)}
    for path in swift_files(project.ios_dir):
        relative = os.path.relpath(path, project.ios_dir)
        in_package = relative == "Package.swift" or relative.split(os.sep)[0] in {"Sources", "Tests"}
        if not in_package and path not in in_targets:
            problems.append(f"{relative} is in neither the package nor a target of the project")
    return problems


def check_packages(project):
    problems = []
    for key in project.root().get("packageReferences", []):
        package = os.path.join(project.dir, project.objects[key]["relativePath"], "Package.swift")
        if not os.path.exists(package):
            return [f"the local package {package} does not exist"]
        with open(package, encoding="utf-8") as source:
            declared = set(re.findall(r'\.library\(\s*name:\s*"([^"]+)"', source.read()))
        for name, target in project.targets().items():
            linked = set()
            for dependency in target.get("packageProductDependencies", []):
                product = project.objects[dependency]
                if product.get("package") != key or product["productName"] not in declared:
                    problems.append(f"target {name} links {product['productName']}, which Package.swift does not declare")
                linked.add(product["productName"])
            frameworks = project.phase(target, "PBXFrameworksBuildPhase") or {"files": []}
            in_phase = {project.objects[file].get("productRef") for file in frameworks["files"]}
            for dependency in target.get("packageProductDependencies", []):
                if dependency not in in_phase:
                    problems.append(f"target {name} depends on {project.objects[dependency]['productName']} but does not link it")
            if not {"Alongside", "AlongsideApp"} <= linked:
                problems.append(f"target {name} links {sorted(linked)}, not both Alongside and AlongsideApp")
    if not project.root().get("packageReferences"):
        problems.append("the project names no local package")
    return problems


class Unreadable(Exception):
    """A property list the project names is missing or does not parse."""


def read_plist(project, relative):
    try:
        with open(os.path.join(project.dir, relative), "rb") as source:
            return plistlib.load(source)
    except (OSError, plistlib.InvalidFileException, ValueError, ExpatError) as error:
        raise Unreadable(f"{relative} cannot be read as a property list: {error}") from error


def swift_constant(project, relative, pattern):
    """The first group of pattern in a Swift file of ios/, or None."""
    with open(os.path.join(project.ios_dir, relative), encoding="utf-8") as source:
        found = re.search(pattern, source.read())
    return found.group(1) if found else None


def check_settings(project):
    problems = []
    group = swift_constant(project, "Sources/AlongsideApp/Platform/Shared.swift", r'static let group = "([^"]+)"')
    refresh = swift_constant(project, "App/Alongside/AlongsideiOSApp.swift", r'let refreshTask = "([^"]+)"')
    bundle_ids = {}
    for name, target in project.targets().items():
        for configuration, settings in project.settings(target).items():
            where = f"{name} ({configuration})"
            for key in ("INFOPLIST_FILE", "CODE_SIGN_ENTITLEMENTS", "PRODUCT_BUNDLE_IDENTIFIER"):
                if key not in settings:
                    problems.append(f"{where} sets no {key}")
            if problems:
                continue
            bundle_ids[(name, configuration)] = settings["PRODUCT_BUNDLE_IDENTIFIER"]
            info = read_plist(project, settings["INFOPLIST_FILE"])
            entitlements = read_plist(project, settings["CODE_SIGN_ENTITLEMENTS"])
            if "AlongsideServer" not in info:
                problems.append(f"{where}: Info.plist has no AlongsideServer, which the Swift code reads")
            if group not in entitlements.get("com.apple.security.application-groups", []):
                problems.append(f"{where}: entitlements lack the app group {group} that Shared.swift names")
            if name == APP:
                if refresh not in info.get("BGTaskSchedulerPermittedIdentifiers", []):
                    problems.append(f"{where}: Info.plist does not permit the periodic sync {refresh}")
                if not {"fetch", "remote-notification"} <= set(info.get("UIBackgroundModes", [])):
                    problems.append(f"{where}: Info.plist lacks the background modes fetch and remote-notification")
                if "aps-environment" not in entitlements:
                    problems.append(f"{where}: entitlements lack aps-environment (push notifications)")
            else:
                extension = info.get("NSExtension", {})
                if extension.get("NSExtensionPointIdentifier") != "com.apple.usernotifications.service":
                    problems.append(f"{where}: Info.plist is not a Notification Service Extension's")
                principal = extension.get("NSExtensionPrincipalClass", "").split(".")[-1]
                if not swift_constant(project, f"App/{EXTENSION}/{EXTENSION}.swift", rf"class ({principal}):\s*UNNotificationServiceExtension"):
                    problems.append(f"{where}: the principal class {principal!r} is no UNNotificationServiceExtension of {EXTENSION}.swift")
    for (name, configuration), extension_id in bundle_ids.items():
        app_id = bundle_ids.get((APP, configuration))
        if name == EXTENSION and app_id and not extension_id.startswith(app_id + "."):
            problems.append(f"{configuration}: the extension's bundle identifier {extension_id} does not start with the app's {app_id}.")
    for resource in (project.phase(project.targets()[APP], "PBXResourcesBuildPhase") or {"files": []})["files"]:
        path = project.file_paths().get(project.objects[resource].get("fileRef"), "")
        if path.endswith((".plist", ".xcprivacy")):
            read_plist(project, path)
    return problems


def check_scheme(project):
    scheme = os.path.join(project.ios_dir, PROJECT, "xcshareddata", "xcschemes", f"{APP}.xcscheme")
    if not os.path.exists(scheme):
        return [f"no shared scheme {APP}: xcodebuild -scheme {APP} would find nothing on a fresh clone"]
    app_key = next(key for key in project.root()["targets"] if project.objects[key]["name"] == APP)
    built = {node.get("BlueprintIdentifier") for node in ElementTree.parse(scheme).iter("BuildableReference")}
    return [] if built == {app_key} else [f"the scheme builds {sorted(built)}, not the app target {app_key}"]


def check(ios_dir):
    """Every problem of the project under ios_dir, as text."""
    project = Project(ios_dir)
    problems = dangling(project)
    if problems:
        return problems
    for each in (check_targets, check_files, check_packages, check_settings, check_scheme):
        try:
            problems.extend(each(project))
        except Unreadable as error:
            problems.append(str(error))
    return problems


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    where = os.path.join(argv[0], PROJECT)
    return report.finish([f"{where}: {problem}" for problem in check(argv[0])], "Xcode project checked")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
