// The Android side of Alongside (see README.md):
//   alongside-core  the Rust core as an Android library: libalongside_ffi.so for
//                   each ABI (cargo-ndk) and its generated Kotlin bindings
//   state           the Kotlin layer over the bindings (plain Kotlin)
//   ui              the Compose screens, the same files the desktop build tests
//   app             the application: Activity, Keystore, connectivity, WorkManager
// state/ and ui/ also carry a pom.xml: Maven builds them for the desktop JVM.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "alongside-android"
include(":alongside-core", ":state", ":ui", ":app")
