// The Rust core as an Android library: the native library for every ABI the
// app ships, and the Kotlin bindings generated from it (package
// org.alongside.core and org.alongside.core.model).
//
// Needs on the build machine: rustup with the Android targets, cargo-ndk, and
// the Android NDK (ANDROID_NDK_HOME, or the NDK installed by the SDK manager).
//   rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
//   cargo install cargo-ndk

import org.gradle.api.tasks.Exec

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val workspace: File = rootDir.parentFile
val rustProfile: String = (findProperty("alongside.rustProfile") as String?) ?: "release"
val jniLibsOut = layout.buildDirectory.dir("rust/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi")

android {
    namespace = "org.alongside.core"
    compileSdk = 35
    // java.time (LocalDate, Instant: the bindings' dates) without desugaring.
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }
    // Which ABIs to build: all three by default; `-Palongside.abis=arm64-v8a` for a quick device build.
    ndkVersion = "27.2.12479018"
    sourceSets["main"].jniLibs.srcDir(jniLibsOut)
    sourceSets["main"].java.srcDir(bindingsOut.map { it.dir("kotlin") })
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // JNA as an AAR: it carries libjnidispatch.so for each ABI.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}

val abis: List<String> = ((findProperty("alongside.abis") as String?) ?: "arm64-v8a,armeabi-v7a,x86_64").split(",")

// libalongside_ffi.so for each ABI, into build/rust/jniLibs/<abi>/. Linked with
// the workspace's Android rustflags (.cargo/config.toml): no unwind tables,
// packed relocations. No OpenSSL: SQLCipher's crypto is core/cipher.
val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds libalongside_ffi.so for the Android ABIs with cargo-ndk."
    workingDir = workspace
    val targets = abis.flatMap { listOf("-t", it) }
    val profileArgs = if (rustProfile == "debug") emptyList() else listOf("--profile", rustProfile)
    // --platform: the API level the C code (SQLCipher, ring) is compiled for, = minSdk.
    commandLine(listOf("cargo", "ndk", "--platform", "26") + targets + listOf("-o", jniLibsOut.get().asFile.path, "build", "-p", "alongside-ffi", "--lib") + profileArgs)
    outputs.dir(jniLibsOut)
    outputs.upToDateWhen { false } // cargo knows what changed
}

// The Kotlin bindings, generated on the build machine from the host build of
// the same library (the bindings are the same for every target).
val generateBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings with the workspace's uniffi-bindgen."
    workingDir = workspace
    environment("BINDINGS_OUT", bindingsOut.get().asFile.path)
    environment("KOTLIN_CONFIG", File(rootDir, "uniffi-android.toml").path)
    commandLine("bindings/generate.sh")
    outputs.dir(bindingsOut)
    outputs.upToDateWhen { false }
}

tasks.named("preBuild") {
    dependsOn(cargoNdk, generateBindings)
}
