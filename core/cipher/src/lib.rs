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

/// Keeps the provider in the binary, and initializes SQLite and SQLCipher
/// once. Call it before every SQLite connection.
///
/// SQLite marks itself initialized, and lets go of its lock, before it runs
/// SQLCipher's own initialization; a connection opened on another thread in
/// that window fails its `PRAGMA key` ("An error occurred with PRAGMA key").
/// The first connection, opened here under a `Once` every caller waits on,
/// finishes both before any other connection is opened.
#[inline(never)]
pub fn install() {
    std::hint::black_box(provider::alongside_sqlcipher_setup as *const ());
    static INITIALIZED: std::sync::Once = std::sync::Once::new();
    INITIALIZED.call_once(|| {
        // Opening any connection runs the whole initialization; a failure
        // here shows again, with its reason, at the caller's own open.
        drop(rusqlite::Connection::open_in_memory());
    });
}
