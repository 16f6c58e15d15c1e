//! CPR numbers (`Cpr`): the format, the date with its century table, and masking.

use std::fmt;

use super::dates::{digits, number, Date};
use super::FieldError;
use crate::text::trim;

/// A Danish national ID number. Its date is checked, with the century taken
/// from the 7th digit by the official table; there is deliberately no
/// modulus-11 check, which numbers issued since 2007 may fail.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cpr(String);

impl Cpr {
    pub fn parse(input: &str) -> Result<Cpr, FieldError> {
        Self::key_of(input).map(|key| Cpr(format!("{key:010}")))
    }

    /// The rule without keeping the value (the bulk check's hot path): the
    /// ten digits as one number, or why the input is not a CPR number.
    pub fn key_of(input: &str) -> Result<u64, FieldError> {
        let text = trim(input);
        let bytes = text.as_bytes();
        // Only ASCII is sliced below: a multi-byte letter fails here.
        if !text.is_ascii() {
            return Err(FieldError::CprFormat);
        }
        let serial_at = match bytes.len() {
            11 if bytes[6] == b'-' => 7,
            10 => 6,
            _ => return Err(FieldError::CprFormat),
        };
        let (date_part, _) = digits(&text[..6]).ok_or(FieldError::CprFormat)?;
        let (serial, _) = digits(&text[serial_at..]).ok_or(FieldError::CprFormat)?;
        let mut d = [0u8; 10];
        d[..6].copy_from_slice(&date_part[..6]);
        d[6..].copy_from_slice(&serial[..4]);
        Self::encoded_date(&d).ok_or(FieldError::CprDate)?;
        Ok(d.iter().fold(0u64, |key, digit| key * 10 + u64::from(*digit)))
    }

    /// The date in the first six digits, with the century from the official
    /// table: the 7th digit together with the two-digit year.
    fn encoded_date(d: &[u8]) -> Option<Date> {
        let year_in_century = number(&d[4..6]);
        let century = match (d[6], year_in_century) {
            (0..=3, _) | (4 | 9, 37..) => 1900,
            (4 | 9, _) | (5..=8, 0..=57) => 2000,
            _ => 1800,
        };
        Date::new(century + year_in_century, number(&d[2..4]) as u8, number(&d[0..2]) as u8)
    }

    /// The birth date the number encodes.
    pub fn birth_date(&self) -> Date {
        Self::encoded_date(&digits(&self.0).expect("parsed").0).expect("parsed")
    }

    /// `DDMMYY-SSSS`, for the person themself only.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.0[..6], &self.0[6..])
    }

    /// `DDMMYY-****`, what everybody else sees.
    pub fn masked(&self) -> String {
        format!("{}-****", &self.0[..6])
    }
}

/// Masks whatever was typed in a CPR cell, valid or not, so that no finding
/// or report ever repeats the serial part: at most the first six
/// characters show, and never the last four (a number that lost its
/// leading zero has only five date digits).
pub fn mask_cpr_input(input: &str) -> String {
    let input = input.trim();
    let visible: String = input.chars().take(input.chars().count().saturating_sub(4).min(6)).collect();
    format!("{visible}-****")
}

impl fmt::Debug for Cpr {
    /// Never print the number, even in a debug dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpr_numbers_with_letters_of_any_width_are_refused_not_panicked_on() {
        for input in ["01020ø234", "0102031æ34", "010203–1234", "ØØØØØØØØØØ"] {
            assert_eq!(Cpr::key_of(input), Err(FieldError::CprFormat), "{input}");
        }
        assert_eq!(Cpr::key_of(" 010203-1234 "), Ok(102_031_234));
        assert_eq!(Cpr::parse("0102031234").unwrap().formatted(), "010203-1234");
    }

    #[test]
    fn cpr_accepts_both_forms_and_numbers_that_fail_modulus_11() {
        // 010190-1235 fails modulus 11; since 2007 such numbers are issued.
        assert_eq!(Cpr::parse("010190-1235").unwrap(), Cpr::parse("0101901235").unwrap());
        assert_eq!(Cpr::parse("0101901235").unwrap().masked(), "010190-****");
        assert_eq!(format!("{:?}", Cpr::parse("0101901235").unwrap()), "Cpr(010190-****)");
        for bad in ["010190123", "010190+1235", "01019O1235", "010190-12345", ""] {
            assert_eq!(Cpr::parse(bad).unwrap_err(), FieldError::CprFormat, "{bad}");
        }
    }

    #[test]
    fn cpr_dates_follow_the_century_table() {
        let year = |cpr: &str| Cpr::parse(cpr).unwrap().birth_date().year;
        assert_eq!(year("010199-3000"), 1999); // 7th digit 0-3: 1900s
        assert_eq!(year("010136-4000"), 2036); // 4: 00-36 → 2000s
        assert_eq!(year("010137-4000"), 1937); // 4: 37-99 → 1900s
        assert_eq!(year("010157-5000"), 2057); // 5-8: 00-57 → 2000s
        assert_eq!(year("010158-8000"), 1858); // 5-8: 58-99 → 1800s
        assert_eq!(year("010136-9000"), 2036); // 9 like 4
        assert_eq!(year("010137-9000"), 1937);
    }

    #[test]
    fn cpr_29_february_only_in_leap_years() {
        assert!(Cpr::parse("290200-4000").is_ok()); // 2000 is a leap year
        assert_eq!(Cpr::parse("290200-3000").unwrap_err(), FieldError::CprDate); // 1900 is not
        assert!(Cpr::parse("290296-1234").is_ok()); // 1996
        assert_eq!(Cpr::parse("290297-1234").unwrap_err(), FieldError::CprDate);
        assert_eq!(Cpr::parse("320190-1234").unwrap_err(), FieldError::CprDate);
        assert_eq!(Cpr::parse("011390-1234").unwrap_err(), FieldError::CprDate);
    }

    #[test]
    fn masking_raw_input_never_shows_the_serial_part() {
        assert_eq!(mask_cpr_input("010190-1234"), "010190-****");
        assert_eq!(mask_cpr_input("0101901234"), "010190-****");
        assert!(!mask_cpr_input("12345678901234").contains("789"));
        assert_eq!(mask_cpr_input("101901234"), "10190-****");
        assert_eq!(mask_cpr_input("1234"), "-****");
    }
}
