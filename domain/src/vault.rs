//! Authenticated encryption for what must be stored but never read in the
//! clear (national ID numbers, queued messages that carry a link), and keyed
//! digests to look such values up. Both keys are derived from one Worker
//! secret; the caller supplies the nonce, so this crate stays free of I/O.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::fields::Cpr;

pub const NONCE_LEN: usize = 12;
/// A shorter secret is refused: it would be the weakest part of the scheme.
pub const MIN_SECRET_LEN: usize = 32;
const SEAL_PREFIX: &str = "v1.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("the vault secret is shorter than {MIN_SECRET_LEN} characters")]
    WeakSecret,
    #[error("the sealed value is malformed or was not sealed with this key for this owner")]
    Unsealable,
}

pub struct Vault {
    cipher: ChaCha20Poly1305,
    lookup_key: [u8; 32],
}

fn derive(secret: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl Vault {
    pub fn new(secret: &str) -> Result<Vault, VaultError> {
        if secret.len() < MIN_SECRET_LEN {
            return Err(VaultError::WeakSecret);
        }
        let encryption_key = derive(secret.as_bytes(), "steward/vault/encryption/v1");
        Ok(Vault {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&encryption_key)),
            lookup_key: derive(secret.as_bytes(), "steward/vault/lookup/v1"),
        })
    }

    /// Encrypts `plain`, bound to `owner` (a row id): a sealed value copied to
    /// another row does not open there.
    pub fn seal(&self, plain: &[u8], owner: &str, nonce: &[u8; NONCE_LEN]) -> String {
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(nonce), Payload { msg: plain, aad: owner.as_bytes() })
            .expect("encryption of an in-memory buffer cannot fail");
        format!("{SEAL_PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    pub fn open(&self, sealed: &str, owner: &str) -> Result<Vec<u8>, VaultError> {
        let bytes = sealed
            .strip_prefix(SEAL_PREFIX)
            .and_then(|rest| hex::decode(rest).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or(VaultError::Unsealable)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: owner.as_bytes() })
            .map_err(|_| VaultError::Unsealable)
    }

    pub fn seal_cpr(&self, cpr: &Cpr, user_id: &str, nonce: &[u8; NONCE_LEN]) -> String {
        self.seal(cpr.formatted().as_bytes(), user_id, nonce)
    }

    pub fn open_cpr(&self, sealed: &str, user_id: &str) -> Result<Cpr, VaultError> {
        let plain = self.open(sealed, user_id)?;
        let text = std::str::from_utf8(&plain).map_err(|_| VaultError::Unsealable)?;
        Cpr::parse(text).map_err(|_| VaultError::Unsealable)
    }

    /// A keyed digest of a CPR number within one organization: equal numbers
    /// give equal digests there (uniqueness, look-up), and without the key
    /// the digest cannot be recomputed from the small space of CPR numbers.
    pub fn cpr_lookup(&self, organization_id: &str, cpr: &Cpr) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).expect("HMAC takes any key length");
        mac.update(organization_id.as_bytes());
        mac.update(&[0]);
        mac.update(cpr.formatted().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "a test secret that is long enough to use";

    fn cpr(text: &str) -> Cpr {
        Cpr::parse(text).unwrap()
    }

    #[test]
    fn a_sealed_cpr_opens_for_its_owner_only_and_hides_the_number() {
        let vault = Vault::new(SECRET).unwrap();
        let sealed = vault.seal_cpr(&cpr("010203-1234"), "user-1", &[7; NONCE_LEN]);
        assert!(!sealed.contains("0102031234") && !sealed.contains("010203-1234"));
        assert!(!sealed.contains(&hex::encode("010203-1234")));
        assert_eq!(vault.open_cpr(&sealed, "user-1").unwrap(), cpr("0102031234"));
        assert_eq!(vault.open_cpr(&sealed, "user-2"), Err(VaultError::Unsealable));
        let other = Vault::new("another secret that is long enough to use").unwrap();
        assert_eq!(other.open_cpr(&sealed, "user-1"), Err(VaultError::Unsealable));
    }

    #[test]
    fn tampering_is_detected() {
        let vault = Vault::new(SECRET).unwrap();
        let mut sealed = vault.seal(b"hello", "row", &[1; NONCE_LEN]);
        let last = sealed.pop().unwrap();
        sealed.push(if last == '0' { '1' } else { '0' });
        assert_eq!(vault.open(&sealed, "row"), Err(VaultError::Unsealable));
        assert_eq!(vault.open("v1.zz", "row"), Err(VaultError::Unsealable));
        assert_eq!(vault.open("plain text", "row"), Err(VaultError::Unsealable));
    }

    #[test]
    fn lookups_are_stable_per_organization_and_keyed() {
        let vault = Vault::new(SECRET).unwrap();
        let a = vault.cpr_lookup("org-1", &cpr("010203-1234"));
        assert_eq!(a, vault.cpr_lookup("org-1", &cpr("0102031234")));
        assert_ne!(a, vault.cpr_lookup("org-2", &cpr("010203-1234")));
        assert_ne!(a, vault.cpr_lookup("org-1", &cpr("010203-1235")));
        let other = Vault::new("another secret that is long enough to use").unwrap();
        assert_ne!(a, other.cpr_lookup("org-1", &cpr("010203-1234")));
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert!(matches!(Vault::new("short"), Err(VaultError::WeakSecret)));
    }
}
