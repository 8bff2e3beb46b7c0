//! Password hashing with Argon2id (PHC string format, salt and parameters
//! inside the hash). Hashing is deliberately slow: call it off the async
//! executor.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password `user add` accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted anywhere; longer ones only cost hashing time.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("no system randomness for the salt: {0}")]
    Randomness(String),
}

fn hasher() -> Argon2<'static> {
    // OWASP's recommended Argon2id setting (19 MiB, 2 passes, 1 lane), which
    // is also the crate's default.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Randomness(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    hasher().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Whether `password` matches `stored_hash`. With no stored hash (unknown
/// user) it checks against a dummy hash anyway, so a wrong username costs the
/// same time as a wrong password.
pub fn verify(password: &str, stored_hash: Option<&str>) -> bool {
    let (hash_text, known) = match stored_hash {
        Some(hash) => (hash, true),
        None => (dummy_hash(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash_text) else { return false };
    let matches = hasher().verify_password(password.as_bytes(), &parsed).is_ok();
    known && matches
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("alongside dummy password for unknown users").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() -> Result<(), PasswordError> {
        let stored = hash("correct horse")?;
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse", Some(&stored)));
        assert!(!verify("wrong horse", Some(&stored)));
        assert!(!verify("correct horse", None));
        assert!(!verify("correct horse", Some("not a hash")));
        Ok(())
    }
}
