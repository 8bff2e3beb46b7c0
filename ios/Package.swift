// swift-tools-version:5.9
// The Alongside core for iOS: the generated Swift bindings (module `Alongside`)
// over the Rust library, packaged as an XCFramework (C module `AlongsideFFI`).
// Build both with `ios/build-xcframework.sh` on a Mac first; see ios/README.md.
import PackageDescription

let package = Package(
    name: "Alongside",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "Alongside", targets: ["Alongside"]),
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
    ]
)
