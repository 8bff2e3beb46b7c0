//! The C side: SQLCipher's `sqlcipher_provider` table of function pointers,
//! filled by `alongside_sqlcipher_setup`, which SQLCipher calls once when it
//! initialises (built with `-DSQLCIPHER_CRYPTO_CUSTOM=alongside_sqlcipher_setup`,
//! see `.cargo/config.toml`). Each function turns SQLCipher's pointers and
//! lengths into slices, checks them, and calls the safe operation.
//!
//! The table's layout is SQLCipher 4.10's (`sqlcipher.h`); the test
//! `sqlcipher_is_the_version_this_table_was_written_for` fails when the bundled
//! SQLCipher changes, so that the layout is checked again.
#![allow(unsafe_code)]

use crate::primitives::{self, Digest};
use std::ffi::{c_char, c_int, c_void};
use std::ptr;

const SQLITE_OK: c_int = 0;
const SQLITE_ERROR: c_int = 1;
const CIPHER_ENCRYPT: c_int = 1;

pub const PROVIDER_NAME: &str = "alongside";
const NAME: &[u8] = b"alongside\0";
const VERSION: &[u8] = b"ring 0.17, aes 0.9\0";
const CIPHER: &[u8] = b"aes-256-cbc\0";

type Ctx = *mut c_void;

/// `struct sqlcipher_provider` of SQLCipher 4.10, field for field.
#[repr(C)]
pub struct Provider {
    init: Option<unsafe extern "C" fn() -> c_int>,
    shutdown: Option<unsafe extern "C" fn()>,
    get_provider_name: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    add_random: Option<unsafe extern "C" fn(Ctx, *const c_void, c_int) -> c_int>,
    random: Option<unsafe extern "C" fn(Ctx, *mut c_void, c_int) -> c_int>,
    #[allow(clippy::type_complexity)]
    hmac: Option<unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, c_int, *const u8, c_int, *mut u8) -> c_int>,
    #[allow(clippy::type_complexity)]
    kdf: Option<unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, c_int, c_int, c_int, *mut u8) -> c_int>,
    #[allow(clippy::type_complexity)]
    cipher: Option<unsafe extern "C" fn(Ctx, c_int, *const u8, c_int, *const u8, *const u8, c_int, *mut u8) -> c_int>,
    get_cipher: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    get_key_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_iv_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_block_sz: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_hmac_sz: Option<unsafe extern "C" fn(Ctx, c_int) -> c_int>,
    ctx_init: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    ctx_free: Option<unsafe extern "C" fn(*mut Ctx) -> c_int>,
    fips_status: Option<unsafe extern "C" fn(Ctx) -> c_int>,
    get_provider_version: Option<unsafe extern "C" fn(Ctx) -> *const c_char>,
    next: *mut Provider,
}

/// Fills SQLCipher's provider table with this crate's functions.
///
/// # Safety
/// `provider` must point to writable memory the size of `struct
/// sqlcipher_provider`, as SQLCipher passes it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn alongside_sqlcipher_setup(provider: *mut Provider) -> c_int {
    if provider.is_null() {
        return SQLITE_ERROR;
    }
    let table = Provider {
        init: None,
        shutdown: None,
        get_provider_name: Some(name),
        add_random: Some(add_random),
        random: Some(random),
        hmac: Some(hmac),
        kdf: Some(kdf),
        cipher: Some(cipher),
        get_cipher: Some(cipher_name),
        get_key_sz: Some(key_size),
        get_iv_sz: Some(iv_size),
        get_block_sz: Some(block_size),
        get_hmac_sz: Some(hmac_size),
        ctx_init: Some(no_context),
        ctx_free: Some(no_context),
        fips_status: Some(not_fips),
        get_provider_version: Some(version),
        next: ptr::null_mut(),
    };
    // SAFETY: SQLCipher hands over freshly allocated memory of the table's
    // size; `write` fills it without reading what was there.
    unsafe { provider.write(table) };
    SQLITE_OK
}

fn status(result: Result<(), primitives::CryptoError>) -> c_int {
    if result.is_ok() { SQLITE_OK } else { SQLITE_ERROR }
}

/// Borrows `len` bytes at `data`; `None` for a negative length or a null
/// pointer with bytes behind it.
///
/// # Safety
/// If not null, `data` must point to `len` readable bytes that outlive `'a`.
unsafe fn input<'a>(data: *const u8, len: c_int) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok()?;
    if len == 0 {
        return Some(&[]);
    }
    if data.is_null() {
        return None;
    }
    // SAFETY: non-null, and the caller vouches for `len` readable bytes.
    Some(unsafe { std::slice::from_raw_parts(data, len) })
}

/// As `input`, writable.
///
/// # Safety
/// If not null, `data` must point to `len` writable bytes, not otherwise
/// borrowed, that outlive `'a`.
unsafe fn output<'a>(data: *mut u8, len: c_int) -> Option<&'a mut [u8]> {
    let len = usize::try_from(len).ok()?;
    if data.is_null() {
        return None;
    }
    // SAFETY: non-null, and the caller vouches for `len` writable bytes.
    Some(unsafe { std::slice::from_raw_parts_mut(data, len) })
}

unsafe extern "C" fn name(_: Ctx) -> *const c_char {
    NAME.as_ptr().cast()
}

unsafe extern "C" fn version(_: Ctx) -> *const c_char {
    VERSION.as_ptr().cast()
}

unsafe extern "C" fn cipher_name(_: Ctx) -> *const c_char {
    CIPHER.as_ptr().cast()
}

/// The operating system's generator needs no seeding from SQLCipher.
unsafe extern "C" fn add_random(_: Ctx, _: *const c_void, _: c_int) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn random(_: Ctx, buffer: *mut c_void, length: c_int) -> c_int {
    // SAFETY: SQLCipher passes a buffer of `length` bytes.
    match unsafe { output(buffer.cast(), length) } {
        Some(out) => status(primitives::random(out)),
        None => SQLITE_ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn hmac(
    _: Ctx,
    algorithm: c_int,
    key: *const u8,
    key_len: c_int,
    data: *const u8,
    data_len: c_int,
    more: *const u8,
    more_len: c_int,
    out: *mut u8,
) -> c_int {
    let Some(digest) = Digest::from_sqlcipher(algorithm) else { return SQLITE_ERROR };
    if data.is_null() {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes each pointer with its length (`more` may be
    // null: nothing appended), and `out` sized for the digest it asked for.
    let (key, data, more, out) = unsafe {
        let more = if more.is_null() { Some(&[][..]) } else { input(more, more_len) };
        (input(key, key_len), input(data, data_len), more, output(out, digest.output_len() as c_int))
    };
    match (key, data, more, out) {
        (Some(key), Some(data), Some(more), Some(out)) => status(primitives::hmac(digest, key, data, more, out)),
        _ => SQLITE_ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn kdf(
    _: Ctx,
    algorithm: c_int,
    password: *const u8,
    password_len: c_int,
    salt: *const u8,
    salt_len: c_int,
    iterations: c_int,
    key_len: c_int,
    key: *mut u8,
) -> c_int {
    let Some(digest) = Digest::from_sqlcipher(algorithm) else { return SQLITE_ERROR };
    let Ok(iterations) = u32::try_from(iterations) else { return SQLITE_ERROR };
    // SAFETY: SQLCipher passes each pointer with its length.
    let (password, salt, key) = unsafe { (input(password, password_len), input(salt, salt_len), output(key, key_len)) };
    match (password, salt, key) {
        (Some(password), Some(salt), Some(key)) => status(primitives::pbkdf2(digest, password, salt, iterations, key)),
        _ => SQLITE_ERROR,
    }
}

#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn cipher(
    _: Ctx,
    mode: c_int,
    key: *const u8,
    key_len: c_int,
    iv: *const u8,
    data: *const u8,
    data_len: c_int,
    out: *mut u8,
) -> c_int {
    if data.is_null() || out.is_null() || data_len < 0 {
        return SQLITE_ERROR;
    }
    // SAFETY: SQLCipher passes `data_len` bytes in and room for as many out;
    // `copy` allows the two to overlap. The input is not read again after.
    let (key, iv, out) = unsafe {
        ptr::copy(data, out, data_len as usize);
        (input(key, key_len), input(iv, primitives::IV_LEN as c_int), output(out, data_len))
    };
    match (key, iv, out) {
        (Some(key), Some(iv), Some(out)) => status(primitives::aes_256_cbc(mode == CIPHER_ENCRYPT, key, iv, out)),
        _ => SQLITE_ERROR,
    }
}

unsafe extern "C" fn key_size(_: Ctx) -> c_int {
    primitives::KEY_LEN as c_int
}

unsafe extern "C" fn iv_size(_: Ctx) -> c_int {
    primitives::IV_LEN as c_int
}

unsafe extern "C" fn block_size(_: Ctx) -> c_int {
    primitives::BLOCK_LEN as c_int
}

unsafe extern "C" fn hmac_size(_: Ctx, algorithm: c_int) -> c_int {
    Digest::from_sqlcipher(algorithm).map_or(0, |digest| digest.output_len() as c_int)
}

/// Nothing is kept between calls: no context to make or free.
unsafe extern "C" fn no_context(_: *mut Ctx) -> c_int {
    SQLITE_OK
}

unsafe extern "C" fn not_fips(_: Ctx) -> c_int {
    0
}
