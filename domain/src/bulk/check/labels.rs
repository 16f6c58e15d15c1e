//! A short human label for each kind of finding, for a summary that counts
//! findings by kind ("Birth date in wrong format: 26") instead of by code.

use super::Message;
use crate::lang::Lang;

/// Every code a `Finding` can carry: the checker's (the file, the header,
/// the row, each field rule, duplicates, spreadsheets' mistakes) and those
/// of the rows the Worker refuses on upload.
pub const FINDING_CODES: &[&str] = &[
    // The file and its header.
    "file_empty",
    "file_too_large",
    "too_many_rows",
    "header_duplicate",
    "header_unknown",
    "header_missing",
    // The row.
    "field_count",
    "too_few_keys",
    "required",
    "must_be_empty",
    // The field rules (`FieldError::code`).
    "email_empty",
    "email_too_long",
    "email_contains_space",
    "email_malformed",
    "name_empty",
    "name_too_long",
    "name_characters",
    "cpr_format",
    "cpr_date",
    "birth_date_format",
    "birth_date_invalid",
    "birth_date_future",
    "birth_date_too_early",
    "phone_format",
    "p_number_format",
    "se_number_format",
    "cvr_format",
    "cvr_checksum",
    "identity_means_unknown",
    "yes_no",
    "application_name",
    "group_name",
    "text_too_long",
    "uuid_format",
    "cpr_or_birth_date_required",
    "anonymous_fixed",
    // Keys repeated in the file.
    "duplicate_uuid",
    "duplicate_email",
    "duplicate_cpr",
    // What a spreadsheet did to a typed value.
    "spreadsheet_phone_plus_lost",
    "spreadsheet_cpr_zero_lost",
    "spreadsheet_date_reformatted",
    "spreadsheet_scientific_notation",
    "spreadsheet_non_breaking_space",
    "spreadsheet_smart_quote",
    // Rows the Worker refuses against what is stored.
    "email_taken",
    "cpr_taken",
    "p_number_unknown",
    "se_number_unknown",
    "identity_means_not_allowed",
    "user_not_found",
    "keys_disagree",
    "not_allowed",
    "unknown_application",
    "unknown_group",
    "system_group",
];

/// A short label for findings of `code`, in `lang`; an unknown code is
/// its own label.
pub fn kind_label(code: &str, lang: Lang) -> String {
    label(code).map_or_else(|| code.to_owned(), |texts| lang.pick(texts).to_owned())
}

fn label(code: &str) -> Option<Message> {
    Some(match code {
        "file_empty" => ("Tom fil", "Empty file", "Leere Datei"),
        "file_too_large" => ("Filen er for stor", "File too large", "Datei zu groß"),
        "too_many_rows" => ("For mange rækker", "Too many rows", "Zu viele Zeilen"),
        "header_duplicate" => ("Kolonne to gange", "Column appears twice", "Spalte doppelt"),
        "header_unknown" => ("Ukendt kolonne", "Unknown column", "Unbekannte Spalte"),
        "header_missing" => ("Manglende kolonne", "Missing column", "Fehlende Spalte"),
        "field_count" => ("Forkert antal felter", "Wrong number of fields", "Falsche Anzahl Felder"),
        "too_few_keys" => ("For få nøgler (UUID, e-mail, CPR)", "Too few keys (UUID, e-mail, CPR)", "Zu wenige Schlüssel (UUID, E-Mail, CPR)"),
        "required" => ("Tomt felt, der skal udfyldes", "Required field empty", "Pflichtfeld leer"),
        "must_be_empty" => ("Felt, der skal være tomt", "Field must be empty", "Feld muss leer sein"),
        "email_empty" => ("E-mail mangler", "E-mail missing", "E-Mail fehlt"),
        "email_too_long" => ("E-mail for lang", "E-mail too long", "E-Mail zu lang"),
        "email_contains_space" => ("Mellemrum i e-mail", "Space in e-mail", "Leerzeichen in E-Mail"),
        "email_malformed" => ("Ugyldig e-mail", "Invalid e-mail address", "Ungültige E-Mail-Adresse"),
        "name_empty" => ("Navn mangler", "Name missing", "Name fehlt"),
        "name_too_long" => ("Navn for langt", "Name too long", "Name zu lang"),
        "name_characters" => ("Ugyldige tegn i navn", "Invalid characters in name", "Ungültige Zeichen im Namen"),
        "cpr_format" => ("CPR-nummer i forkert format", "CPR number in wrong format", "CPR-Nummer im falschen Format"),
        "cpr_date" => ("CPR-nummer uden gyldig dato", "CPR number without a real date", "CPR-Nummer ohne gültiges Datum"),
        "birth_date_format" => ("Fødselsdato i forkert format", "Birth date in wrong format", "Geburtsdatum im falschen Format"),
        "birth_date_invalid" => ("Ugyldig fødselsdato", "Birth date not a real date", "Ungültiges Geburtsdatum"),
        "birth_date_future" => ("Fødselsdato i fremtiden", "Birth date in the future", "Geburtsdatum in der Zukunft"),
        "birth_date_too_early" => ("Fødselsdato før 1900", "Birth date before 1900", "Geburtsdatum vor 1900"),
        "phone_format" => ("Ugyldigt telefonnummer", "Invalid phone number", "Ungültige Telefonnummer"),
        "p_number_format" => ("Ugyldigt P-nummer", "Invalid P-number", "Ungültige P-Nummer"),
        "se_number_format" => ("Ugyldigt SE-nummer", "Invalid SE number", "Ungültige SE-Nummer"),
        "cvr_format" => ("CVR-nummer ikke 8 cifre", "CVR number not 8 digits", "CVR-Nummer nicht 8 Ziffern"),
        "cvr_checksum" => ("Ugyldigt CVR-nummer", "Invalid CVR number", "Ungültige CVR-Nummer"),
        "identity_means_unknown" => ("Ukendt identifikationsmiddel", "Unknown identity means", "Unbekanntes Identifikationsmittel"),
        "yes_no" => ("Hverken Ja eller Nej", "Neither Yes nor No", "Weder Ja noch Nein"),
        "application_name" => ("Ugyldigt applikationsnavn", "Invalid application name", "Ungültiger Anwendungsname"),
        "group_name" => ("Ugyldigt gruppenavn", "Invalid group name", "Ungültiger Gruppenname"),
        "text_too_long" => ("Tekst for lang", "Text too long", "Text zu lang"),
        "uuid_format" => ("Ugyldig UUID", "Invalid UUID", "Ungültige UUID"),
        "cpr_or_birth_date_required" => ("Hverken CPR-nummer eller fødselsdato", "Neither CPR number nor birth date", "Weder CPR-Nummer noch Geburtsdatum"),
        "anonymous_fixed" => ("Anonymitet kan ikke ændres", "Anonymity cannot change", "Anonymität nicht änderbar"),
        "duplicate_uuid" => ("UUID to gange i filen", "UUID twice in the file", "UUID doppelt in der Datei"),
        "duplicate_email" => ("E-mail to gange i filen", "E-mail twice in the file", "E-Mail doppelt in der Datei"),
        "duplicate_cpr" => ("CPR-nummer to gange i filen", "CPR number twice in the file", "CPR-Nummer doppelt in der Datei"),
        "spreadsheet_phone_plus_lost" => ("Regnearket fjernede + i telefonnummer", "Spreadsheet dropped a phone number's +", "Tabellenkalkulation entfernte + der Telefonnummer"),
        "spreadsheet_cpr_zero_lost" => ("Regnearket fjernede CPR-nummerets første 0", "Spreadsheet dropped a CPR number's leading 0", "Tabellenkalkulation entfernte führende 0 der CPR-Nummer"),
        "spreadsheet_date_reformatted" => ("Regnearket omformaterede en dato", "Spreadsheet re-formatted a date", "Tabellenkalkulation formatierte ein Datum um"),
        "spreadsheet_scientific_notation" => ("Tal i videnskabelig notation", "Number in scientific notation", "Zahl in wissenschaftlicher Notation"),
        "spreadsheet_non_breaking_space" => ("Hårdt eller usynligt mellemrum", "Non-breaking or invisible space", "Geschütztes oder unsichtbares Leerzeichen"),
        "spreadsheet_smart_quote" => ("Typografisk apostrof eller anførselstegn", "Typographic apostrophe or quote", "Typografischer Apostroph oder Anführungszeichen"),
        "email_taken" => ("E-mail bruges allerede", "E-mail already in use", "E-Mail bereits vergeben"),
        "cpr_taken" => ("CPR-nummer bruges allerede", "CPR number already in use", "CPR-Nummer bereits vergeben"),
        "p_number_unknown" => ("P-nummer ukendt i organisationen", "P-number not the organization's", "P-Nummer nicht der Organisation"),
        "se_number_unknown" => ("SE-nummer ukendt i organisationen", "SE number not the organization's", "SE-Nummer nicht der Organisation"),
        "identity_means_not_allowed" => ("Identifikationsmiddel ikke tilladt", "Identity means not allowed", "Identifikationsmittel nicht erlaubt"),
        "user_not_found" => ("Bruger ikke fundet", "User not found", "Benutzer nicht gefunden"),
        "keys_disagree" => ("Nøglerne peger på forskellige brugere", "Keys point to different users", "Schlüssel zeigen auf verschiedene Benutzer"),
        "not_allowed" => ("Ikke tilladt for dig", "Not allowed for you", "Für Sie nicht erlaubt"),
        "unknown_application" => ("Ukendt applikation", "Unknown application", "Unbekannte Anwendung"),
        "unknown_group" => ("Ukendt gruppe", "Unknown group", "Unbekannte Gruppe"),
        "system_group" => ("P-enhedens systemgruppe", "A P-unit's system group", "Systemgruppe einer P-Einheit"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::check::spreadsheet::SpreadsheetMistake;
    use crate::bulk::check::FileProblem;
    use crate::fields::FieldError;
    use crate::user_form::StoredConflict;

    #[test]
    fn every_code_of_every_rule_is_listed() {
        let conflicts = [
            StoredConflict::EmailTaken,
            StoredConflict::CprTaken,
            StoredConflict::PNumberUnknown,
            StoredConflict::SeNumberUnknown,
            StoredConflict::IdentityMeansNotAllowed,
        ];
        let from_rules = FieldError::ALL
            .iter()
            .map(|error| error.code())
            .chain(FileProblem::ALL.iter().map(|problem| problem.code()))
            .chain(SpreadsheetMistake::ALL.iter().map(|mistake| mistake.code()))
            .chain(conflicts.iter().map(|conflict| conflict.code()))
            .chain(super::super::duplicates::KEY_COLUMNS.iter().map(|(_, code)| *code));
        for code in from_rules {
            assert!(FINDING_CODES.contains(&code), "{code} is not in FINDING_CODES");
        }
        let mut codes = FINDING_CODES.to_vec();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), FINDING_CODES.len(), "a code is listed twice");
    }

    #[test]
    fn every_code_has_its_own_label_in_each_language() {
        for lang in Lang::ALL {
            let mut labels = Vec::new();
            for code in FINDING_CODES {
                let label = kind_label(code, lang);
                assert!(!label.is_empty() && label != *code, "{code} has no {lang:?} label");
                labels.push(label);
            }
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), FINDING_CODES.len(), "two kinds share a {lang:?} label");
        }
        assert_eq!(kind_label("birth_date_format", Lang::En), "Birth date in wrong format");
        assert_eq!(kind_label("spreadsheet_phone_plus_lost", Lang::Da), "Regnearket fjernede + i telefonnummer");
        assert_eq!(kind_label("something_new", Lang::De), "something_new");
    }
}
