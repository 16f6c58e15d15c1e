//! The field types of product.md §2. Each `parse` trims its input and returns
//! either a value that is known good or a `FieldError` with a stable code.
//! This module owns `FieldError`; each kind of field has its own module, re-exported here.

mod choices;
mod cpr;
mod dates;
mod names;
mod numbers;

pub use choices::{parse_yes_no, IdentityMeans};
pub use cpr::{mask_cpr_input, Cpr};
pub use dates::{parse_birth_date, Date};
pub use names::{parse_application_names, parse_free_text, parse_group_names, Name};
pub use numbers::{check_phone, country_calling_code, parse_cvr, parse_p_number, parse_phone, parse_se_number, parse_uuid, uuid_key};

use crate::email::{Email, EmailError};
use crate::lang::Lang;

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
    /// Every error, each e-mail error included: what a list of all the
    /// codes a finding can carry is built and tested from.
    pub const ALL: [FieldError; 26] = [
        FieldError::Email(EmailError::Empty),
        FieldError::Email(EmailError::TooLong),
        FieldError::Email(EmailError::ContainsSpace),
        FieldError::Email(EmailError::Malformed),
        FieldError::NameEmpty,
        FieldError::NameTooLong,
        FieldError::NameCharacters,
        FieldError::CprFormat,
        FieldError::CprDate,
        FieldError::BirthDateFormat,
        FieldError::BirthDateInvalid,
        FieldError::BirthDateFuture,
        FieldError::BirthDateTooEarly,
        FieldError::Phone,
        FieldError::PNumber,
        FieldError::SeNumber,
        FieldError::CvrFormat,
        FieldError::CvrChecksum,
        FieldError::IdentityMeans,
        FieldError::YesNo,
        FieldError::ApplicationName,
        FieldError::GroupName,
        FieldError::TextTooLong,
        FieldError::Uuid,
        FieldError::CprOrBirthDateRequired,
        FieldError::AnonymousFixed,
    ];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_listed_once_with_its_own_code() {
        let mut codes: Vec<&str> = FieldError::ALL.iter().map(|error| error.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), FieldError::ALL.len());
    }

    #[test]
    fn every_message_exists_in_three_languages() {
        for error in FieldError::ALL {
            let texts = [error.message(Lang::Da), error.message(Lang::En), error.message(Lang::De)];
            assert!(texts.iter().all(|t| !t.is_empty()));
            assert_ne!(texts[0], texts[1]);
            assert_ne!(texts[1], texts[2]);
        }
    }
}
