#!/usr/bin/env bash
# The app on the JVM: builds the library and the server, generates the
# bindings, then builds the Kotlin layer (state), the Compose screens (ui)
# and the desktop build with Maven and runs their tests: the Kotlin layer
# against the real library, and the UI tests headless, clicking the real
# screens over the real library and a real server on loopback. CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/require-jvm.sh
lib=$(bindings/generate.sh | tail -n 1)
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
mvn -B -f android/pom.xml verify \
    -Dalongside.lib.dir="$(dirname "$lib")" \
    -Dalongside.server="$target_dir/debug/alongside-server" "$@"
