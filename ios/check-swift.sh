#!/usr/bin/env bash
# Every Swift file of ios/ parses: tree-sitter-swift (PyPI, pinned in
# check/requirements.txt) over ios/, failing with file:line:column on any
# syntax error. There is no Swift toolchain on the project's machines; this is
# a parse, not a compile (see README.md, "What is not checked here"). Then
# the SwiftUI for what VoiceOver and Dynamic Type need and for words written
# into it rather than taken from the core (check/swift_screens.py),
# and the Xcode project (App/Alongside.xcodeproj) against the tree: targets,
# files, package products, Info.plist and entitlement keys the Swift reads;
# and every screen of android's Navigator.kt a Swift Screen case, in order,
# shown by the same-named view (check/screen_parity.py).
#
#   ios/check-swift.sh [VENV_DIR]       # default: target/swift-parse-venv
#
# First the checkers' own tests (they must fail on what they guard), then ios/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
venv=${1:-$root/target/swift-parse-venv}
requirements=$here/check/requirements.txt

python=$("$root/tests/pinned-venv.sh" "$venv" "$requirements")

cd "$here/check"
"$python" -m unittest --quiet test_swift_parse test_swift_screens test_xcode_project test_screen_parity
"$python" swift_parse.py "$here"
"$python" swift_screens.py "$here"
"$python" xcode_project.py "$here"
"$python" screen_parity.py "$root"
