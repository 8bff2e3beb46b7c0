#!/usr/bin/env bash
# Builds ios/build/AlongsideFFI.xcframework and the Swift sources the package
# wraps. Runs on a Mac with Xcode and rustup:
#
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin
#   ios/build-xcframework.sh            # release (what ships)
#   PROFILE=debug ios/build-xcframework.sh
#
# Then `swift build` / `swift test` in ios/ (the tests run on macOS), or add the
# package to the Xcode project.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
profile_dir=$([ "$profile" = debug ] && echo debug || echo "$profile")
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
out=ios/build
rm -rf "$out" ios/Sources/Alongside/*.swift
mkdir -p "$out/headers/AlongsideFFI" "$out/ios-simulator" "$out/macos"

build() { cargo build -p alongside-ffi --lib --profile "$profile" --target "$1"; }
build aarch64-apple-ios
build aarch64-apple-ios-sim
build x86_64-apple-ios
build aarch64-apple-darwin

# One static library per platform: the two simulator architectures together.
lipo -create \
    "$target_dir/aarch64-apple-ios-sim/$profile_dir/libalongside_ffi.a" \
    "$target_dir/x86_64-apple-ios/$profile_dir/libalongside_ffi.a" \
    -output "$out/ios-simulator/libalongside_ffi.a"
cp "$target_dir/aarch64-apple-darwin/$profile_dir/libalongside_ffi.a" "$out/macos/libalongside_ffi.a"

# Swift sources, the two C headers and one module map (module AlongsideFFI),
# generated from a library with its symbols (the static library keeps them).
cargo build -p uniffi-bindgen
"$target_dir/debug/uniffi-bindgen-swift" "$target_dir/aarch64-apple-ios/$profile_dir/libalongside_ffi.a" "$out/headers/AlongsideFFI" \
    --headers --modulemap --module-name AlongsideFFI --modulemap-filename module.modulemap
"$target_dir/debug/uniffi-bindgen-swift" "$target_dir/aarch64-apple-ios/$profile_dir/libalongside_ffi.a" ios/Sources/Alongside \
    --swift-sources

# The headers go in a folder of their own inside Headers/, so the module map
# does not collide with another XCFramework's in the app's build.
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/$profile_dir/libalongside_ffi.a" -headers "$out/headers" \
    -library "$out/ios-simulator/libalongside_ffi.a" -headers "$out/headers" \
    -library "$out/macos/libalongside_ffi.a" -headers "$out/headers" \
    -output "$out/AlongsideFFI.xcframework"

echo "built $out/AlongsideFFI.xcframework and ios/Sources/Alongside/{Alongside,AlongsideCore}.swift"
