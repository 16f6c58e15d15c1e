//! Activation (product.md §3): which path a user takes, the one-time secrets
//! of each path, the password a person may choose, and the registration
//! period with its reminders.

use sha2::{Digest, Sha256};

use crate::lang::Lang;

/// How a user proves who they are when activating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationPath {
    /// An e-mail with a one-time link: users with a national ID number.
    Link,
    /// A code handed over by the administrator, plus the birth date: users
    /// with only a birth date.
    Code,
}

impl ActivationPath {
    pub fn for_user(has_cpr: bool) -> ActivationPath {
        if has_cpr {
            ActivationPath::Link
        } else {
            ActivationPath::Code
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActivationPath::Link => "link",
            ActivationPath::Code => "code",
        }
    }
}

pub const DAY_SECONDS: i64 = 86_400;
/// Organization defaults (§3, §8).
pub const DEFAULT_LINK_VALIDITY_DAYS: i64 = 30;
pub const DEFAULT_REGISTRATION_PERIOD_DAYS: i64 = 120;
/// Wrong attempts after which a code is locked.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Days before the end of the registration period when the user is reminded.
pub const REMINDER_DAYS: [i64; 2] = [14, 3];

pub const LINK_TOKEN_BYTES: usize = 32;

/// The link's token: 256 random bits, hex.
pub fn encode_link_token(random: &[u8; LINK_TOKEN_BYTES]) -> String {
    hex::encode(random)
}

/// What is stored for a link token or a code.
pub fn secret_digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or from a screen: no 0/O, 1/I/L, U/V.
pub const CODE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
pub const CODE_SYMBOLS: usize = 12;
/// Random bytes to draw a code from; rejection sampling uses ~13 on average.
pub const CODE_RANDOM_BYTES: usize = 64;

/// A code of 12 symbols (58 bits) in groups of four, e.g. `K7QM-2XHP-9RTA`.
/// Bytes that would bias the choice are skipped; `None` if the random bytes
/// run out first (practically never; draw again).
pub fn generate_code(random: &[u8; CODE_RANDOM_BYTES]) -> Option<String> {
    let alphabet = CODE_ALPHABET.len() as u16;
    // The largest multiple of the alphabet's size that a byte can reach.
    let unbiased_limit = 256 - 256 % alphabet;
    let symbols: Vec<u8> = random
        .iter()
        .map(|&b| u16::from(b))
        .filter(|&b| b < unbiased_limit)
        .take(CODE_SYMBOLS)
        .map(|b| CODE_ALPHABET[usize::from(b % alphabet)])
        .collect();
    if symbols.len() < CODE_SYMBOLS {
        return None;
    }
    let groups: Vec<&str> = symbols.chunks(4).map(|group| std::str::from_utf8(group).expect("ASCII")).collect();
    Some(groups.join("-"))
}

/// A code as typed: case, spaces and hyphens do not matter.
pub fn normalize_code(input: &str) -> String {
    let compact: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    compact
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The shortest password anyone may choose.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords that are long enough but guessed first by anyone attacking
/// accounts; compared without regard to case.
const COMMON_PASSWORDS: &[&str] = &[
    "123456789012", "1234567890123", "12345678901234", "123456789123", "1q2w3e4r5t6y", "1qaz2wsx3edc",
    "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "qwerty123456", "asdfghjkl123", "zxcvbnm12345",
    "password1234", "password12345", "password123!", "passwordpassword", "iloveyou1234", "letmein12345",
    "welcome12345", "welcome123456", "administrator", "administrator1", "changeme1234", "trustno11234",
    "sommer2024!!", "sommer12345678", "adgangskode1", "adgangskode12", "adgangskode123", "kodeord12345",
    "velkommen123", "velkommen1234", "danmark12345", "passwort1234", "passwort12345", "hallo1234567",
    "willkommen123", "willkommen1234", "sonnenschein1", "football1234", "baseball1234", "superman1234",
    "starwars1234", "monkey123456", "dragon123456", "sunshine1234", "princess1234", "abcdefghijkl",
    "abc123456789", "aaaaaaaaaaaa", "000000000000", "111111111111", "qwertyqwerty", "steward12345",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is shorter than {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("the password is too common")]
    Common,
}

impl PasswordError {
    pub fn code(self) -> &'static str {
        match self {
            PasswordError::TooShort => "password_too_short",
            PasswordError::TooLong => "password_too_long",
            PasswordError::Common => "password_common",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let texts = match self {
            PasswordError::TooShort => ("Adgangskoden skal være mindst 12 tegn.", "The password must be at least 12 characters.", "Das Passwort muss mindestens 12 Zeichen haben."),
            PasswordError::TooLong => ("Adgangskoden må højst være 256 tegn.", "The password may be at most 256 characters.", "Das Passwort darf höchstens 256 Zeichen haben."),
            PasswordError::Common => ("Adgangskoden er for almindelig. Vælg en anden.", "This password is too common. Choose another.", "Dieses Passwort ist zu verbreitet. Wählen Sie ein anderes."),
        };
        lang.pick(texts).to_owned()
    }
}

/// A password a person may set: long enough, not absurdly long, not common,
/// and not one character repeated.
pub fn check_new_password(password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next();
    if COMMON_PASSWORDS.contains(&lower.as_str()) || lower.chars().all(|c| Some(c) == first) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

/// What the scheduler does next for a pending user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationEvent {
    /// Remind the user; `days_left` is 14 or 3, `stage` what to record as sent.
    Reminder { days_left: i64, stage: i64 },
    /// The period is over: the user lapses and the administrators are told.
    Lapse,
}

/// The registration event due at `now` for a pending user whose period ends
/// at `deadline`, given how many reminders were already sent. Only the
/// latest due reminder is sent: a user who was sent to activation 5 days
/// before the deadline gets the 3-day reminder only.
pub fn registration_event(now: i64, deadline: i64, reminders_sent: i64) -> Option<RegistrationEvent> {
    if now >= deadline {
        return Some(RegistrationEvent::Lapse);
    }
    let days_left = (deadline - now + DAY_SECONDS - 1) / DAY_SECONDS;
    REMINDER_DAYS
        .iter()
        .enumerate()
        .rev()
        .find(|(_, &days)| days_left <= days)
        .map(|(index, &days)| (index as i64 + 1, days))
        .filter(|&(stage, _)| stage > reminders_sent)
        .map(|(stage, days)| RegistrationEvent::Reminder { days_left: days, stage })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_follows_the_national_id_number() {
        assert_eq!(ActivationPath::for_user(true), ActivationPath::Link);
        assert_eq!(ActivationPath::for_user(false), ActivationPath::Code);
    }

    #[test]
    fn codes_are_grouped_unambiguous_and_vary_with_the_random_bytes() {
        let mut random = [0u8; CODE_RANDOM_BYTES];
        for (i, byte) in random.iter_mut().enumerate() {
            *byte = (i * 37 + 11) as u8;
        }
        let code = generate_code(&random).unwrap();
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert!(code.bytes().filter(|b| *b != b'-').all(|b| CODE_ALPHABET.contains(&b)));
        random[0] ^= 1;
        assert_ne!(generate_code(&random).unwrap(), code);
        // Bytes that would bias the choice are skipped; too few good ones give no code.
        assert_eq!(generate_code(&[255; CODE_RANDOM_BYTES]), None);
        // 12 symbols of 29 carry over 58 bits, well above the 40 required.
        assert!(12.0 * (CODE_ALPHABET.len() as f64).log2() >= 58.0);
    }

    #[test]
    fn a_code_is_recognized_however_it_is_typed() {
        assert_eq!(normalize_code(" k7qm 2xhp-9rta "), "K7QM-2XHP-9RTA");
        assert_eq!(normalize_code("K7QM-2XHP-9RTA"), "K7QM-2XHP-9RTA");
        assert_eq!(secret_digest(&normalize_code("k7qm2xhp9rta")), secret_digest("K7QM-2XHP-9RTA"));
    }

    #[test]
    fn passwords_must_be_long_and_uncommon() {
        assert_eq!(check_new_password("short"), Err(PasswordError::TooShort));
        assert_eq!(check_new_password("Password1234"), Err(PasswordError::Common));
        assert_eq!(check_new_password("zzzzzzzzzzzzzz"), Err(PasswordError::Common));
        assert_eq!(check_new_password(&"x1".repeat(200)), Err(PasswordError::TooLong));
        assert_eq!(check_new_password("correct horse battery"), Ok(()));
        // Characters, not bytes: twelve letters with diacritics are enough.
        assert_eq!(check_new_password("æøåæøåæøåæøz"), Ok(()));
    }

    #[test]
    fn reminders_come_at_14_and_3_days_and_lapse_at_the_deadline() {
        let deadline = 120 * DAY_SECONDS;
        let at_day = |day: i64| day * DAY_SECONDS;
        assert_eq!(registration_event(at_day(105), deadline, 0), None);
        assert_eq!(registration_event(at_day(106), deadline, 0), Some(RegistrationEvent::Reminder { days_left: 14, stage: 1 }));
        assert_eq!(registration_event(at_day(110), deadline, 1), None);
        assert_eq!(registration_event(at_day(117), deadline, 1), Some(RegistrationEvent::Reminder { days_left: 3, stage: 2 }));
        assert_eq!(registration_event(at_day(118), deadline, 2), None);
        assert_eq!(registration_event(deadline - 1, deadline, 2), None);
        assert_eq!(registration_event(deadline, deadline, 2), Some(RegistrationEvent::Lapse));
        // Sent late in the period: only the latest reminder that is due.
        assert_eq!(registration_event(at_day(118), deadline, 0), Some(RegistrationEvent::Reminder { days_left: 3, stage: 2 }));
    }
}
