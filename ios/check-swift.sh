#!/usr/bin/env bash
# The Swift of ios/ without a Swift toolchain or Xcode (there is none on the
# project's machines), with tree-sitter-swift and openstep-parser (PyPI,
# pinned in check/requirements.txt):
#
# 1. every Swift file parses (check/swift_parse.py), failing with
#    file:line:column on any syntax error;
# 2. the hand-written Swift's uses of the core fit the generated bindings
#    (check/swift_api.py): names, argument labels, record fields, enum cases
#    and type names, failing with file:line:column on each that does not;
# 3. the SwiftUI gives VoiceOver and Dynamic Type what they need, writes no
#    words of its own, and offers the crisis button on every screen
#    (check/swift_screens.py);
# 4. the Xcode project (App/Alongside.xcodeproj) matches the tree: targets,
#    files, package products, the Info.plist and entitlement keys the Swift
#    reads (check/xcode_project.py);
# 5. every screen of android's Navigator.kt is a Swift Screen case, in order,
#    shown by the view of the same name (check/screen_parity.py).
#
# This is not a compile (see README.md, "Checked here, and not").
#
#   ios/check-swift.sh [BINDINGS_DIR [VENV_DIR]]
#       BINDINGS_DIR: the generated Swift, default bindings/build/swift
#                     (bindings/generate.sh writes it)
#       VENV_DIR:     default target/swift-parse-venv
#
# Each checker's own tests run first (they must fail on what they guard).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bindings=${1:-$root/bindings/build/swift}
venv=${2:-$root/target/swift-parse-venv}
requirements=$here/check/requirements.txt

if [ ! -f "$bindings/Alongside.swift" ]; then
  echo "check-swift.sh: no generated bindings in $bindings (run bindings/generate.sh first)" >&2
  exit 1
fi
bindings=$(cd "$bindings" && pwd)

python=$("$root/tests/pinned-venv.sh" "$venv" "$requirements")

cd "$here/check"
"$python" -m unittest --quiet test_swift_parse test_swift_api test_swift_screens test_xcode_project test_screen_parity
"$python" swift_parse.py "$here"
"$python" swift_api.py "$bindings" "$here"
"$python" swift_screens.py "$here"
"$python" xcode_project.py "$here"
"$python" screen_parity.py "$root"
