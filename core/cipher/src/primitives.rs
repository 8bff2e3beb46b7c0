//! The four operations SQLCipher asks of a crypto library, as safe Rust:
//! AES-256-CBC without padding, HMAC, PBKDF2 and random bytes. ring (already in
//! the app for TLS) does the hashing and randomness; RustCrypto's `aes` the
//! block cipher, which ring does not offer in CBC mode.

use aes::Aes256;
use cbc::cipher::array::Array;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use ring::{hmac, pbkdf2, rand::SecureRandom};
use std::num::NonZeroU32;

pub const KEY_LEN: usize = 32;
pub const IV_LEN: usize = 16;
pub const BLOCK_LEN: usize = 16;

/// SQLCipher's numbering of its HMAC and PBKDF2 digests (`SQLCIPHER_HMAC_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha1,
    Sha256,
    Sha512,
}

impl Digest {
    pub fn from_sqlcipher(algorithm: i32) -> Option<Digest> {
        match algorithm {
            0 => Some(Digest::Sha1),
            1 => Some(Digest::Sha256),
            2 => Some(Digest::Sha512),
            _ => None,
        }
    }

    pub fn output_len(self) -> usize {
        self.hmac().digest_algorithm().output_len()
    }

    fn hmac(self) -> hmac::Algorithm {
        match self {
            // SQLCipher 3 databases, opened with `cipher_compatibility = 3`.
            Digest::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Digest::Sha256 => hmac::HMAC_SHA256,
            Digest::Sha512 => hmac::HMAC_SHA512,
        }
    }

    fn pbkdf2(self) -> pbkdf2::Algorithm {
        match self {
            Digest::Sha1 => pbkdf2::PBKDF2_HMAC_SHA1,
            Digest::Sha256 => pbkdf2::PBKDF2_HMAC_SHA256,
            Digest::Sha512 => pbkdf2::PBKDF2_HMAC_SHA512,
        }
    }
}

/// Why an operation could not run; SQLCipher only learns that it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoError {
    BadLength,
    NoRandomness,
}

/// HMAC of `input` followed by `more` (SQLCipher appends the page number).
/// `out` must hold the digest's output length.
pub fn hmac(digest: Digest, key: &[u8], input: &[u8], more: &[u8], out: &mut [u8]) -> Result<(), CryptoError> {
    let key = hmac::Key::new(digest.hmac(), key);
    let mut context = hmac::Context::with_key(&key);
    context.update(input);
    context.update(more);
    let tag = context.sign();
    let tag = tag.as_ref();
    out.get_mut(..tag.len()).ok_or(CryptoError::BadLength)?.copy_from_slice(tag);
    Ok(())
}

/// PBKDF2 of `password` and `salt` over `iterations` rounds, filling `out`.
pub fn pbkdf2(digest: Digest, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) -> Result<(), CryptoError> {
    let iterations = NonZeroU32::new(iterations).ok_or(CryptoError::BadLength)?;
    if out.is_empty() {
        return Err(CryptoError::BadLength);
    }
    pbkdf2::derive(digest.pbkdf2(), iterations, salt, password, out);
    Ok(())
}

/// AES-256-CBC over whole blocks, in place: SQLCipher pads nothing, a page's
/// encrypted part is always a multiple of the block size.
pub fn aes_256_cbc(encrypt: bool, key: &[u8], iv: &[u8], data: &mut [u8]) -> Result<(), CryptoError> {
    let (blocks, rest) = Array::slice_as_chunks_mut(data);
    if !rest.is_empty() {
        return Err(CryptoError::BadLength);
    }
    if encrypt {
        let mut mode = cbc::Encryptor::<Aes256>::new_from_slices(key, iv).map_err(|_| CryptoError::BadLength)?;
        mode.encrypt_blocks(blocks);
    } else {
        let mut mode = cbc::Decryptor::<Aes256>::new_from_slices(key, iv).map_err(|_| CryptoError::BadLength)?;
        mode.decrypt_blocks(blocks);
    }
    Ok(())
}

/// Random bytes from the operating system (salts, IVs).
pub fn random(out: &mut [u8]) -> Result<(), CryptoError> {
    ring::rand::SystemRandom::new().fill(out).map_err(|_| CryptoError::NoRandomness)
}

#[cfg(test)]
mod tests {
    //! Published test vectors: an operation that passes them computes what
    //! OpenSSL computes, so pages written by either can be read by the other.
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let text: String = text.split_whitespace().collect();
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0)).collect()
    }

    #[test]
    fn aes_256_cbc_matches_nist_sp800_38a() -> Result<(), CryptoError> {
        // NIST SP 800-38A, F.2.5 (CBC-AES256.Encrypt) and F.2.6 (Decrypt).
        let key = hex("603deb1015ca71be2b73aef0857d7781 1f352c073b6108d72d9810a30914dff4");
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let plain = hex("6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
                         30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710");
        let cipher = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d
                          39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b");
        let mut data = plain.clone();
        aes_256_cbc(true, &key, &iv, &mut data)?;
        assert_eq!(data, cipher);
        aes_256_cbc(false, &key, &iv, &mut data)?;
        assert_eq!(data, plain);
        Ok(())
    }

    #[test]
    fn aes_refuses_partial_blocks_and_wrong_key_lengths() -> Result<(), CryptoError> {
        let mut data = [0u8; 17];
        assert_eq!(aes_256_cbc(true, &[0; KEY_LEN], &[0; IV_LEN], &mut data), Err(CryptoError::BadLength));
        let mut data = [0u8; 16];
        assert_eq!(aes_256_cbc(true, &[0; 16], &[0; IV_LEN], &mut data), Err(CryptoError::BadLength));
        Ok(())
    }

    #[test]
    fn hmac_sha512_matches_rfc_4231() -> Result<(), CryptoError> {
        // RFC 4231, test case 2, with the message split as SQLCipher splits a page.
        let mut out = [0u8; 64];
        hmac(Digest::Sha512, b"Jefe", b"what do ya want ", b"for nothing?", &mut out)?;
        assert_eq!(
            out.to_vec(),
            hex(
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
            )
        );
        Ok(())
    }

    #[test]
    fn pbkdf2_sha512_matches_a_published_vector() -> Result<(), CryptoError> {
        // RFC 6070's inputs with SHA-512 ("password", "salt", 2 rounds); the
        // expected key is what Python's hashlib.pbkdf2_hmac gives.
        let mut out = [0u8; 64];
        pbkdf2(Digest::Sha512, b"password", b"salt", 2, &mut out)?;
        assert_eq!(
            out.to_vec(),
            hex(
                "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77a6068e04112754f27ccf4e"
            )
        );
        Ok(())
    }

    #[test]
    fn digest_numbers_follow_sqlcipher() -> Result<(), CryptoError> {
        assert_eq!(Digest::from_sqlcipher(2).map(Digest::output_len), Some(64));
        assert_eq!(Digest::from_sqlcipher(1).map(Digest::output_len), Some(32));
        assert_eq!(Digest::from_sqlcipher(0).map(Digest::output_len), Some(20));
        assert_eq!(Digest::from_sqlcipher(3), None);
        Ok(())
    }
}
