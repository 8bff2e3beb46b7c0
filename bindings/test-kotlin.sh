#!/usr/bin/env bash
# The Kotlin tests of the generated bindings, on a desktop JVM: builds the
# library and the server, generates the Kotlin, and runs the Maven project in
# bindings/kotlin against both (the tests start the server on loopback ports).
# Needs a JDK (17+) and Maven; Maven fetches its plugins and libraries the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

tests/require-jvm.sh

lib=$(bindings/generate.sh | tail -n 1)
cargo build --quiet -p alongside-server
target_dir=${CARGO_TARGET_DIR:-$PWD/target}

mvn -B --no-transfer-progress -f bindings/kotlin/pom.xml test \
    -Dalongside.lib.dir="$(dirname "$lib")" \
    -Dalongside.server="$target_dir/debug/alongside-server" "$@"
