#!/usr/bin/env bash
# Builds the library and generates its Kotlin and Swift bindings into
# bindings/build/ (not committed):
#
#   bindings/build/kotlin/org/alongside/core/…   Kotlin (package org.alongside.core
#                                                and org.alongside.core.model)
#   bindings/build/swift/                        Alongside.swift, AlongsideCore.swift,
#                                                the two C headers and module.modulemap
#                                                (C module AlongsideFFI)
#
# PROFILE=release builds the release library instead of the debug one;
# BINDINGS_OUT puts the kotlin/ and swift/ folders elsewhere; KOTLIN_CONFIG
# names a uniffi.toml merged over the crates' own for Kotlin (Android's, say).
# The bindings are generated from the unstripped library: UniFFI reads its
# metadata from the library's symbols. Prints the library's path last.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-debug}
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
case "$(uname -s)" in
    Darwin) lib_file=libalongside_ffi.dylib ;;
    *) lib_file=libalongside_ffi.so ;;
esac

if [ "$profile" = debug ]; then
    # One invocation with the server (the Kotlin tests run it): the crates they
    # share are built once, with the same features as in `cargo test --workspace`.
    cargo build --quiet -p alongside-ffi -p uniffi-bindgen -p alongside-server
else
    # Apart, so the generator's extra uniffi features (its CLI, cargo metadata)
    # stay out of the library that ships.
    cargo build --quiet -p uniffi-bindgen
    cargo build --quiet -p alongside-ffi --profile "$profile"
fi

lib="$target_dir/$profile/$lib_file"
out=${BINDINGS_OUT:-bindings/build}
rm -rf "$out/kotlin" "$out/swift"
mkdir -p "$out"

config=()
if [ -n "${KOTLIN_CONFIG:-}" ]; then config=(--config "$KOTLIN_CONFIG"); fi
"$target_dir/debug/uniffi-bindgen" generate --no-format --library "$lib" --language kotlin ${config[@]+"${config[@]}"} --out-dir "$out/kotlin" >/dev/null
# Two checked edits to the generated Kotlin: Companion.open's return type, and
# call statuses reused per thread (the reasons are in patch_kotlin.py).
python3 bindings/patch_kotlin.py "$out/kotlin/org/alongside/core/alongside.kt" "$out/kotlin/org/alongside/core/model/alongside_core.kt"

"$target_dir/debug/uniffi-bindgen-swift" "$lib" "$out/swift" --swift-sources --headers --modulemap \
    --module-name AlongsideFFI --modulemap-filename module.modulemap

echo "$lib"
