// The Android side of Alongside. `alongside-core` is the Android library that
// carries the Rust core (libalongside_ffi.so for each ABI, built with cargo-ndk)
// and its generated Kotlin bindings; the app module (the thin Compose shell)
// depends on it. See android/README.md.
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
include(":alongside-core")
