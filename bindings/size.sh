#!/usr/bin/env bash
# The size of the library the apps ship, for x86_64 Linux: the release cdylib
# (opt-level "s", LTO, one codegen unit, panic = abort), linked as Android's
# build links it (.cargo/config.toml: no unwind tables, packed relative
# relocations; here glibc's RELR in place of Android's packing), stripped as
# packaging would strip it, and what takes the room, attributed by symbol from
# the unstripped build. Target: 6 MB (6,000,000 bytes) stripped.
#
# The release build is slow the first time (LTO on two cores): minutes. It has
# its own target folder, since its flags differ from the other builds'.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-$PWD/target}/shipped
CARGO_TARGET_DIR=$target_dir RUSTFLAGS="-C force-unwind-tables=no -C link-arg=-Wl,-z,pack-relative-relocs" \
    cargo build --quiet --release -p alongside-ffi
lib="$target_dir/release/libalongside_ffi.so"
stripped="$target_dir/release/libalongside_ffi.stripped.so"
strip --strip-all -o "$stripped" "$lib"

bytes=$(stat -c %s "$stripped")
printf 'libalongside_ffi.so, x86_64-linux, release, stripped: %s bytes (%.2f MB; target 6 MB)\n' "$bytes" "$(echo "$bytes / 1000000" | bc -l)"
echo
echo "sections of the stripped library:"
size -A "$stripped" | awk 'NR > 2 && $2 > 65536 { printf "  %-22s %10d\n", $1, $2 }'
echo
echo "what takes the room (code and data symbols of the unstripped build, by origin):"
archive() { find "$target_dir/release/build" -path "*$1*" -name "$2" | head -n 1; }
nm --print-size --size-sort --demangle=rust "$lib" | python3 bindings/size_by_origin.py \
    "sqlcipher (SQLite + cipher)=$(archive libsqlite3-sys libsqlcipher.a)" \
    "ring (C/asm)=$(archive ring- 'libring_core_*_.a')"
