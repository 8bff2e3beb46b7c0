#!/usr/bin/env bash
# Renders every screen of the app, participant's and peer worker's, in English
# and Spanish, over a scenario synced through a real server, into
# android/pictures/{en,es}/ (kept in the repository; the README shows them).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/require-jvm.sh
lib=$(bindings/generate.sh | tail -n 1)
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
mvn -B -q --no-transfer-progress -f android/pom.xml install -DskipTests
mvn -B -q --no-transfer-progress -f android/desktop/pom.xml exec:exec@pictures \
    -Dalongside.lib.dir="$(dirname "$lib")" -Dalongside.server="$target_dir/debug/alongside-server" \
    -Dalongside.pictures="$PWD/android/pictures"
