#!/usr/bin/env bash
# The FFI benchmark: the cost of calling the core from Kotlin (JVM, JNA) against
# the same calls from Rust, in one run, on the release library. Prints a table
# of medians and ratios: Kotlin on the calling thread, and with the GC and JNA
# cleanup work each call leaves (FfiBenchmark.kt says why both). Not part of
# the tests.
#
# The release build uses LTO with one codegen unit: the first build takes
# several minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."

lib=$(PROFILE=release bindings/generate.sh | tail -n 1)
cargo build --quiet --release -p alongside-ffi --example ffi_bench
target_dir=${CARGO_TARGET_DIR:-$PWD/target}

mvn -B -q --no-transfer-progress -f bindings/kotlin/pom.xml test-compile exec:exec@bench \
    -Dalongside.lib.dir="$(dirname "$lib")" \
    -Dalongside.rust.bench="$target_dir/release/examples/ffi_bench"
