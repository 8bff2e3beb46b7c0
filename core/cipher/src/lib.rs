//! SQLCipher's cryptography, done by the crypto library the app already
//! carries for TLS (ring), plus RustCrypto's AES for CBC mode.
//!
//! SQLCipher's usual provider is OpenSSL's libcrypto, which on Android has to
//! be bundled: 3.4 MB, more than the rest of the core together, next to ring
//! doing the same kinds of work for HTTPS. This crate is SQLCipher's provider
//! instead. The database format is unchanged (AES-256-CBC pages, HMAC-SHA512,
//! PBKDF2-HMAC-SHA512), so files written with OpenSSL open here and the
//! other way round; `tests/` opens one.
//!
//! SQLCipher finds the provider by name at link time: the workspace's
//! `.cargo/config.toml` builds it with
//! `-DSQLCIPHER_CRYPTO_CUSTOM=alongside_sqlcipher_setup` and points its
//! OpenSSL search at `no-openssl/`, an empty archive. Any binary that links
//! SQLite must link this crate too; [`install`] makes sure the linker keeps it.

mod primitives;
mod provider;

pub use provider::PROVIDER_NAME;

/// Keeps the provider in the binary. Call it before the first SQLite
/// connection; it does nothing at run time.
#[inline(never)]
pub fn install() {
    std::hint::black_box(provider::alongside_sqlcipher_setup as *const ());
}
