//! Calendar dates (`Date`), birth dates, and the digit reading they share with CPR numbers.

use std::fmt;

use super::FieldError;
use crate::text::trim;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month, day })
    }

    /// The UTC date of a Unix time in seconds (years 1900–9999).
    pub fn from_unix_seconds(seconds: i64) -> Date {
        // Howard Hinnant's civil-from-days, with days counted from 0000-03-01.
        let z = seconds.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }

    /// Unix seconds at 00:00 UTC of this date.
    pub fn unix_seconds(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        (era * 146_097 + day_of_era - 719_468) * 86_400
    }

    /// Parses the stored ISO form `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let (year, rest) = text.split_once('-')?;
        let (month, day) = rest.split_once('-')?;
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }
}

impl fmt::Display for Date {
    /// ISO 8601, as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The digit values of up to ten ASCII digits, without allocating: this
/// runs for several cells of every row of a bulk file.
pub(super) fn digits(text: &str) -> Option<([u8; 10], usize)> {
    let bytes = text.as_bytes();
    if bytes.len() > 10 {
        return None;
    }
    let mut values = [0u8; 10];
    for (value, byte) in values.iter_mut().zip(bytes) {
        *value = byte.is_ascii_digit().then(|| byte - b'0')?;
    }
    Some((values, bytes.len()))
}

pub(super) fn number(digits: &[u8]) -> u16 {
    digits.iter().fold(0, |n, d| n * 10 + u16::from(*d))
}

/// A birth date, `DD-MM-YYYY` or `YYYY-MM-DD`, not before 1900 and not after
/// `today`.
pub fn parse_birth_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let text = trim(input);
    let b = text.as_bytes();
    // DD-MM-YYYY or YYYY-MM-DD: ten bytes with the hyphens in place (the
    // parts must then be digits, which no other hyphen is).
    let (year, month, day) = match b.len() {
        10 if b[2] == b'-' && b[5] == b'-' => (&text[6..], &text[3..5], &text[..2]),
        10 if b[4] == b'-' && b[7] == b'-' => (&text[..4], &text[5..7], &text[8..]),
        _ => return Err(FieldError::BirthDateFormat),
    };
    let (Some((y, _)), Some((m, _)), Some((d, _))) = (digits(year), digits(month), digits(day)) else {
        return Err(FieldError::BirthDateFormat);
    };
    let date = Date::new(number(&y[..4]), number(&m[..2]) as u8, number(&d[..2]) as u8).ok_or(FieldError::BirthDateInvalid)?;
    if date.year < 1900 {
        return Err(FieldError::BirthDateTooEarly);
    }
    if date > today {
        return Err(FieldError::BirthDateFuture);
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_are_read_in_two_orders_with_hyphens_only_in_place() {
        let today = Date { year: 2026, month: 11, day: 23 };
        let day = Ok(Date { year: 1985, month: 2, day: 1 });
        assert_eq!(parse_birth_date(" 01-02-1985 ", today), day);
        assert_eq!(parse_birth_date("1985-02-01", today), day);
        for wrong in ["1-02-1985", "01-2-1985", "1985-2-01", "01-02-19-5", "0102-1985", "01-02-1985-", "01/02/1985", "ø1-02-198"] {
            assert_eq!(parse_birth_date(wrong, today), Err(FieldError::BirthDateFormat), "{wrong}");
        }
        assert_eq!(parse_birth_date("31-02-1985", today), Err(FieldError::BirthDateInvalid));
    }

    #[test]
    fn dates_convert_to_and_from_unix_time() {
        assert_eq!(Date::from_unix_seconds(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(Date::from_unix_seconds(951_782_400), Date::new(2000, 2, 29).unwrap());
        assert_eq!(Date::from_unix_seconds(-1), Date::new(1969, 12, 31).unwrap());
        for seconds in (-2_208_988_800i64..4_102_444_800).step_by(86_400 * 37 + 3_601) {
            let date = Date::from_unix_seconds(seconds);
            assert_eq!(date.unix_seconds(), seconds - seconds.rem_euclid(86_400));
            assert_eq!(Date::parse_iso(&date.to_string()), Some(date));
        }
        assert_eq!(Date::parse_iso("2024-02-30"), None);
        assert_eq!(Date::parse_iso("24-02-03"), None);
    }

    const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

    #[test]
    fn birth_dates_in_both_orders_within_bounds() {
        assert_eq!(parse_birth_date("24-12-1980", TODAY).unwrap(), Date { year: 1980, month: 12, day: 24 });
        assert_eq!(parse_birth_date("1980-12-24", TODAY).unwrap(), Date { year: 1980, month: 12, day: 24 });
        assert!(parse_birth_date("29-02-2024", TODAY).is_ok());
        assert_eq!(parse_birth_date("29-02-2023", TODAY).unwrap_err(), FieldError::BirthDateInvalid);
        assert_eq!(parse_birth_date("29-02-1900", TODAY).unwrap_err(), FieldError::BirthDateInvalid);
        assert!(parse_birth_date("29-02-2000", TODAY).is_ok());
        assert_eq!(parse_birth_date("31-12-1899", TODAY).unwrap_err(), FieldError::BirthDateTooEarly);
        assert!(parse_birth_date("01-01-1900", TODAY).is_ok());
        assert!(parse_birth_date("23-11-2026", TODAY).is_ok());
        assert_eq!(parse_birth_date("24-11-2026", TODAY).unwrap_err(), FieldError::BirthDateFuture);
        for bad in ["1980/12/24", "24.12.1980", "24-12-80", "", "ab-cd-efgh"] {
            assert_eq!(parse_birth_date(bad, TODAY).unwrap_err(), FieldError::BirthDateFormat, "{bad}");
        }
    }
}
