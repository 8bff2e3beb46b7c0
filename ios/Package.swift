// swift-tools-version:5.9
// The Alongside core for iOS: the generated Swift bindings (module `Alongside`)
// over the Rust library, packaged as an XCFramework (C module `AlongsideFFI`).
// Build both with `ios/build-xcframework.sh` on a Mac first; see ios/README.md.
// AlongsideApp: the thin Swift layer and SwiftUI screens over them (needs a
// Swift 6 compiler, Xcode 16, for the bindings' Sendable records).
import PackageDescription

let package = Package(
    name: "Alongside",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Alongside", targets: ["Alongside"]),
        // The app over it: the Swift layer (state per screen, the platform's services)
        // and the SwiftUI screens; the Xcode project App/Alongside.xcodeproj builds the app on it.
        .library(name: "AlongsideApp", targets: ["AlongsideApp"]),
    ],
    targets: [
        // libalongside_ffi.a for devices and simulators, with the C headers and
        // the module map of AlongsideFFI.
        .binaryTarget(name: "AlongsideFFI", path: "build/AlongsideFFI.xcframework"),
        // Alongside.swift (Companion, events, errors) and AlongsideCore.swift
        // (the records and enums), copied here by the build script.
        .target(
            name: "Alongside",
            dependencies: ["AlongsideFFI"],
            path: "Sources/Alongside",
            linkerSettings: [.linkedFramework("Security"), .linkedFramework("SystemConfiguration")]
        ),
        .testTarget(name: "AlongsideTests", dependencies: ["Alongside"], path: "Tests/AlongsideTests"),
        // Hand-written, never generated: kept out of `Alongside` so that module stays
        // exactly what bindings/generate.sh writes, and tested on macOS by `swift test`.
        .target(name: "AlongsideApp", dependencies: ["Alongside"], path: "Sources/AlongsideApp"),
        .testTarget(name: "AlongsideAppTests", dependencies: ["AlongsideApp", "Alongside"], path: "Tests/AlongsideAppTests"),
    ]
)
