//! What Excel and LibreOffice do to typed values, recognized in a cell that
//! failed its rule: a phone that lost its `+`, a CPR number that lost its
//! leading zero, a re-formatted date, a number in scientific notation, a
//! non-breaking space, an autocorrected quote. Each is named with what the
//! spreadsheet did and how to stop it, and with the value the cell should
//! hold when only one value can be meant and it passes the column's rule.

use super::rules::passes;
use crate::bulk::template::Column;
use crate::fields::{country_calling_code, Cpr, Date};
use crate::lang::Lang;

/// A spreadsheet's change to a typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SpreadsheetMistake {
    PhonePlusLost,
    CprZeroLost,
    DateReformatted,
    ScientificNotation,
    NonBreakingSpace,
    SmartQuote,
}

impl SpreadsheetMistake {
    #[cfg(test)]
    pub(super) const ALL: [SpreadsheetMistake; 6] = [
        SpreadsheetMistake::PhonePlusLost,
        SpreadsheetMistake::CprZeroLost,
        SpreadsheetMistake::DateReformatted,
        SpreadsheetMistake::ScientificNotation,
        SpreadsheetMistake::NonBreakingSpace,
        SpreadsheetMistake::SmartQuote,
    ];

    /// The finding's code.
    pub(super) fn code(self) -> &'static str {
        match self {
            SpreadsheetMistake::PhonePlusLost => "spreadsheet_phone_plus_lost",
            SpreadsheetMistake::CprZeroLost => "spreadsheet_cpr_zero_lost",
            SpreadsheetMistake::DateReformatted => "spreadsheet_date_reformatted",
            SpreadsheetMistake::ScientificNotation => "spreadsheet_scientific_notation",
            SpreadsheetMistake::NonBreakingSpace => "spreadsheet_non_breaking_space",
            SpreadsheetMistake::SmartQuote => "spreadsheet_smart_quote",
        }
    }
}

/// A failing cell recognized as a spreadsheet's doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recognized {
    pub kind: SpreadsheetMistake,
    /// What the spreadsheet did and how to stop it; never a whole CPR number.
    pub message: String,
    /// The value the cell should hold; it passes the column's rule.
    pub suggestion: Option<String>,
}

/// What a spreadsheet probably did to `value` (a trimmed cell of `column`
/// that failed the column's rule), if it looks like any of the mistakes.
pub(super) fn recognize(column: Column, value: &str, today: Date, lang: Lang) -> Option<Recognized> {
    let (kind, message, suggestion) = if value.is_ascii() {
        ascii_mistake(column, value, today, lang)?
    } else {
        typographic_mistake(column, value, today, lang)?
    };
    // Every suggestion is re-checked by the column's own rule.
    let suggestion = suggestion.filter(|suggested| passes(column, suggested, today));
    Some(Recognized { kind, message, suggestion })
}

type Found = (SpreadsheetMistake, String, Option<String>);

/// The mistakes that leave only ASCII: numbers and dates re-written.
fn ascii_mistake(column: Column, value: &str, today: Date, lang: Lang) -> Option<Found> {
    if let Some(found) = scientific_notation(column, value, lang) {
        return Some(found);
    }
    match column {
        Column::Phone => {
            let suggestion = plus_restored(value)?;
            let message = lang
                .pick((
                    "Regnearket har sandsynligvis gjort {phone} til et tal og fjernet +; formatér kolonnen som tekst.",
                    "Your spreadsheet probably turned {phone} into a number and dropped the +; format the column as text.",
                    "Die Tabellenkalkulation hat {phone} vermutlich in eine Zahl verwandelt und das + entfernt; formatieren Sie die Spalte als Text.",
                ))
                .replace("{phone}", &suggestion);
            Some((SpreadsheetMistake::PhonePlusLost, message, Some(suggestion)))
        }
        Column::Cpr => {
            let cpr = zero_restored(value)?;
            let message = lang
                .pick((
                    "Regnearket har sandsynligvis gjort {cpr} til et tal og fjernet det foranstillede 0; formatér kolonnen som tekst.",
                    "Your spreadsheet probably turned {cpr} into a number and dropped its leading 0; format the column as text.",
                    "Die Tabellenkalkulation hat {cpr} vermutlich in eine Zahl verwandelt und die führende 0 entfernt; formatieren Sie die Spalte als Text.",
                ))
                .replace("{cpr}", &cpr.masked());
            Some((SpreadsheetMistake::CprZeroLost, message, Some(cpr.formatted())))
        }
        Column::BirthDate => reformatted_date(value, today, lang),
        _ => None,
    }
}

/// `+` and the digits of a phone cell of 10 to 15 digits that start with a
/// country calling code: what a spreadsheet makes of `+4512345678` typed
/// into a cell formatted as a number.
fn plus_restored(value: &str) -> Option<String> {
    ((10..=15).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) && country_calling_code(value).is_some())
        .then(|| format!("+{value}"))
}

/// The CPR number a cell of nine digits was before a spreadsheet dropped
/// its leading zero, when that number's date is real.
fn zero_restored(value: &str) -> Option<Cpr> {
    (value.len() == 9 && value.bytes().all(|b| b.is_ascii_digit())).then(|| Cpr::parse(&format!("0{value}")).ok())?
}

/// A number in scientific notation (`1,00346E+09`, `4.51E+9`) in a column
/// of digits, with the digits it stands for when its mantissa carries all
/// of them (none invented as trailing zeros), put in the column's form.
fn scientific_notation(column: Column, value: &str, lang: Lang) -> Option<Found> {
    if !matches!(column, Column::Phone | Column::Cpr | Column::PNumber | Column::SeNumber) {
        return None;
    }
    let (mantissa, exponent) = value.split_once(['E', 'e'])?;
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    let all_digits = |text: &str| text.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || exponent.is_empty() || exponent.len() > 2 || !all_digits(whole) || !all_digits(fraction) || !all_digits(exponent) {
        return None;
    }
    let restored = (fraction.len() == exponent.parse::<usize>().ok()? && !whole.starts_with('0'))
        .then(|| format!("{whole}{fraction}"))
        .and_then(|digits| in_column_form(column, &digits));
    let message = lang.pick(if restored.is_some() {
        (
            "Regnearket har skrevet tallet i videnskabelig notation; alle cifre er der endnu. Formatér kolonnen som tekst.",
            "Your spreadsheet wrote the number in scientific notation; every digit is still there. Format the column as text.",
            "Die Tabellenkalkulation hat die Zahl in wissenschaftlicher Notation geschrieben; alle Ziffern sind noch da. Formatieren Sie die Spalte als Text.",
        )
    } else {
        (
            "Regnearket har skrevet tallet i videnskabelig notation; cifre kan være gået tabt. Formatér kolonnen som tekst og skriv tallene igen.",
            "Your spreadsheet wrote the number in scientific notation; digits may be lost. Format the column as text and type the numbers again.",
            "Die Tabellenkalkulation hat die Zahl in wissenschaftlicher Notation geschrieben; Ziffern können verloren sein. Formatieren Sie die Spalte als Text und tippen Sie die Zahlen erneut.",
        )
    });
    Some((SpreadsheetMistake::ScientificNotation, message.to_owned(), restored))
}

/// Digits read back from a number, as the column holds them: a phone
/// number as it is or with its `+` restored, a CPR number `DDMMYY-SSSS`
/// with its leading zero restored if needed.
fn in_column_form(column: Column, digits: &str) -> Option<String> {
    match column {
        Column::Phone => Some(plus_restored(digits).unwrap_or_else(|| digits.to_owned())),
        Column::Cpr => Cpr::parse(digits).ok().or_else(|| zero_restored(digits)).map(|cpr| cpr.formatted()),
        _ => Some(digits.to_owned()),
    }
}

/// A birth date as a spreadsheet re-writes it: `DD/MM/YY`, `M/D/YYYY`,
/// `YYYY/MM/DD`, `DD.MM.YY`, or any accepted form followed by a time of
/// midnight (`1961-02-02 00:00:00`). Suggested as `DD-MM-YYYY` when only
/// one date can be meant: of a slashed date's two orders, those that give a
/// real date; of a two-digit year's two centuries, those not in the future
/// (a birth date cannot be), and not before 1900.
fn reformatted_date(value: &str, today: Date, lang: Lang) -> Option<Found> {
    let (date, time) = value.split_once(' ').unwrap_or((value, ""));
    if !time.is_empty() && !is_midnight(time) {
        return None;
    }
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let [first, second, third] = parts[..] else { return None };
    let separator = date.as_bytes()[first.len()];
    if date.as_bytes()[first.len() + 1 + second.len()] != separator {
        return None;
    }
    let number = |text: &str, lengths: &[usize]| (lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse::<u16>().ok())?;
    // (year as written, month, day) for each order the form allows.
    let orders: Vec<(&str, u16, u16)> = match separator {
        // A form the rule accepts is re-formatted only if a time follows it.
        b'-' if time.is_empty() => return None,
        b'-' | b'/' if first.len() == 4 => vec![(first, number(second, &[1, 2])?, number(third, &[1, 2])?)],
        b'/' => {
            let (a, b) = (number(first, &[1, 2])?, number(second, &[1, 2])?);
            vec![(third, b, a), (third, a, b)]
        }
        _ => vec![(third, number(second, &[1, 2])?, number(first, &[1, 2])?)],
    };
    let mut readings: Vec<Date> = Vec::new();
    let mut future_century = false;
    for (year, month, day) in orders {
        let centuries: &[u16] = match year.len() {
            4 => &[0],
            2 => &[1900, 2000],
            _ => return None,
        };
        for century in centuries {
            let Some(date) = Date::new(century + number(year, &[2, 4])?, month as u8, day as u8) else { continue };
            if date > today {
                future_century |= year.len() == 2;
            } else if date.year >= 1900 && !readings.contains(&date) {
                readings.push(date);
            }
        }
    }
    let as_written = |date: &Date| format!("{:02}-{:02}-{:04}", date.day, date.month, date.year);
    let mut message = lang
        .pick((
            "Regnearket har sandsynligvis omformateret datoen til {value}; formatér kolonnen som tekst og skriv datoer som DD-MM-ÅÅÅÅ.",
            "Your spreadsheet probably re-formatted the date as {value}; format the column as text and write dates as DD-MM-YYYY.",
            "Die Tabellenkalkulation hat das Datum vermutlich als {value} umformatiert; formatieren Sie die Spalte als Text und schreiben Sie Daten als TT-MM-JJJJ.",
        ))
        .replace("{value}", value);
    let suggestion = match &readings[..] {
        [] => return None,
        [only] => {
            message += &lang.pick((" Den kan kun være {date}.", " It can only be {date}.", " Es kann nur der {date} sein.")).replace("{date}", &as_written(only));
            if future_century {
                message += &lang
                    .pick((
                        " Læst som {year}: en fødselsdato kan ikke ligge i fremtiden.",
                        " Read as {year}: a birth date cannot be in the future.",
                        " Gelesen als {year}: ein Geburtsdatum kann nicht in der Zukunft liegen.",
                    ))
                    .replace("{year}", &only.year.to_string());
            }
            Some(as_written(only))
        }
        [all @ .., last] => {
            let or = lang.pick((" eller ", " or ", " oder "));
            let dates = format!("{}{or}{}", all.iter().map(as_written).collect::<Vec<_>>().join(", "), as_written(last));
            message += &lang
                .pick((
                    " Den kan være {dates}; se efter i regnearket, hvilken den er.",
                    " It could be {dates}; check which in the spreadsheet.",
                    " Es kann {dates} sein; prüfen Sie in der Tabelle, welches es ist.",
                ))
                .replace("{dates}", &dates);
            None
        }
    };
    Some((SpreadsheetMistake::DateReformatted, message, suggestion))
}

/// `0:00`, `00:00` or `00:00:00`: the time a spreadsheet adds to a date.
fn is_midnight(time: &str) -> bool {
    let mut parts = time.split(':');
    let zeros = |part: &str, lengths: &[usize]| lengths.contains(&part.len()) && part.bytes().all(|b| b == b'0');
    parts.next().is_some_and(|hours| zeros(hours, &[1, 2]))
        && parts.next().is_some_and(|minutes| zeros(minutes, &[2]))
        && parts.next().is_none_or(|seconds| zeros(seconds, &[2]))
        && parts.next().is_none()
}

/// Spaces that look like none (no-break, narrow, figure; zero-width) and
/// quotes that autocorrect curled: recognized only when the value with
/// them replaced passes the column's rule.
fn typographic_mistake(column: Column, value: &str, today: Date, lang: Lang) -> Option<Found> {
    // In a column of words an odd space stands for a space; in an address
    // or a number it stands for nothing.
    let spaced = matches!(column, Column::FirstName | Column::LastName | Column::IdentityMeans | Column::Roles | Column::Groups);
    if value.contains(['\u{a0}', '\u{202f}', '\u{2007}', '\u{200b}', '\u{feff}']) {
        let replaced: String = value
            .chars()
            .filter_map(|c| match c {
                '\u{a0}' | '\u{202f}' | '\u{2007}' => spaced.then_some(' '),
                '\u{200b}' | '\u{feff}' => None,
                other => Some(other),
            })
            .collect();
        let replaced = replaced.trim();
        if passes(column, replaced, today) {
            let message = lang.pick((
                "Cellen indeholder et hårdt eller usynligt mellemrum, som regneark og tekst kopieret fra websider eller Word indsætter; skriv et almindeligt mellemrum i stedet, eller intet.",
                "The cell contains a non-breaking or invisible space, as spreadsheets and text copied from web pages or Word insert; type a normal space instead, or none.",
                "Die Zelle enthält ein geschütztes oder unsichtbares Leerzeichen, wie es Tabellenkalkulationen und aus Webseiten oder Word kopierter Text einfügen; tippen Sie stattdessen ein normales Leerzeichen oder keines.",
            ));
            return Some((SpreadsheetMistake::NonBreakingSpace, message.to_owned(), Some(replaced.to_owned())));
        }
    }
    if value.contains(['’', '‘', 'ʼ', '‚', '‛', '“', '”', '„', '‟']) {
        let replaced: String = value
            .chars()
            .map(|c| match c {
                '’' | '‘' | 'ʼ' | '‚' | '‛' => '\'',
                '“' | '”' | '„' | '‟' => '"',
                other => other,
            })
            .collect();
        if passes(column, &replaced, today) {
            let message = lang.pick((
                "Autokorrektur har erstattet en apostrof eller et anførselstegn med et typografisk (’ “ ”); skriv ' eller \" i stedet, eller slå typografiske anførselstegn fra i regnearkets autokorrektur.",
                "Autocorrect replaced an apostrophe or quote with a typographic one (’ “ ”); type ' or \" instead, or turn smart quotes off in the spreadsheet's autocorrect options.",
                "Die Autokorrektur hat einen Apostroph oder ein Anführungszeichen durch ein typografisches ersetzt (’ „ “); tippen Sie ' oder \" oder schalten Sie typografische Anführungszeichen in der Autokorrektur aus.",
            ));
            return Some((SpreadsheetMistake::SmartQuote, message.to_owned(), Some(replaced)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::check::{check_bytes, Finding, Report};
    use crate::bulk::template::{Operation, COLUMNS};

    const TODAY: Date = Date { year: 2026, month: 12, day: 2 };

    /// A create file of one row: a clean person with `cells` put in.
    fn checked(cells: &[(Column, &str)], lang: Lang) -> Report {
        let mut row = COLUMNS.map(|column| match column {
            Column::FirstName => "Ida",
            Column::LastName => "Holm",
            Column::Email => "ida@example.dk",
            Column::BirthDate => "01-02-1985",
            _ => "",
        });
        for (column, value) in cells {
            row[column.number() - 1] = value;
        }
        // Joined as typed: `csv_line` would defuse a leading `+`.
        let file = format!("{}\n{}\n", COLUMNS.map(Column::header).join(";"), row.join(";"));
        check_bytes(file.as_bytes(), Operation::Create, lang, TODAY)
    }

    /// The one finding about `column`'s cell holding `value`.
    fn finding(column: Column, value: &str) -> Finding {
        let report = checked(&[(column, value)], Lang::En);
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.column == Some(column.number())).collect();
        assert_eq!(findings.len(), 1, "{value:?}: {:?}", report.findings);
        findings[0].clone()
    }

    fn suggested(column: Column, value: &str) -> (String, Option<String>) {
        let found = finding(column, value);
        (found.code, found.suggestion)
    }

    #[test]
    fn the_libreoffice_file_of_the_issue_gets_its_values_back() {
        let report = checked(&[(Column::Phone, "4512345678"), (Column::BirthDate, "02/02/61"), (Column::Cpr, "101901234")], Lang::En);
        let found: Vec<(&str, Option<&str>)> = report.findings.iter().map(|f| (f.code.as_str(), f.suggestion.as_deref())).collect();
        assert_eq!(
            found,
            [
                ("spreadsheet_cpr_zero_lost", Some("010190-1234")),
                ("spreadsheet_date_reformatted", Some("02-02-1961")),
                ("spreadsheet_phone_plus_lost", Some("+4512345678")),
            ]
        );
        assert_eq!(
            report.findings[2].message,
            "Your spreadsheet probably turned +4512345678 into a number and dropped the +; format the column as text."
        );
        assert!(report.findings[1].message.contains("Read as 1961: a birth date cannot be in the future."), "{}", report.findings[1].message);
        // The suggestions pass: the corrected row is clean.
        let corrected = checked(&[(Column::Phone, "+4512345678"), (Column::BirthDate, "02-02-1961"), (Column::Cpr, "010190-1234")], Lang::En);
        assert_eq!(corrected.findings, []);
    }

    #[test]
    fn no_message_in_any_language_shows_a_whole_cpr_number() {
        for lang in Lang::ALL {
            for value in ["101901234", "1.01901234E+08", "1,0190123E+08", "010190\u{a0}1234"] {
                let report = checked(&[(Column::Cpr, value)], lang);
                let found = &report.findings[0];
                assert!(found.code.starts_with("spreadsheet_"), "{value}: {found:?}");
                assert!(!found.message.contains("1234") && !found.message.contains("01901"), "{value}: {}", found.message);
                assert!(!found.value.as_deref().unwrap_or_default().contains("1234"), "{value}: {found:?}");
            }
        }
        let found = finding(Column::Cpr, "101901234");
        assert_eq!(found.value.as_deref(), Some("10190-****"));
        assert!(found.message.contains("010190-****"), "{}", found.message);
    }

    #[test]
    fn a_phone_without_its_plus_needs_a_country_code_and_10_to_15_digits() {
        for (digits, code) in [("4512345678", "45"), ("46701234567", "46"), ("358401234567", "358"), ("299123456789", "299"), ("12025550123", "1")] {
            assert_eq!(suggested(Column::Phone, digits), ("spreadsheet_phone_plus_lost".into(), Some(format!("+{digits}"))), "{code}");
        }
        // 28 is a spare code; 9 and 16 digits are no international number.
        for plain in ["2812345678", "451234567", "4512345678901234", "45-12345678"] {
            assert_eq!(finding(Column::Phone, plain).code, "phone_format", "{plain}");
        }
        assert_eq!(checked(&[(Column::Phone, "12345678")], Lang::En).findings, [], "a Danish number passes unchanged");
    }

    #[test]
    fn a_cpr_number_without_its_leading_zero_is_restored_only_to_a_real_date() {
        assert_eq!(suggested(Column::Cpr, "101901234"), ("spreadsheet_cpr_zero_lost".into(), Some("010190-1234".into())));
        // 0321901234 would be the 3rd of month 21.
        assert_eq!(finding(Column::Cpr, "321901234").code, "cpr_format");
        assert_eq!(finding(Column::Cpr, "10190-1234").code, "cpr_format");
        assert_eq!(checked(&[(Column::Cpr, "0101901234")], Lang::En).findings, []);
    }

    #[test]
    fn re_formatted_dates_are_suggested_only_when_one_date_can_be_meant() {
        let date = |value: &str| suggested(Column::BirthDate, value);
        let named = |suggestion: &str| ("spreadsheet_date_reformatted".to_owned(), Some(suggestion.to_owned()));
        assert_eq!(date("02/02/61"), named("02-02-1961"));
        assert_eq!(date("13/02/1985"), named("13-02-1985"), "no month 13: day first");
        assert_eq!(date("2/13/1985"), named("13-02-1985"), "no month 13: month first");
        assert_eq!(date("1985/02/13"), named("13-02-1985"));
        assert_eq!(date("13.02.85"), named("13-02-1985"));
        assert_eq!(date("1.2.1985"), named("01-02-1985"));
        assert_eq!(date("1985-02-01 00:00:00"), named("01-02-1985"));
        assert_eq!(date("1985-02-01 00:00"), named("01-02-1985"));
        assert_eq!(date("2/1/1985 0:00").1, None, "2 January or 1 February");
        assert_eq!(date("13/1/1985 0:00"), named("13-01-1985"));
        // 2026-12-13 would be after today; 1926 is the only reading.
        assert_eq!(date("13/12/26"), named("13-12-1926"));
        assert_eq!(date("13/11/26").1, None, "1926 and 2026 are both past");

        let ambiguous = finding(Column::BirthDate, "05/06/1985");
        assert_eq!((ambiguous.code.as_str(), ambiguous.suggestion.as_deref()), ("spreadsheet_date_reformatted", None));
        assert!(ambiguous.message.ends_with("It could be 05-06-1985 or 06-05-1985; check which in the spreadsheet."), "{}", ambiguous.message);
        let century = finding(Column::BirthDate, "02/02/05");
        assert_eq!(century.suggestion, None);
        assert!(century.message.contains("02-02-1905 or 02-02-2005"), "{}", century.message);

        // Not a date a spreadsheet wrote, or no birth date whichever way read.
        for other in ["1985-02-01 13:45", "31/31/1985", "02/02/2030", "02/02-1985", "02-02-85", "1985/13/01"] {
            assert_ne!(finding(Column::BirthDate, other).code, "spreadsheet_date_reformatted", "{other}");
        }
        assert_eq!(checked(&[(Column::BirthDate, "1985-02-01")], Lang::En).findings, []);
    }

    #[test]
    fn scientific_notation_is_restored_only_when_every_digit_is_there() {
        let science = |column: Column, value: &str| suggested(column, value);
        let named = |suggestion: Option<&str>| ("spreadsheet_scientific_notation".to_owned(), suggestion.map(str::to_owned));
        assert_eq!(science(Column::Phone, "4,512345678E+09"), named(Some("+4512345678")));
        assert_eq!(science(Column::PNumber, "1.234567891E+09"), named(Some("1234567891")));
        assert_eq!(science(Column::SeNumber, "1.2345678e7"), named(Some("12345678")));
        assert_eq!(science(Column::Cpr, "1.01901234E+08"), named(Some("010190-1234")));
        // The trailing zeros of 1003460000 may not be the digits typed.
        assert_eq!(science(Column::PNumber, "1,00346E+09"), named(None));
        assert_eq!(science(Column::Phone, "4.51E+9"), named(None));
        assert!(finding(Column::PNumber, "1,00346E+09").message.contains("digits may be lost"));
        assert_eq!(finding(Column::Phone, "4.5E-9").code, "phone_format");
        assert_eq!(finding(Column::FirstName, "1E+5").code, "name_characters");
    }

    #[test]
    fn odd_spaces_are_replaced_when_that_is_all_that_is_wrong() {
        let nbsp = |column: Column, value: &str| suggested(column, value);
        let named = |suggestion: &str| ("spreadsheet_non_breaking_space".to_owned(), Some(suggestion.to_owned()));
        assert_eq!(nbsp(Column::FirstName, "Anne\u{a0}Marie"), named("Anne Marie"));
        assert_eq!(nbsp(Column::LastName, "Holm\u{200b}"), named("Holm"));
        assert_eq!(nbsp(Column::Email, "ida\u{202f}@example.dk"), named("ida@example.dk"));
        assert_eq!(nbsp(Column::PNumber, "12345\u{2007}67890"), named("1234567890"));
        assert_eq!(nbsp(Column::Cpr, "010190\u{feff}1234"), named("0101901234"));
        assert_eq!(finding(Column::FirstName, "R2\u{a0}D2").code, "name_characters");
        // A phone's spaces are dropped by its rule, no-break ones too.
        assert_eq!(checked(&[(Column::Phone, "12\u{a0}34\u{a0}56\u{a0}78")], Lang::En).findings, []);
    }

    #[test]
    fn curled_quotes_are_straightened_when_that_is_all_that_is_wrong() {
        let named = |suggestion: &str| ("spreadsheet_smart_quote".to_owned(), Some(suggestion.to_owned()));
        assert_eq!(suggested(Column::LastName, "O‘Neill"), named("O'Neill"));
        assert_eq!(suggested(Column::Email, "o’neill@example.dk"), named("o'neill@example.dk"));
        // Names take ’ and ʼ as they are.
        assert_eq!(checked(&[(Column::LastName, "O’Neill"), (Column::FirstName, "Oʼa")], Lang::En).findings, []);
        // A name may not hold quotes of any kind.
        assert_eq!(finding(Column::FirstName, "“Bob”").code, "name_characters");
    }

    #[test]
    fn every_message_is_written_in_three_languages() {
        for (column, value) in [
            (Column::Phone, "4512345678"),
            (Column::Cpr, "101901234"),
            (Column::BirthDate, "02/02/61"),
            (Column::BirthDate, "05/06/1985"),
            (Column::PNumber, "1,00346E+09"),
            (Column::PNumber, "1.234567891E+09"),
            (Column::FirstName, "Anne\u{a0}Marie"),
            (Column::LastName, "O‘Neill"),
        ] {
            let messages = Lang::ALL.map(|lang| checked(&[(column, value)], lang).findings[0].message.clone());
            assert!(messages[0] != messages[1] && messages[1] != messages[2] && messages[0] != messages[2], "{messages:?}");
            assert!(!messages.iter().any(|m| m.contains('{')), "{messages:?}");
        }
    }
}
