#!/usr/bin/env bash
# The screen benchmark: from a local write to the Today screen showing it
# (median and p95 over 200 writes), and what one refresh costs. Not a test:
# it prints figures (README, "The app"). PROFILE=release measures the library
# as it ships (a release build: slow the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/require-jvm.sh
lib=$(bindings/generate.sh | tail -n 1)
cargo build --quiet -p alongside-server
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
mvn -B -q -f android/pom.xml install -DskipTests
mvn -B -q -f android/desktop/pom.xml exec:exec@bench \
    -Dalongside.lib.dir="$(dirname "$lib")" -Dalongside.server="$target_dir/debug/alongside-server"
