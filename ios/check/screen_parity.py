"""Checks that the iOS app has every screen the Android app has, in the same order.

    python screen_parity.py REPO_DIR

The Swift compiler would hold Root.swift's switch to the Screen enum, but
nothing here compiles Swift, and no compiler would hold the enum to
Android's. This reads both apps' sources and fails when:

- the cases of Swift's `Screen` (ios/Sources/AlongsideApp/State/Navigator.swift)
  differ from android's (android/state/.../Navigator.kt): a screen missing,
  added, renamed, moved, or opened with other arguments;
- a case is not shown by Root.swift's switch, or is shown by a view that
  differs from the one android's App.kt shows (same name, Compose's and
  SwiftUI's), or that no Swift file defines;
- the screen-by-screen table of ios/README.md does not list the cases in
  that order.

Prints one line per problem and exits 1 if there was any.
"""

import os
import re
import sys

import report

KOTLIN_NAVIGATOR = "android/state/src/main/kotlin/org/alongside/app/state/Navigator.kt"
KOTLIN_APP = "android/ui/src/main/kotlin/org/alongside/app/ui/App.kt"
SWIFT_NAVIGATOR = "ios/Sources/AlongsideApp/State/Navigator.swift"
SWIFT_ROOT = "ios/Sources/AlongsideApp/UI/Root.swift"
SWIFT_UI = "ios/Sources/AlongsideApp/UI"
README = "ios/README.md"


def read(repo, relative):
    with open(os.path.join(repo, relative), encoding="utf-8") as source:
        return source.read()


def lower_first(name):
    return name[0].lower() + name[1:]


def parameter_names(parameters):
    """Names of a parameter list, Kotlin's (`val goalId: String? = null`) or Swift's (`goalId: String?`)."""
    names = []
    for parameter in filter(None, (p.strip() for p in (parameters or "").split(","))):
        names.append(re.sub(r"^(val|var)\s+", "", parameter).split(":")[0].strip())
    return names


def kotlin_screens(repo):
    """(case, parameters) of android's Screen, in order, case names as Swift spells them."""
    found = re.findall(r"data (?:object|class) (\w+)(?:\(([^)]*)\))?\s*:\s*Screen\b", read(repo, KOTLIN_NAVIGATOR))
    return [(lower_first(name), parameter_names(parameters)) for name, parameters in found]


def swift_screens(repo):
    """(case, parameters) of Swift's Screen enum, in order."""
    text = read(repo, SWIFT_NAVIGATOR)
    body = re.search(r"enum Screen\b[^{]*\{(.*?)\n\}", text, re.S)
    if not body:
        return []
    return [(name, parameter_names(parameters)) for name, parameters in re.findall(r"^\s*case (\w+)(?:\(([^)]*)\))?\s*$", body.group(1), re.M)]


def kotlin_views(repo):
    """The Composable android's App.kt shows for each case."""
    return {lower_first(name): view for name, view in re.findall(r"Screen\.(\w+) -> (\w+)\(", read(repo, KOTLIN_APP))}


def swift_views(repo):
    """The View Root.swift's switch shows for each case."""
    return dict(re.findall(r"case (?:let )?\.(\w+)(?:\([^)]*\))?: (\w+)\(", read(repo, SWIFT_ROOT)))


def swift_view_types(repo):
    """Every SwiftUI View struct defined in the app's UI folder."""
    found = set()
    for folder, _, files in os.walk(os.path.join(repo, SWIFT_UI)):
        for name in files:
            if name.endswith(".swift"):
                with open(os.path.join(folder, name), encoding="utf-8") as source:
                    found.update(re.findall(r"struct (\w+)(?:<[^>]*>)?\s*:\s*View\b", source.read()))
    return found


def readme_rows(repo):
    """The first column of the screen-by-screen table, in order."""
    return re.findall(r"^\| `(\w+)` \|", read(repo, README), re.M)


def check(repo):
    problems = []
    android, ios = kotlin_screens(repo), swift_screens(repo)
    if not android or not ios:
        return [f"no Screen cases found ({len(android)} in {KOTLIN_NAVIGATOR}, {len(ios)} in {SWIFT_NAVIGATOR})"]
    if [name for name, _ in android] != [name for name, _ in ios]:
        missing = [name for name, _ in android if name not in dict(ios)]
        extra = [name for name, _ in ios if name not in dict(android)]
        problems.append(f"Screen cases differ from android's: missing {missing}, not on android {extra}, or in another order")
    for name, parameters in ios:
        wanted = dict(android).get(name)
        if wanted is not None and wanted != parameters:
            problems.append(f"Screen.{name} opens with {parameters}, android's with {wanted}")
    shown, android_shown, defined = swift_views(repo), kotlin_views(repo), swift_view_types(repo)
    for name, _ in ios:
        view = shown.get(name)
        if view is None:
            problems.append(f"Root.swift shows nothing for Screen.{name}")
        elif view != android_shown.get(name):
            problems.append(f"Root.swift shows {view} for Screen.{name}, android shows {android_shown.get(name)}")
        elif view not in defined:
            problems.append(f"Root.swift shows {view} for Screen.{name}, and no Swift file defines it")
    if readme_rows(repo) != [name for name, _ in ios]:
        problems.append(f"the screen-by-screen table of {README} does not list the Screen cases in order")
    return problems


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return report.finish(check(argv[0]), f"{len(swift_screens(argv[0]))} screens compared with android's")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
