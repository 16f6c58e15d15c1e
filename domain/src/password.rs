//! Password hashing with Argon2id at OWASP's minimum parameters
//! (19 MiB memory, 2 iterations, 1 lane). The caller supplies the salt so
//! that this crate stays free of I/O and of any source of randomness.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;
pub const SALT_LEN: usize = 16;

/// Shortest password accepted when one is set (product.md §3).
pub const MIN_LEN: usize = 12;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn hash(password: &str, salt: &[u8; SALT_LEN]) -> String {
    let salt = SaltString::encode_b64(salt).expect("16 bytes make a valid salt");
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id accepts any password length used here")
        .to_string()
}

/// True when `password` matches the stored PHC string. A malformed stored
/// hash never matches.
pub fn verify(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password nobody knows, verified when an e-mail address has no
/// account so that a sign-in costs the same time either way.
pub const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c3Rld2FyZC1kZWNveS1zYWx0$2hTq4gU0w1cVZ5u1yq0kq3m9vQx8oH3o0d4m5k6l7aQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let stored = hash("correct horse battery", &[7; SALT_LEN]);
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(&stored, "correct horse battery"));
        assert!(!verify(&stored, "correct horse batterY"));
    }

    #[test]
    fn different_salts_give_different_hashes() {
        assert_ne!(hash("same password!", &[1; SALT_LEN]), hash("same password!", &[2; SALT_LEN]));
    }

    #[test]
    fn the_decoy_and_garbage_never_match() {
        assert!(PasswordHash::new(DECOY_HASH).is_ok(), "the decoy must parse, or it costs no time");
        assert!(!verify(DECOY_HASH, ""));
        assert!(!verify("not a hash", "anything"));
    }
}
