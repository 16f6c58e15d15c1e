//! Cells that pick from fixed words: identity means (`IdentityMeans`) and Ja/Nej.

use super::FieldError;
use crate::text::trim;

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

    /// A list as it is stored: comma-separated, without spaces.
    pub fn list_text(means: &[IdentityMeans]) -> String {
        means.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_means_lists_and_yes_no() {
        assert_eq!(IdentityMeans::parse_list("TOTP, password,totp").unwrap(), [IdentityMeans::Password, IdentityMeans::Totp]);
        assert_eq!(IdentityMeans::parse_list("sms").unwrap_err(), FieldError::IdentityMeans);
        for yes in ["Ja", "JA", "yes", "True", "1"] {
            assert_eq!(parse_yes_no(yes), Ok(true), "{yes}");
        }
        for no in ["nej", "No", "FALSE", "0"] {
            assert_eq!(parse_yes_no(no), Ok(false), "{no}");
        }
        assert_eq!(parse_yes_no("måske").unwrap_err(), FieldError::YesNo);
    }
}
