//! `uniffi-bindgen-swift`: Swift sources, headers and one modulemap for all the
//! library's crates, as an XCFramework wants them.

fn main() {
    uniffi::uniffi_bindgen_swift()
}
