#!/usr/bin/env bash
# Every test of the project, as CI runs it (.ci/run calls this and nothing else).
# Installs what is missing (PostgreSQL from Debian's packages) and starts what
# the tests need (a throwaway PostgreSQL cluster on a free loopback port).
set -euo pipefail
cd "$(dirname "$0")/.."

# A full run builds from scratch once; incremental state would only fill the disk.
export CARGO_INCREMENTAL=0

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "lint"
cargo clippy --workspace --all-targets -- -D warnings

step "wake-up stand-ins: Python's own RFC 8291, VAPID and JWT implementations, pinned (PyPI)"
# The wake_* tests start loopback endpoints in place of Web Push, FCM and
# APNs that check what the server sends with implementations nobody here wrote.
ALONGSIDE_WAKE_PYTHON=$(server/tests/wake/setup.sh | tail -n 1)
export ALONGSIDE_WAKE_PYTHON ALONGSIDE_REQUIRE_WAKE=1

step "tests: core, and the server on SQLite and PostgreSQL"
# ALONGSIDE_REQUIRE_POSTGRES makes the PostgreSQL suite fail, not skip, if the
# database is not there.
tests/with-postgres.sh env ALONGSIDE_REQUIRE_POSTGRES=1 cargo test --workspace
tests/with-postgres.sh env ALONGSIDE_REQUIRE_POSTGRES=1 ALONGSIDE_FUZZ_SECS=60 cargo test -p alongside-server --test fuzz -- --ignored
# The phone's side: whatever the network answers, push, pull and the event
# stream return promptly and never panic.
ALONGSIDE_FUZZ_SECS=30 cargo test -p alongside-core --test client_fuzz -- --ignored

step "the API against its own description: schemathesis (PyPI, pinned) for 2 minutes against a live server on SQLite"
# A tool nobody here wrote calls every route with generated requests, valid
# and not, and fails on any 5xx or any answer the OpenAPI description at
# /v1/openapi.json does not allow (server/tests/openapi/).
server/tests/openapi/run.sh

step "bindings: build the library, generate Kotlin and Swift, Kotlin tests on the JVM against it and a real server"
bindings/test-kotlin.sh

step "the iOS app without a Swift toolchain: the Swift parses, its uses of the core fit the generated bindings, the screens give VoiceOver and Dynamic Type what they need and match android's, the Xcode project matches the tree (tree-sitter-swift, openstep-parser; PyPI, pinned)"
# After the bindings step: it reads what bindings/generate.sh wrote there.
ios/check-swift.sh

step "the app: the Kotlin layer, the Compose screens and the desktop build, UI tests headless over the real library and server"
android/test.sh

step "all tests passed"
