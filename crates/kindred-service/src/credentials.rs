//! Passwords, session tokens and verification codes.
//!
//! Passwords: argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1),
//! always hashed on a blocking thread. Tokens: 256 random bits, only their
//! SHA-256 is stored. Verification codes: 6 digits, hashed with the user id,
//! single use, limited attempts.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

fn argon2() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's recommended argon2id configuration.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (slow on purpose: call from a blocking thread).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("password hashing failed: {e}"))
}

/// Verifies a password against a stored hash. With no hash (unknown email),
/// verifies against a fixed dummy so both paths take the same time.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    let dummy = dummy_hash();
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && real
}

fn dummy_hash() -> &'static String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("kindred-timing-equaliser").unwrap_or_default())
}

/// A new session token for the client and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A 6-digit one-time code (store only [`code_hash`] of it).
pub fn new_verification_code() -> String {
    let n = rand::rngs::OsRng.next_u32() % 1_000_000;
    format!("{n:06}")
}

pub fn code_hash(user_id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(
        format!("{user_id}:{}", code.trim()).as_bytes(),
    ))
}

/// Constant-time comparison of two hex digests.
pub fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A random one-time password for operator-created accounts.
pub fn new_one_time_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", Some(&h)));
        assert!(!verify_password("wrong horse battery", Some(&h)));
        assert!(!verify_password("kindred-timing-equaliser", None));
    }

    #[test]
    fn tokens_are_long_and_hashed() {
        let (t, h) = new_token();
        assert_eq!(t.len(), 43);
        assert_eq!(h, token_hash(&t));
        assert_ne!(new_token().0, t);
    }

    #[test]
    fn codes_bind_to_user() {
        let c = new_verification_code();
        let h = code_hash("u1", &c);
        assert_eq!(c.len(), 6);
        assert!(digests_equal(&h, &code_hash("u1", &c)));
        assert!(!digests_equal(&h, &code_hash("u2", &c)));
    }
}
