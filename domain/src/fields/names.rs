//! Text a person types: names (`Name`), application and group name lists, free text.

use super::FieldError;
use crate::text::trim;

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
    fn application_and_group_name_lists_and_free_text() {
        assert_eq!(parse_application_names("Invoicing, Travel booking,Invoicing").unwrap(), ["Invoicing", "Travel booking"]);
        assert_eq!(parse_application_names(&"x".repeat(81)).unwrap_err(), FieldError::ApplicationName);
        assert_eq!(parse_group_names("Salg, Lager").unwrap(), ["Salg", "Lager"]);
        assert_eq!(parse_group_names("Salg,,Lager").unwrap_err(), FieldError::GroupName);
        assert!(parse_group_names("").unwrap().is_empty());
        assert_eq!(parse_free_text(&"x".repeat(101)).unwrap_err(), FieldError::TextTooLong);
    }
}
