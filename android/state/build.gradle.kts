// The Kotlin layer over the bindings: plain Kotlin (no android.* imports),
// the same sources Maven builds and tests on the desktop JVM (pom.xml).
plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "org.alongside.app.state"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    api(project(":alongside-core"))
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
}
