//! Authenticated encryption for what must be stored but never read in the
//! clear (national ID numbers, queued messages that carry a link), and keyed
//! digests to look such values up. Keys are derived from Worker secrets, each
//! with a key version; a sealed value names the version that sealed it, so
//! that a new secret seals from now on while the earlier ones still open what
//! they sealed until it is sealed again. The caller supplies the nonce, so
//! this crate stays free of I/O.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::fields::Cpr;

pub const NONCE_LEN: usize = 12;
/// A shorter secret is refused: it would be the weakest part of the scheme.
pub const MIN_SECRET_LEN: usize = 32;
/// The version of a secret written without one (`VAULT_SECRET` before keys
/// had versions); values it sealed carry `v1.`.
const FIRST_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("a vault secret is shorter than {MIN_SECRET_LEN} characters")]
    WeakSecret,
    #[error("a vault secret's key version must be a whole number from 1")]
    BadVersion,
    #[error("key version {0} is given two different secrets")]
    VersionTwice(u32),
    #[error("the value was sealed under key version {0}, which is not configured")]
    UnknownVersion(u32),
    #[error("the sealed value is malformed or was not sealed with this key for this owner")]
    Unsealable,
}

/// The keys of one version of the secret.
struct VersionKeys {
    version: u32,
    cipher: ChaCha20Poly1305,
    lookup_key: [u8; 32],
}

/// Seals with the current key; opens and looks up with every configured one.
pub struct Vault {
    /// The current key first, then earlier ones.
    keys: Vec<VersionKeys>,
}

fn derive(secret: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

/// `<version>:<secret>`, or a bare secret (version 1): digits before the
/// first colon are the version.
fn versioned(text: &str) -> Result<(u32, &str), VaultError> {
    let text = text.trim();
    let (version, secret) = match text.split_once(':') {
        Some((version, secret)) if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) => {
            (version.parse::<u32>().map_err(|_| VaultError::BadVersion)?, secret)
        }
        _ => (FIRST_VERSION, text),
    };
    if version < FIRST_VERSION {
        return Err(VaultError::BadVersion);
    }
    if secret.len() < MIN_SECRET_LEN {
        return Err(VaultError::WeakSecret);
    }
    Ok((version, secret))
}

impl VersionKeys {
    fn new(version: u32, secret: &str) -> VersionKeys {
        // The labels name the derivation scheme, not the key version: keys
        // of every version are derived alike from their own secret.
        let encryption_key = derive(secret.as_bytes(), "steward/vault/encryption/v1");
        VersionKeys {
            version,
            cipher: ChaCha20Poly1305::new(Key::from_slice(&encryption_key)),
            lookup_key: derive(secret.as_bytes(), "steward/vault/lookup/v1"),
        }
    }

    fn lookup(&self, organization_id: &str, cpr: &Cpr) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).expect("HMAC takes any key length");
        mac.update(organization_id.as_bytes());
        mac.update(&[0]);
        mac.update(cpr.formatted().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// What a value sealed under `version` starts with.
pub fn sealed_prefix(version: u32) -> String {
    format!("v{version}.")
}

/// The key version a sealed value names, if it names one.
fn sealed_version(sealed: &str) -> Option<u32> {
    let (version, _) = sealed.strip_prefix('v')?.split_once('.')?;
    version.parse().ok()
}

impl Vault {
    /// A vault of one key: `secret` is `<version>:<secret>` or a bare secret
    /// (version 1).
    pub fn new(secret: &str) -> Result<Vault, VaultError> {
        Vault::with_previous(secret, "")
    }

    /// `current` seals; `previous` lists earlier secrets as
    /// `<version>:<secret>` separated by commas (may be empty), which still
    /// open and find what they sealed. The same version given twice with the
    /// same secret is one key (so that the current secret may be listed as
    /// previous before a new one replaces it).
    pub fn with_previous(current: &str, previous: &str) -> Result<Vault, VaultError> {
        let mut keys: Vec<VersionKeys> = Vec::new();
        let entries = std::iter::once(current).chain(previous.split(',').filter(|entry| !entry.trim().is_empty()));
        for entry in entries {
            let (version, secret) = versioned(entry)?;
            let candidate = VersionKeys::new(version, secret);
            match keys.iter().find(|keys| keys.version == version) {
                // Equal derived keys mean equal secrets.
                Some(known) if known.lookup_key == candidate.lookup_key => {}
                Some(_) => return Err(VaultError::VersionTwice(version)),
                None => keys.push(candidate),
            }
        }
        Ok(Vault { keys })
    }

    fn current(&self) -> &VersionKeys {
        &self.keys[0]
    }

    /// The earlier versions still configured: values under them want re-sealing.
    pub fn previous_versions(&self) -> Vec<u32> {
        self.keys[1..].iter().map(|keys| keys.version).collect()
    }

    /// Encrypts `plain` under the current key, bound to `owner` (a row id): a
    /// sealed value copied to another row does not open there.
    pub fn seal(&self, plain: &[u8], owner: &str, nonce: &[u8; NONCE_LEN]) -> String {
        let keys = self.current();
        let sealed = keys
            .cipher
            .encrypt(Nonce::from_slice(nonce), Payload { msg: plain, aad: owner.as_bytes() })
            .expect("encryption of an in-memory buffer cannot fail");
        format!("{}{}{}", sealed_prefix(keys.version), hex::encode(nonce), hex::encode(sealed))
    }

    /// Decrypts with the key of the version the value names.
    pub fn open(&self, sealed: &str, owner: &str) -> Result<Vec<u8>, VaultError> {
        let version = sealed_version(sealed).ok_or(VaultError::Unsealable)?;
        let keys = self.keys.iter().find(|keys| keys.version == version).ok_or(VaultError::UnknownVersion(version))?;
        let bytes = sealed
            .strip_prefix(&sealed_prefix(version))
            .and_then(|rest| hex::decode(rest).ok())
            .filter(|bytes| bytes.len() > NONCE_LEN)
            .ok_or(VaultError::Unsealable)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        keys.cipher
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

    /// A keyed digest of a CPR number within one organization, under the
    /// current key: what is stored. Equal numbers give equal digests there
    /// (uniqueness, look-up), and without the key the digest cannot be
    /// recomputed from the small space of CPR numbers.
    pub fn cpr_lookup(&self, organization_id: &str, cpr: &Cpr) -> String {
        self.current().lookup(organization_id, cpr)
    }

    /// The digest under every configured key, the current one first: what
    /// finds a stored digest, whichever key stored it, while a rotation is
    /// under way.
    pub fn cpr_lookups(&self, organization_id: &str, cpr: &Cpr) -> Vec<String> {
        self.keys.iter().map(|keys| keys.lookup(organization_id, cpr)).collect()
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

    const OLD: &str = "an old secret that is long enough to use";
    const NEW: &str = "a new secret that is long enough to use too";

    fn rotated() -> Vault {
        Vault::with_previous(&format!("2:{NEW}"), &format!("1:{OLD}")).unwrap()
    }

    #[test]
    fn a_bare_secret_is_version_one_and_seals_as_before_versions() {
        let bare = Vault::new(OLD).unwrap();
        let versioned = Vault::new(&format!("1:{OLD}")).unwrap();
        let sealed = bare.seal(b"hello", "row", &[3; NONCE_LEN]);
        assert!(sealed.starts_with("v1."), "{sealed}");
        assert_eq!(sealed, versioned.seal(b"hello", "row", &[3; NONCE_LEN]));
        assert_eq!(bare.cpr_lookup("org-1", &cpr("010203-1234")), versioned.cpr_lookup("org-1", &cpr("010203-1234")));
    }

    #[test]
    fn after_a_rotation_new_values_carry_the_new_version_and_old_ones_still_open() {
        let before = Vault::new(OLD).unwrap();
        let old_sealed = before.seal_cpr(&cpr("010203-1234"), "user-1", &[1; NONCE_LEN]);
        let after = rotated();
        assert_eq!(after.previous_versions(), vec![1]);
        assert_eq!(after.open_cpr(&old_sealed, "user-1").unwrap(), cpr("010203-1234"));
        let resealed = after.seal_cpr(&cpr("010203-1234"), "user-1", &[2; NONCE_LEN]);
        assert!(resealed.starts_with("v2."), "{resealed}");
        assert_eq!(sealed_version(&resealed), Some(2));
        assert_eq!(after.open_cpr(&resealed, "user-1").unwrap(), cpr("010203-1234"));
        // The old key alone cannot open what the new one sealed.
        assert_eq!(before.open_cpr(&resealed, "user-1"), Err(VaultError::UnknownVersion(2)));
        // Once the old secret is gone, what it sealed no longer opens.
        let only_new = Vault::new(&format!("2:{NEW}")).unwrap();
        assert_eq!(only_new.open_cpr(&old_sealed, "user-1"), Err(VaultError::UnknownVersion(1)));
        assert_eq!(only_new.open_cpr(&resealed, "user-1").unwrap(), cpr("010203-1234"));
    }

    #[test]
    fn a_value_claiming_another_version_does_not_open_under_it() {
        let after = rotated();
        let sealed = after.seal(b"hello", "row", &[5; NONCE_LEN]);
        let relabelled = sealed.replacen("v2.", "v1.", 1);
        assert_eq!(after.open(&relabelled, "row"), Err(VaultError::Unsealable));
    }

    #[test]
    fn lookups_find_digests_stored_under_every_configured_key() {
        let number = cpr("010203-1234");
        let stored_before = Vault::new(OLD).unwrap().cpr_lookup("org-1", &number);
        let after = rotated();
        let lookups = after.cpr_lookups("org-1", &number);
        assert_eq!(lookups.len(), 2);
        assert_eq!(lookups[0], after.cpr_lookup("org-1", &number), "the current digest comes first");
        assert_ne!(lookups[0], stored_before);
        assert!(lookups.contains(&stored_before));
        assert!(!lookups.contains(&Vault::new(OLD).unwrap().cpr_lookup("org-2", &number)));
        assert_eq!(Vault::new(NEW).unwrap().cpr_lookups("org-1", &number).len(), 1);
    }

    #[test]
    fn the_configuration_is_checked_without_repeating_a_secret() {
        let errors = [
            Vault::with_previous(&format!("2:{NEW}"), &format!("2:{OLD}")).err(),
            Vault::with_previous(&format!("0:{NEW}"), "").err(),
            Vault::with_previous(&format!("2:{NEW}"), "1:tiny").err(),
            Vault::with_previous(&format!("99999999999:{NEW}"), "").err(),
        ];
        assert_eq!(
            errors,
            [Some(VaultError::VersionTwice(2)), Some(VaultError::BadVersion), Some(VaultError::WeakSecret), Some(VaultError::BadVersion)]
        );
        for error in errors.into_iter().flatten() {
            let message = error.to_string();
            assert!(!message.contains(NEW) && !message.contains(OLD) && !message.contains("tiny"), "{message}");
        }
        // The current secret may also be listed as previous (set before the
        // new one replaces it), and earlier secrets are separated by commas.
        let listed_twice = Vault::with_previous(&format!("1:{OLD}"), &format!("1:{OLD}")).unwrap();
        assert!(listed_twice.previous_versions().is_empty());
        let three = Vault::with_previous(&format!("3:{NEW}"), &format!(" 1:{OLD}, 2:{SECRET} ,")).unwrap();
        assert_eq!(three.previous_versions(), vec![1, 2]);
    }
}
