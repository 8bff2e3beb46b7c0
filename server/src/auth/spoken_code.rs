//! Codes a person reads aloud over the phone (invites, password resets): 8
//! characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown in
//! two groups (`7KQM-X4TB`). Only a SHA-256 of the code, under a label naming
//! what it is for, is stored, so an invite's hash never opens a reset.

use sha2::{Digest, Sha256};

/// The characters of a code.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code, without the separator.
pub const CODE_LEN: usize = 8;

/// What a code is for; part of its stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    PasswordReset,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::Invite => b"alongside invite v1\0",
            Purpose::PasswordReset => b"alongside password reset v1\0",
        }
    }
}

/// A new code, as shown: `XXXX-XXXX`.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut code = String::with_capacity(CODE_LEN + 1);
    let mut taken = 0;
    // Rejection sampling keeps every character equally likely.
    let limit = u8::try_from(256 - 256 % ALPHABET.len()).unwrap_or(u8::MAX);
    while taken < CODE_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        for byte in bytes {
            if taken == CODE_LEN {
                break;
            }
            if byte >= limit {
                continue;
            }
            if taken == CODE_LEN / 2 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            taken += 1;
        }
    }
    Ok(code)
}

/// A new code of `purpose`: as shown (`XXXX-XXXX`, to read out once) and
/// what the database keeps of it.
pub fn issue(purpose: Purpose) -> Result<(String, String), getrandom::Error> {
    let shown = generate()?;
    // Every generated character is in the alphabet: only the separator goes.
    let hash = digest(purpose, &shown.replace('-', ""));
    Ok((shown, hash))
}

/// The code as typed (any case, spaces or hyphens anywhere) in its one
/// canonical form, or `None` when it cannot be a code.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What the database keeps of a normalized code.
pub fn digest(purpose: Purpose, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(purpose.label());
    hasher.update(code.as_bytes());
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_aloud_and_normalize() -> Result<(), getrandom::Error> {
        let code = generate()?;
        assert_eq!(code.len(), 9);
        assert_eq!(code.as_bytes()[4], b'-');
        let canonical = normalize(&code);
        assert_eq!(canonical.as_deref().map(str::len), Some(8));
        assert_eq!(normalize(&code.to_lowercase().replace('-', " ")), canonical);
        assert_eq!(normalize("0000-0000"), None, "look-alikes are not in the alphabet");
        assert_eq!(normalize("ABC"), None);
        assert_ne!(generate()?, code);
        Ok(())
    }

    #[test]
    fn an_issued_code_is_kept_as_its_typed_form_is_hashed() -> Result<(), getrandom::Error> {
        let (shown, hash) = issue(Purpose::PasswordReset)?;
        let typed = normalize(&shown.to_lowercase()).unwrap_or_default();
        assert_eq!(hash, digest(Purpose::PasswordReset, &typed));
        assert_ne!(hash, digest(Purpose::Invite, &typed));
        Ok(())
    }

    #[test]
    fn an_invite_hash_is_not_a_reset_hash() {
        assert_ne!(digest(Purpose::Invite, "7KQMX4TB"), digest(Purpose::PasswordReset, "7KQMX4TB"));
    }
}
