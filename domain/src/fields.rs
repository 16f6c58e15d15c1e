//! The field types of product.md §2. Each `parse` trims its input and returns
//! either a value that is known good or a `FieldError` with a stable code.

use std::fmt;

use crate::email::{Email, EmailError};
use crate::lang::Lang;
use crate::text::trim;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("{0}")]
    Email(EmailError),
    #[error("name is empty")]
    NameEmpty,
    #[error("name is longer than 100 characters")]
    NameTooLong,
    #[error("name has characters other than letters, spaces, hyphens, apostrophes and periods")]
    NameCharacters,
    #[error("CPR number must be DDMMYY-SSSS or DDMMYYSSSS")]
    CprFormat,
    #[error("CPR number does not start with a real date")]
    CprDate,
    #[error("birth date must be DD-MM-YYYY or YYYY-MM-DD")]
    BirthDateFormat,
    #[error("birth date is not a real date")]
    BirthDateInvalid,
    #[error("birth date is in the future")]
    BirthDateFuture,
    #[error("birth date is before 1900")]
    BirthDateTooEarly,
    #[error("phone must be + and 8-15 digits, or 8 digits")]
    Phone,
    #[error("P-number must be 10 digits")]
    PNumber,
    #[error("SE number must be 8 digits")]
    SeNumber,
    #[error("CVR number must be 8 digits")]
    CvrFormat,
    #[error("CVR number fails the modulus-11 check")]
    CvrChecksum,
    #[error("unknown identity means")]
    IdentityMeans,
    #[error("must be Ja/Nej, Yes/No, true/false or 1/0")]
    YesNo,
    #[error("an application name is empty or longer than 80 characters")]
    ApplicationName,
    #[error("a group name is empty or longer than 100 characters")]
    GroupName,
    #[error("text is longer than 100 characters")]
    TextTooLong,
    #[error("UUID is not valid")]
    Uuid,
    #[error("a CPR number or a birth date is required")]
    CprOrBirthDateRequired,
    #[error("anonymity is fixed when the user is created")]
    AnonymousFixed,
}

impl FieldError {
    /// A stable code, for programs and for the error table's filter.
    pub fn code(self) -> &'static str {
        match self {
            FieldError::Email(error) => error.code(),
            FieldError::NameEmpty => "name_empty",
            FieldError::NameTooLong => "name_too_long",
            FieldError::NameCharacters => "name_characters",
            FieldError::CprFormat => "cpr_format",
            FieldError::CprDate => "cpr_date",
            FieldError::BirthDateFormat => "birth_date_format",
            FieldError::BirthDateInvalid => "birth_date_invalid",
            FieldError::BirthDateFuture => "birth_date_future",
            FieldError::BirthDateTooEarly => "birth_date_too_early",
            FieldError::Phone => "phone_format",
            FieldError::PNumber => "p_number_format",
            FieldError::SeNumber => "se_number_format",
            FieldError::CvrFormat => "cvr_format",
            FieldError::CvrChecksum => "cvr_checksum",
            FieldError::IdentityMeans => "identity_means_unknown",
            FieldError::YesNo => "yes_no",
            FieldError::ApplicationName => "application_name",
            FieldError::GroupName => "group_name",
            FieldError::TextTooLong => "text_too_long",
            FieldError::Uuid => "uuid_format",
            FieldError::CprOrBirthDateRequired => "cpr_or_birth_date_required",
            FieldError::AnonymousFixed => "anonymous_fixed",
        }
    }

    pub fn message(self, lang: Lang) -> String {
        let texts = match self {
            FieldError::Email(EmailError::Empty) => ("E-mail mangler.", "The e-mail address is empty.", "Die E-Mail-Adresse fehlt."),
            FieldError::Email(EmailError::TooLong) => ("E-mail er længere end 254 tegn.", "The e-mail address is longer than 254 characters.", "Die E-Mail-Adresse ist länger als 254 Zeichen."),
            FieldError::Email(EmailError::ContainsSpace) => ("E-mail må ikke indeholde mellemrum.", "The e-mail address must not contain spaces.", "Die E-Mail-Adresse darf keine Leerzeichen enthalten."),
            FieldError::Email(EmailError::Malformed) => ("E-mail skal have formen navn@eksempel.dk.", "The e-mail address must look like name@example.com.", "Die E-Mail-Adresse muss die Form name@beispiel.de haben."),
            FieldError::NameEmpty => ("Navnet mangler.", "The name is empty.", "Der Name fehlt."),
            FieldError::NameTooLong => ("Navnet er længere end 100 tegn.", "The name is longer than 100 characters.", "Der Name ist länger als 100 Zeichen."),
            FieldError::NameCharacters => ("Navnet må kun indeholde bogstaver, mellemrum, bindestreg, apostrof og punktum.", "The name may contain only letters, spaces, hyphens, apostrophes and periods.", "Der Name darf nur Buchstaben, Leerzeichen, Bindestriche, Apostrophe und Punkte enthalten."),
            FieldError::CprFormat => ("CPR-nummeret skal skrives DDMMÅÅ-SSSS eller DDMMÅÅSSSS.", "The CPR number must be DDMMYY-SSSS or DDMMYYSSSS.", "Die CPR-Nummer muss TTMMJJ-SSSS oder TTMMJJSSSS lauten."),
            FieldError::CprDate => ("CPR-nummeret begynder ikke med en gyldig dato.", "The CPR number does not start with a real date.", "Die CPR-Nummer beginnt nicht mit einem gültigen Datum."),
            FieldError::BirthDateFormat => ("Fødselsdatoen skal skrives DD-MM-ÅÅÅÅ eller ÅÅÅÅ-MM-DD.", "The birth date must be DD-MM-YYYY or YYYY-MM-DD.", "Das Geburtsdatum muss TT-MM-JJJJ oder JJJJ-MM-TT lauten."),
            FieldError::BirthDateInvalid => ("Fødselsdatoen er ikke en gyldig dato.", "The birth date is not a real date.", "Das Geburtsdatum ist kein gültiges Datum."),
            FieldError::BirthDateFuture => ("Fødselsdatoen ligger i fremtiden.", "The birth date is in the future.", "Das Geburtsdatum liegt in der Zukunft."),
            FieldError::BirthDateTooEarly => ("Fødselsdatoen ligger før 1900.", "The birth date is before 1900.", "Das Geburtsdatum liegt vor 1900."),
            FieldError::Phone => ("Telefonnummeret skal være + og 8-15 cifre eller 8 cifre.", "The phone number must be + and 8 to 15 digits, or 8 digits.", "Die Telefonnummer muss + und 8 bis 15 Ziffern oder 8 Ziffern sein."),
            FieldError::PNumber => ("P-nummeret skal være 10 cifre.", "The P-number must be 10 digits.", "Die P-Nummer muss 10 Ziffern haben."),
            FieldError::SeNumber => ("SE-nummeret skal være 8 cifre.", "The SE number must be 8 digits.", "Die SE-Nummer muss 8 Ziffern haben."),
            FieldError::CvrFormat => ("CVR-nummeret skal være 8 cifre.", "The CVR number must be 8 digits.", "Die CVR-Nummer muss 8 Ziffern haben."),
            FieldError::CvrChecksum => ("CVR-nummeret er ikke gyldigt (modulus 11).", "The CVR number is not valid (modulus 11).", "Die CVR-Nummer ist ungültig (Modulo 11)."),
            FieldError::IdentityMeans => ("Ukendt identifikationsmiddel (brug password, totp, passkey).", "Unknown identity means (use password, totp, passkey).", "Unbekanntes Identifikationsmittel (password, totp, passkey verwenden)."),
            FieldError::YesNo => ("Skal være Ja eller Nej.", "Must be Yes or No.", "Muss Ja oder Nein sein."),
            FieldError::ApplicationName => ("Et applikationsnavn er tomt eller længere end 80 tegn.", "An application name is empty or longer than 80 characters.", "Ein Anwendungsname ist leer oder länger als 80 Zeichen."),
            FieldError::GroupName => ("Et gruppenavn er tomt eller længere end 100 tegn.", "A group name is empty or longer than 100 characters.", "Ein Gruppenname ist leer oder länger als 100 Zeichen."),
            FieldError::TextTooLong => ("Teksten er længere end 100 tegn.", "The text is longer than 100 characters.", "Der Text ist länger als 100 Zeichen."),
            FieldError::Uuid => ("UUID er ikke gyldig.", "The UUID is not valid.", "Die UUID ist ungültig."),
            FieldError::CprOrBirthDateRequired => ("Angiv CPR-nummer eller fødselsdato.", "Give a CPR number or a birth date.", "Geben Sie eine CPR-Nummer oder ein Geburtsdatum an."),
            FieldError::AnonymousFixed => ("Anonymitet fastlægges, når brugeren oprettes; slet og opret brugeren for at ændre den.", "Anonymity is fixed when the user is created; delete and re-create the user to change it.", "Die Anonymität wird beim Anlegen festgelegt; zum Ändern den Benutzer löschen und neu anlegen."),
        };
        lang.pick(texts).to_owned()
    }
}

impl From<EmailError> for FieldError {
    fn from(error: EmailError) -> Self {
        FieldError::Email(error)
    }
}

pub fn parse_email(input: &str) -> Result<Email, FieldError> {
    Ok(Email::parse(input)?)
}

/// A first or last name: 1–100 characters after trimming; letters of any
/// script, spaces, hyphens, apostrophes and periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(input: &str) -> Result<Name, FieldError> {
        Self::check(input).map(|name| Name(name.to_owned()))
    }

    /// The rule without keeping the value (the bulk check's hot path):
    /// the trimmed name, or why it is not one.
    pub fn check(input: &str) -> Result<&str, FieldError> {
        let name = trim(input);
        if name.is_empty() {
            return Err(FieldError::NameEmpty);
        }
        if name.is_ascii() { check_ascii_name(name) } else { check_any_name(name) }.map(|()| name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name rule for any trimmed, non-empty name.
fn check_any_name(name: &str) -> Result<(), FieldError> {
    if name.chars().count() > Name::MAX_CHARS {
        return Err(FieldError::NameTooLong);
    }
    // Combining marks are allowed so that decomposed letters (e + ◌́) pass.
    let allowed = |c: char| c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '-' | '\'' | '’' | '.');
    if !name.chars().all(allowed) {
        return Err(FieldError::NameCharacters);
    }
    Ok(())
}

/// `check_any_name` for an ASCII name, byte by byte (a test holds the two
/// together).
fn check_ascii_name(name: &str) -> Result<(), FieldError> {
    if name.len() > Name::MAX_CHARS {
        return Err(FieldError::NameTooLong);
    }
    if !name.bytes().all(|b| b.is_ascii_alphabetic() || matches!(b, b' ' | b'-' | b'\'' | b'.')) {
        return Err(FieldError::NameCharacters);
    }
    Ok(())
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

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
fn digits(text: &str) -> Option<([u8; 10], usize)> {
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

fn number(digits: &[u8]) -> u16 {
    digits.iter().fold(0, |n, d| n * 10 + u16::from(*d))
}

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
/// or report ever repeats the serial part.
pub fn mask_cpr_input(input: &str) -> String {
    let visible: String = input.trim().chars().take(6).collect();
    format!("{visible}-****")
}

impl fmt::Debug for Cpr {
    /// Never print the number, even in a debug dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cpr({})", self.masked())
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityMeans {
    Password,
    Totp,
    Passkey,
}

impl IdentityMeans {
    pub const ALL: [IdentityMeans; 3] = [IdentityMeans::Password, IdentityMeans::Totp, IdentityMeans::Passkey];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentityMeans::Password => "password",
            IdentityMeans::Totp => "totp",
            IdentityMeans::Passkey => "passkey",
        }
    }

    fn named(item: &str) -> Result<IdentityMeans, FieldError> {
        Self::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(item)).ok_or(FieldError::IdentityMeans)
    }

    fn items(input: &str) -> impl Iterator<Item = &str> {
        input.split(',').map(trim).filter(|item| !item.is_empty())
    }

    /// A comma-separated list, e.g. `password, totp`; duplicates collapse.
    pub fn parse_list(input: &str) -> Result<Vec<IdentityMeans>, FieldError> {
        let mut means = Vec::new();
        for item in Self::items(input) {
            let found = Self::named(item)?;
            if !means.contains(&found) {
                means.push(found);
            }
        }
        means.sort();
        Ok(means)
    }

    /// The list rule without keeping the value (the bulk check's hot path).
    pub fn check_list(input: &str) -> Result<(), FieldError> {
        Self::items(input).try_for_each(|item| Self::named(item).map(|_| ()))
    }
}

/// Ja/Nej, Yes/No, true/false, 1/0 in any case.
pub fn parse_yes_no(input: &str) -> Result<bool, FieldError> {
    let text = trim(input);
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if is("ja") || is("yes") || is("true") || is("1") {
        Ok(true)
    } else if is("nej") || is("no") || is("false") || is("0") {
        Ok(false)
    } else {
        Err(FieldError::YesNo)
    }
}

/// Comma-separated application names (the Rettigheder column), each 1–80
/// characters, as an organization administrator names them.
pub fn parse_application_names(input: &str) -> Result<Vec<String>, FieldError> {
    name_list(input, crate::applications::MAX_NAME_CHARS, FieldError::ApplicationName)
}

/// Comma-separated group names, each 1–100 characters.
pub fn parse_group_names(input: &str) -> Result<Vec<String>, FieldError> {
    name_list(input, 100, FieldError::GroupName)
}

/// Names separated by commas, each 1–`max_chars` characters; repeats once.
fn name_list(input: &str, max_chars: usize, error: FieldError) -> Result<Vec<String>, FieldError> {
    let mut names = Vec::new();
    if trim(input).is_empty() {
        return Ok(names);
    }
    for name in input.split(',').map(trim) {
        if name.is_empty() || name.chars().count() > max_chars {
            return Err(error);
        }
        if !names.iter().any(|known: &String| known == name) {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

/// One of the three free optional fields: at most 100 characters.
pub fn parse_free_text(input: &str) -> Result<String, FieldError> {
    let text = input.trim();
    (text.chars().count() <= 100).then(|| text.to_owned()).ok_or(FieldError::TextTooLong)
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
    use proptest::prelude::*;

    proptest! {
        /// The byte-by-byte rule for ASCII names decides as the general one.
        #[test]
        fn ascii_names_are_checked_as_any_other(name in "[ a-zA-Z0-9.'_-]{1,102}") {
            prop_assert_eq!(check_ascii_name(&name), check_any_name(&name), "{:?}", name);
        }
    }

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
    fn cpr_numbers_with_letters_of_any_width_are_refused_not_panicked_on() {
        for input in ["01020ø234", "0102031æ34", "010203–1234", "ØØØØØØØØØØ"] {
            assert_eq!(Cpr::key_of(input), Err(FieldError::CprFormat), "{input}");
        }
        assert_eq!(Cpr::key_of(" 010203-1234 "), Ok(102_031_234));
        assert_eq!(Cpr::parse("0102031234").unwrap().formatted(), "010203-1234");
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
    fn names_of_any_script_pass_and_symbols_do_not() {
        for good in ["Anne", "Søren Ærø", "Jean-Luc", "O'Neill", "J. R.", "Zoë", "Дмитрий", "李", "Åse"] {
            assert!(Name::parse(good).is_ok(), "{good}");
        }
        assert_eq!(Name::parse("  ").unwrap_err(), FieldError::NameEmpty);
        assert_eq!(Name::parse("R2D2").unwrap_err(), FieldError::NameCharacters);
        assert_eq!(Name::parse("a@b").unwrap_err(), FieldError::NameCharacters);
        assert_eq!(Name::parse(&"a".repeat(101)).unwrap_err(), FieldError::NameTooLong);
        assert!(Name::parse(&"æ".repeat(100)).is_ok(), "the limit counts characters, not bytes");
        assert_eq!(Name::parse(" Anne ").unwrap().as_str(), "Anne");
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
    }

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
    fn lists_yes_no_and_uuids() {
        assert_eq!(IdentityMeans::parse_list("TOTP, password,totp").unwrap(), [IdentityMeans::Password, IdentityMeans::Totp]);
        assert_eq!(IdentityMeans::parse_list("sms").unwrap_err(), FieldError::IdentityMeans);
        for yes in ["Ja", "JA", "yes", "True", "1"] {
            assert_eq!(parse_yes_no(yes), Ok(true), "{yes}");
        }
        for no in ["nej", "No", "FALSE", "0"] {
            assert_eq!(parse_yes_no(no), Ok(false), "{no}");
        }
        assert_eq!(parse_yes_no("måske").unwrap_err(), FieldError::YesNo);
        assert_eq!(parse_application_names("Invoicing, Travel booking,Invoicing").unwrap(), ["Invoicing", "Travel booking"]);
        assert_eq!(parse_application_names(&"x".repeat(81)).unwrap_err(), FieldError::ApplicationName);
        assert_eq!(parse_group_names("Salg, Lager").unwrap(), ["Salg", "Lager"]);
        assert_eq!(parse_group_names("Salg,,Lager").unwrap_err(), FieldError::GroupName);
        assert!(parse_group_names("").unwrap().is_empty());
        assert!(parse_uuid("0B6B6C52-5A0E-4E2F-8D57-4C1E8A3F9A01").is_ok());
        assert_eq!(parse_uuid("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a0").unwrap_err(), FieldError::Uuid);
        assert_eq!(uuid_key("0B6B6C52-5A0E-4E2F-8D57-4C1E8A3F9A01"), uuid_key(" 0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a01"));
        assert_eq!(uuid_key("00000000-0000-0000-0000-0000000000ff"), Ok(255));
        assert_eq!(uuid_key("0b6b6c52+5a0e-4e2f-8d57-4c1e8a3f9a01"), Err(FieldError::Uuid));
        assert_eq!(uuid_key("0b6b6c52-5a0e-4e2f-8d57-4c1e8a3f9a0g"), Err(FieldError::Uuid));
        assert_eq!(parse_free_text(&"x".repeat(101)).unwrap_err(), FieldError::TextTooLong);
    }

    #[test]
    fn every_message_exists_in_three_languages() {
        let errors = [FieldError::NameEmpty, FieldError::CprFormat, FieldError::YesNo, FieldError::Email(EmailError::Malformed)];
        for error in errors {
            let texts = [error.message(Lang::Da), error.message(Lang::En), error.message(Lang::De)];
            assert!(texts.iter().all(|t| !t.is_empty()));
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
        }
    }
}
