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

/// The E.164 country calling codes assigned by the ITU to countries and
/// territories (World Numbering Zones 1–9), and the global codes a person's
/// own phone may have (870 Inmarsat, 881 satellite, 882 and 883 international
/// networks); freephone, shared-cost and premium codes (800, 808, 979) are
/// left out, as is every spare code. No code is a prefix of another.
const COUNTRY_CALLING_CODES: [u16; 211] = [
    1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64,
    65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230,
    231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256,
    257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 290, 291, 297, 298, 299, 350, 351, 352, 353, 354, 355, 356, 357, 358,
    359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 380, 381, 382, 383, 385, 386, 387, 389, 420, 421, 423, 500, 501, 502, 503,
    504, 505, 506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599, 670, 672, 673, 674, 675, 676, 677, 678, 679, 680,
    681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692, 850, 852, 853, 855, 856, 870, 880, 881, 882, 883, 886, 960, 961, 962, 963,
    964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 992, 993, 994, 995, 996, 998,
];

/// The country calling code that `digits` (a number without its `+`)
/// starts with, if any: E.164 codes are prefix-free, so at most one fits.
pub fn country_calling_code(digits: &str) -> Option<&str> {
    (1..=3.min(digits.len())).map(|len| &digits[..len]).find(|prefix| {
        prefix.bytes().all(|b| b.is_ascii_digit()) && prefix.parse().is_ok_and(|code: u16| COUNTRY_CALLING_CODES.contains(&code))
    })
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
    fn country_calling_codes_are_prefix_free_and_found_at_the_start() {
        for code in COUNTRY_CALLING_CODES {
            let text = code.to_string();
            let others = COUNTRY_CALLING_CODES.iter().filter(|other| **other != code).map(u16::to_string);
            assert!(others.clone().all(|other| !other.starts_with(&text) && !text.starts_with(&other)), "{code} is a prefix");
        }
        assert!(COUNTRY_CALLING_CODES.is_sorted());
        assert_eq!(country_calling_code("4512345678"), Some("45"));
        assert_eq!(country_calling_code("2991234567"), Some("299"));
        assert_eq!(country_calling_code("3581234567"), Some("358"));
        assert_eq!(country_calling_code("12025550123"), Some("1"));
        // 28x and 42x but 420, 421, 423 are spare; 800 is freephone.
        assert_eq!(country_calling_code("2812345678"), None);
        assert_eq!(country_calling_code("4221234567"), None);
        assert_eq!(country_calling_code("8001234567"), None);
        assert_eq!(country_calling_code("ab"), None);
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
