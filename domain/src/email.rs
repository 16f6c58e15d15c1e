//! E-mail addresses (product.md §2): a practical subset of RFC 5322.

use std::fmt;

use crate::text::{is_ascii_space, trim};

/// Symbols allowed in the local part besides letters and digits (RFC 5322 atext and '.').
const ALLOWED_LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// The ASCII bytes allowed in the local part: letters, digits and
/// `ALLOWED_LOCAL_SYMBOLS`, as a table for the one-pass check.
const LOCAL_BYTES: [bool; 128] = {
    let mut allowed = [false; 128];
    let mut byte = 0;
    while byte < 128 {
        allowed[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    let symbols = ALLOWED_LOCAL_SYMBOLS.as_bytes();
    let mut i = 0;
    while i < symbols.len() {
        allowed[symbols[i] as usize] = true;
        i += 1;
    }
    allowed
};

/// Longest address accepted, as SMTP allows.
pub const MAX_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("the e-mail address must not contain spaces")]
    ContainsSpace,
    #[error("the e-mail address must look like name@example.com")]
    Malformed,
}

impl EmailError {
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email_empty",
            EmailError::TooLong => "email_too_long",
            EmailError::ContainsSpace => "email_contains_space",
            EmailError::Malformed => "email_malformed",
        }
    }
}

impl Email {
    /// Checks an address without keeping it, and gives it trimmed: the bulk
    /// check reads 100,000 of them and keeps none.
    pub fn check(input: &str) -> Result<&str, EmailError> {
        let trimmed = trim(input);
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.is_ascii() { check_ascii(trimmed) } else { check_any(trimmed) }.map(|()| trimmed)
    }

    /// Parses an address, trimming surrounding whitespace. The domain part is
    /// lower-cased; the local part keeps its case, as RFC 5321 requires.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let trimmed = Self::check(input)?;
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let mut email = String::with_capacity(trimmed.len());
        email.push_str(local);
        email.push('@');
        if domain.is_ascii() {
            email.push_str(domain);
            email[local.len() + 1..].make_ascii_lowercase();
        } else {
            email.extend(domain.chars().flat_map(char::to_lowercase));
        }
        Ok(Email(email))
    }

    /// A 128-bit fingerprint of the normalized form of a checked address
    /// (`check`'s answer), computed without allocating. Two addresses are the
    /// same person's exactly when their normalized forms are equal; two
    /// different ones share a fingerprint with odds near 2⁻¹²⁸ per pair, far
    /// below any file's size.
    pub fn fingerprint(checked: &str) -> u128 {
        if checked.is_ascii() {
            fingerprint_lowered(checked.as_bytes())
        } else {
            // Lowered by the Unicode rule; ASCII letters stay to be lowered,
            // as in an ASCII address, so equal normalized forms meet.
            fingerprint_lowered(checked.chars().flat_map(char::to_lowercase).collect::<String>().as_bytes())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `normalized`, consuming the address: no second copy when it is ASCII.
    pub fn into_normalized(mut self) -> String {
        if self.0.is_ascii() {
            self.0.make_ascii_lowercase();
            self.0
        } else {
            self.0.to_lowercase()
        }
    }

    /// The form used for uniqueness and look-ups: e-mail addresses are
    /// compared without regard to case.
    pub fn normalized(&self) -> String {
        // Nearly every address is ASCII, which lowers byte by byte.
        if self.0.is_ascii() {
            self.0.to_ascii_lowercase()
        } else {
            self.0.to_lowercase()
        }
    }
}

/// The rules of `Email::check` for any trimmed, non-empty address.
fn check_any(address: &str) -> Result<(), EmailError> {
    if address.chars().count() > MAX_LEN {
        return Err(EmailError::TooLong);
    }
    if address.chars().any(char::is_whitespace) {
        return Err(EmailError::ContainsSpace);
    }
    let (local, domain) = address.rsplit_once('@').ok_or(EmailError::Malformed)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local.contains('@')
        && local.chars().all(|c| c.is_alphanumeric() || ALLOWED_LOCAL_SYMBOLS.contains(c));
    if domain_ok && local_ok {
        Ok(())
    } else {
        Err(EmailError::Malformed)
    }
}

/// `check_any` for an ASCII address, byte by byte without decoding: the
/// same rules, in the same order of errors (a test holds the two together).
fn check_ascii(address: &str) -> Result<(), EmailError> {
    let bytes = address.as_bytes();
    if bytes.len() > MAX_LEN {
        return Err(EmailError::TooLong);
    }
    // One pass for what decides first: any whitespace, and the last '@'.
    let mut at = None;
    let mut space = false;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'@' {
            at = Some(i);
        }
        space |= is_ascii_space(*b);
    }
    if space {
        return Err(EmailError::ContainsSpace);
    }
    let at = at.ok_or(EmailError::Malformed)?;
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    // Labels between dots: not empty, not starting or ending with '-'.
    let mut label_start = 0;
    let mut dots = 0;
    for (i, b) in domain.iter().enumerate() {
        match b {
            b'.' => {
                let label = &domain[label_start..i];
                if label.is_empty() || label[0] == b'-' || label[label.len() - 1] == b'-' {
                    return Err(EmailError::Malformed);
                }
                dots += 1;
                label_start = i + 1;
            }
            b'-' => {}
            b if b.is_ascii_alphanumeric() => {}
            _ => return Err(EmailError::Malformed),
        }
    }
    let last = &domain[label_start..];
    if dots == 0 || last.is_empty() || last[0] == b'-' || last[last.len() - 1] == b'-' {
        return Err(EmailError::Malformed);
    }
    if ascii_local_part_ok(local) {
        Ok(())
    } else {
        Err(EmailError::Malformed)
    }
}

/// The local part's rule for ASCII bytes: 1 to 64 of the allowed bytes, no
/// dot first, last or after another dot.
fn ascii_local_part_ok(local: &[u8]) -> bool {
    !local.is_empty()
        && local.len() <= 64
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && local.iter().zip(&local[1..]).all(|(b, next)| LOCAL_BYTES.get(usize::from(*b)) == Some(&true) && !(*b == b'.' && *next == b'.'))
        && LOCAL_BYTES.get(usize::from(local[local.len() - 1])) == Some(&true)
}

/// The domain of the last address that passed `LastDomain::check`: the
/// addresses of a file mostly share one, and an address on it needs only
/// its local part checked.
#[derive(Debug, Default)]
pub struct LastDomain(String);

impl LastDomain {
    /// `Email::check`, with the domain's rules skipped when it is the last
    /// one that passed.
    pub fn check<'a>(&mut self, input: &'a str) -> Result<&'a str, EmailError> {
        let trimmed = trim(input);
        if self.admits(trimmed) {
            return Ok(trimmed);
        }
        let checked = Email::check(trimmed)?;
        if let Some((_, domain)) = checked.rsplit_once('@') {
            self.0.clear();
            self.0.push_str(domain);
        }
        Ok(checked)
    }

    /// Whether `address` is `local@domain` with this domain and an ASCII
    /// local part that passes: then `Email::check` passes it too (the local
    /// part's bytes hold no whitespace and no '@'). Any other address is
    /// left to `Email::check`, which names its mistake.
    fn admits(&self, address: &str) -> bool {
        let (bytes, domain) = (address.as_bytes(), self.0.as_bytes());
        let Some(at) = bytes.len().checked_sub(domain.len() + 1) else { return false };
        !domain.is_empty() && bytes.len() <= MAX_LEN && bytes[at] == b'@' && &bytes[at + 1..] == domain && ascii_local_part_ok(&bytes[..at])
    }
}

/// Two independent 64-bit hashes of `bytes` with ASCII letters lowered,
/// taken eight bytes at a time: a multiply-rotate hash with two different
/// odd constants, the length, and a final mix of each.
fn fingerprint_lowered(bytes: &[u8]) -> u128 {
    let (mut a, mut b) = (0xcbf2_9ce4_8422_2325u64, 0x9e37_79b9_7f4a_7c15u64);
    let mut add = |word: u64| {
        let word = lower_ascii_letters(word);
        a = (a ^ word).wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(29);
        b = (b.rotate_left(23) ^ word).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    };
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
    }
    // The last bytes, shifted in one by one: a copy of a few bytes would be
    // a call to copy memory, dearer than the loop.
    add(words.remainder().iter().rev().fold(0u64, |word, byte| word << 8 | u64::from(*byte)));
    let mix = |mut x: u64| {
        x ^= bytes.len() as u64;
        x ^= x >> 33;
        x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        x ^= x >> 29;
        x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
        x ^ (x >> 32)
    };
    (u128::from(mix(a)) << 64) | u128::from(mix(b))
}

/// Each byte 'A'..='Z' of the word lowered; every other byte, UTF-8
/// sequences' included, kept.
fn lower_ascii_letters(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low_seven = word & (0x7f * ONES);
    // A byte's top bit after adding: at least 'A', and past 'Z'. The sums
    // stay within each byte.
    let from_a = low_seven + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low_seven + (0x80 - u64::from(b'Z') - 1) * ONES;
    let upper = from_a & !past_z & !word & (0x80 * ONES);
    word | (upper >> 2)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Letters are lowered eight at a time as one at a time.
        #[test]
        fn words_are_lowered_as_their_bytes(word in any::<u64>()) {
            let lowered = word.to_le_bytes().map(|b| b.to_ascii_lowercase());
            prop_assert_eq!(lower_ascii_letters(word), u64::from_le_bytes(lowered));
        }

        /// The one-pass check of ASCII addresses decides as the general rules do.
        #[test]
        fn ascii_addresses_are_checked_as_any_other(address in "[\t a-zA-Z0-9.@!#$%&'*+/=?^_`{|}~-]{1,30}") {
            prop_assert_eq!(check_ascii(&address), check_any(&address), "{:?}", address);
        }

        /// The same near the rule's edges: dots, hyphens and '@' around
        /// short labels.
        #[test]
        fn address_shapes_are_checked_as_any_other(address in "[a.@-]{0,4}[a-c.-]{0,5}@[a.-]{0,4}[a-c.@ -]{0,6}") {
            if !address.is_empty() {
                prop_assert_eq!(check_ascii(&address), check_any(&address), "{:?}", address);
            }
        }

        /// Checking with the last domain remembered decides as checking
        /// each address alone, whatever came before.
        #[test]
        fn the_last_domain_changes_no_decision(addresses in proptest::collection::vec("[aé. @-]{0,4}@?(x\\.dk|X\\.dk|x\\.d|æ\\.dk|\\.dk|x\\.dk\\.| x\\.dk)?", 1..8)) {
            let mut last = LastDomain::default();
            for address in &addresses {
                prop_assert_eq!(last.check(address), Email::check(address), "{:?} after {:?}", address, addresses);
            }
        }
    }

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let email = Email::parse("  Anne.Hansen@Example.DK ").unwrap();
        assert_eq!(email.as_str(), "Anne.Hansen@example.dk");
        assert_eq!(email.normalized(), "anne.hansen@example.dk");
        assert!(Email::parse("a+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn the_fingerprint_is_that_of_the_normalized_address() {
        for (a, b) in [("Anne@Example.DK", "anne@example.dk"), ("ÆBLE@Æble.dk", "æble@æble.dk")] {
            let (a, b) = (Email::check(a).unwrap(), Email::check(b).unwrap());
            assert_eq!(Email::fingerprint(a), Email::fingerprint(b));
            assert_eq!(Email::parse(a).unwrap().normalized(), Email::parse(b).unwrap().normalized());
        }
        let fingerprints: std::collections::HashSet<u128> =
            (0..100_000).map(|i| Email::fingerprint(&format!("person{i}@example.dk"))).collect();
        assert_eq!(fingerprints.len(), 100_000);
        assert_ne!(Email::fingerprint("ab@x.dk"), Email::fingerprint("ba@x.dk"));
        assert_eq!(Email::check("  a@b.dk "), Ok("a@b.dk"));
    }

    #[test]
    fn rejects_what_a_mail_server_would() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("anne hansen@example.dk"), Err(EmailError::ContainsSpace));
        for bad in ["anne", "anne@", "@example.dk", "anne@example", "anne@@example.dk",
                    "anne@example..dk", ".anne@example.dk", "anne@-example.dk", "anne@example.dk."] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@example.dk", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
