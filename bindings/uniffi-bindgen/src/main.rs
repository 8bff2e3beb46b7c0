//! `uniffi-bindgen`: generates Kotlin and Swift from the built library (library
//! mode), with the same uniffi version the library was built with.

fn main() {
    uniffi::uniffi_bindgen_main()
}
