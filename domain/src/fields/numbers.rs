//! Numbers typed into cells: phone, P-number, SE number, CVR number and UUID.

use super::FieldError;
use crate::text::trim;

/// A phone number: `+` and 8–15 digits, or 8 Danish digits. Spaces typed for
/// readability are dropped.
pub fn parse_phone(input: &str) -> Result<String, FieldError> {
    check_phone(input)?;
    Ok(input.chars().filter(|c| !c.is_whitespace()).collect())
}

/// The phone rule without keeping the value (the bulk check's hot path).
pub fn check_phone(input: &str) -> Result<(), FieldError> {
    // Nearly every number is ASCII, whose bytes need no decoding.
    if input.is_ascii() {
        phone_rule(input.bytes().map(char::from))
    } else {
        phone_rule(input.chars())
    }
}

fn phone_rule(chars: impl Iterator<Item = char>) -> Result<(), FieldError> {
    let mut chars = chars.filter(|c| !c.is_whitespace()).peekable();
    let international = chars.next_if_eq(&'+').is_some();
    let mut count = 0;
    for c in chars {
        if !c.is_ascii_digit() {
            return Err(FieldError::Phone);
        }
        count += 1;
    }
    let ok = if international { (8..=15).contains(&count) } else { count == 8 };
    ok.then_some(()).ok_or(FieldError::Phone)
}

fn fixed_digits(input: &str, len: usize, error: FieldError) -> Result<String, FieldError> {
    let text = trim(input);
    (text.len() == len && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_owned()).ok_or(error)
}

/// A production unit number: 10 digits.
pub fn parse_p_number(input: &str) -> Result<String, FieldError> {
    fixed_digits(input, 10, FieldError::PNumber)
}

/// An SE number: 8 digits.
pub fn parse_se_number(input: &str) -> Result<String, FieldError> {
    fixed_digits(input, 8, FieldError::SeNumber)
}

/// A CVR number: 8 digits passing modulus 11 with weights 2,7,6,5,4,3,2,1.
pub fn parse_cvr(input: &str) -> Result<String, FieldError> {
    let text = fixed_digits(input, 8, FieldError::CvrFormat)?;
    let sum: u32 = text.bytes().zip([2, 7, 6, 5, 4, 3, 2, 1]).map(|(b, w)| u32::from(b - b'0') * w).sum();
    (sum % 11 == 0).then_some(text).ok_or(FieldError::CvrChecksum)
}

/// A UUID in its hyphenated form.
pub fn parse_uuid(input: &str) -> Result<String, FieldError> {
    uuid_key(input)?;
    Ok(input.trim().to_ascii_lowercase())
}

/// A UUID's 128 bits (8-4-4-4-12 hexadecimal digits), to find duplicates
/// without keeping the text.
pub fn uuid_key(input: &str) -> Result<u128, FieldError> {
    let bytes = trim(input).as_bytes();
    if bytes.len() != 36 {
        return Err(FieldError::Uuid);
    }
    let mut key = 0u128;
    for (i, b) in bytes.iter().enumerate() {
        match i {
            8 | 13 | 18 | 23 if *b == b'-' => {}
            8 | 13 | 18 | 23 => return Err(FieldError::Uuid),
            _ => key = (key << 4) | u128::from((*b as char).to_digit(16).ok_or(FieldError::Uuid)?),
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_numbers_and_cvr() {
        assert_eq!(parse_phone("12 34 56 78").unwrap(), "12345678");
        assert!(parse_phone("+4512345678").is_ok());
        assert!(parse_phone("+123456789012345").is_ok());
        for bad in ["1234567", "123456789", "+1234567", "+1234567890123456", "+45-1234-5678"] {
            assert_eq!(parse_phone(bad).unwrap_err(), FieldError::Phone, "{bad}");
        }
        assert!(parse_p_number("1234567890").is_ok());
        assert_eq!(parse_p_number("123456789").unwrap_err(), FieldError::PNumber);
        assert!(parse_se_number("12345678").is_ok());
        assert_eq!(parse_se_number("1234567a").unwrap_err(), FieldError::SeNumber);
        assert_eq!(parse_cvr("12345674").unwrap(), "12345674");
        assert_eq!(parse_cvr("12345675").unwrap_err(), FieldError::CvrChecksum);
        assert_eq!(parse_cvr("1234567").unwrap_err(), FieldError::CvrFormat);
    }

    #[test]
    fn uuids() {
        assert!(parse_uuid("0B6B6C52-5A0E-4E2F-8D57-4C1E8A3F9A01").is_ok());
        assert_eq!(parse_uuid("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a0").unwrap_err(), FieldError::Uuid);
        assert_eq!(uuid_key("0B6B6C52-5A0E-4E2F-8D57-4C1E8A3F9A01"), uuid_key(" 0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a01"));
        assert_eq!(uuid_key("00000000-0000-0000-0000-0000000000ff"), Ok(255));
        assert_eq!(uuid_key("0b6b6c52+5a0e-4e2f-8d57-4c1e8a3f9a01"), Err(FieldError::Uuid));
        assert_eq!(uuid_key("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a0g"), Err(FieldError::Uuid));
    }
}
