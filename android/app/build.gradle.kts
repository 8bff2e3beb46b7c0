// The Android application: one Activity hosting the shared screens, and the
// platform services only (Keystore, connectivity, foreground, WorkManager,
// notification channels, dialing, sharing an export). No business rule.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "org.alongside.app.android"
    compileSdk = 35
    defaultConfig {
        applicationId = "org.alongside.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The sync server; a program sets its own with -Palongside.server=https://…
        buildConfigField("String", "SERVER_URL", "\"${(findProperty("alongside.server") as String?) ?: "https://sync.example.org"}\"")
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
        }
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation(project(":ui"))
    implementation("androidx.activity:activity-compose:1.10.1")
    implementation("androidx.lifecycle:lifecycle-process:2.9.0")
    implementation("androidx.work:work-runtime-ktx:2.10.1")
    implementation("androidx.core:core-ktx:1.16.0")
    // Wake-ups: data messages only, nothing about anyone (WakeUps.kt). Needs
    // the program's google-services.json and the com.google.gms.google-services plugin.
    implementation("com.google.firebase:firebase-messaging:24.1.1")
}
