//! Dates, times, numbers and plurals as each language writes them
//! (14. marts 2027 / 14 March 2027 / 14. März 2027; 200.000 / 200,000).
//! The app and the Worker format through here, so that a date reads the
//! same on a page, in an e-mail and in an export.

use crate::fields::Date;
use crate::lang::Lang;

const MONTHS_DA: [&str; 12] = [
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december",
];
const MONTHS_EN: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember",
];

/// A calendar date written out: `14. marts 2027`, `14 March 2027`, `14. März 2027`.
pub fn date(lang: Lang, date: Date) -> String {
    let month = usize::from(date.month.clamp(1, 12) - 1);
    match lang {
        Lang::Da => format!("{}. {} {}", date.day, MONTHS_DA[month], date.year),
        Lang::En => format!("{} {} {}", date.day, MONTHS_EN[month], date.year),
        Lang::De => format!("{}. {} {}", date.day, MONTHS_DE[month], date.year),
    }
}

/// A moment (Unix seconds) as its UTC date and time: `14. marts 2027 kl. 09:05 UTC`.
pub fn time(lang: Lang, unix_seconds: i64) -> String {
    let day = date(lang, Date::from_unix_seconds(unix_seconds));
    let in_day = unix_seconds.rem_euclid(86_400);
    let (hours, minutes) = (in_day / 3600, (in_day % 3600) / 60);
    match lang {
        Lang::Da => format!("{day} kl. {hours:02}.{minutes:02} UTC"),
        Lang::En => format!("{day}, {hours:02}:{minutes:02} UTC"),
        Lang::De => format!("{day}, {hours:02}:{minutes:02} Uhr UTC"),
    }
}

/// A whole number with the language's thousands separator: `200.000` in
/// Danish and German, `200,000` in English.
pub fn number(lang: Lang, value: u64) -> String {
    let separator = match lang {
        Lang::Da | Lang::De => '.',
        Lang::En => ',',
    };
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Which plural form a count takes. Danish, English and German all have
/// the same two for whole numbers: one, and everything else (0 included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

pub fn plural(_lang: Lang, count: u64) -> Plural {
    if count == 1 {
        Plural::One
    } else {
        Plural::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn march_14() -> Date {
        Date::new(2027, 3, 14).unwrap()
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        assert_eq!(date(Lang::Da, march_14()), "14. marts 2027");
        assert_eq!(date(Lang::En, march_14()), "14 March 2027");
        assert_eq!(date(Lang::De, march_14()), "14. März 2027");
        assert_eq!(date(Lang::Da, Date::new(2026, 12, 2).unwrap()), "2. december 2026");
    }

    #[test]
    fn times_carry_the_utc_clock() {
        let seconds = march_14().unix_seconds() + 9 * 3600 + 5 * 60;
        assert_eq!(time(Lang::Da, seconds), "14. marts 2027 kl. 09.05 UTC");
        assert_eq!(time(Lang::En, seconds), "14 March 2027, 09:05 UTC");
        assert_eq!(time(Lang::De, seconds), "14. März 2027, 09:05 Uhr UTC");
    }

    #[test]
    fn numbers_group_thousands_by_language() {
        assert_eq!(number(Lang::Da, 200_000), "200.000");
        assert_eq!(number(Lang::En, 200_000), "200,000");
        assert_eq!(number(Lang::De, 1_234_567), "1.234.567");
        assert_eq!(number(Lang::En, 999), "999");
        assert_eq!(number(Lang::Da, 0), "0");
    }

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        for lang in [Lang::Da, Lang::En, Lang::De] {
            assert_eq!(plural(lang, 1), Plural::One);
            assert_eq!(plural(lang, 0), Plural::Other);
            assert_eq!(plural(lang, 2), Plural::Other);
        }
    }
}
