//! E-mail addresses (product.md §2): a practical subset of RFC 5322.

use std::fmt;

/// Symbols allowed in the local part besides letters and digits (RFC 5322 atext and '.').
const ALLOWED_LOCAL_SYMBOLS: &str = "!#$%&'*+/=?^_`{|}~.-";

/// Longest address accepted, as SMTP allows.
pub const MAX_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is longer than {MAX_LEN} characters")]
    TooLong,
    #[error("the e-mail address must not contain spaces")]
    ContainsSpace,
    #[error("the e-mail address must look like name@example.com")]
    Malformed,
}

impl EmailError {
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email_empty",
            EmailError::TooLong => "email_too_long",
            EmailError::ContainsSpace => "email_contains_space",
            EmailError::Malformed => "email_malformed",
        }
    }
}

impl Email {
    /// Parses an address, trimming surrounding whitespace. The domain part is
    /// lower-cased; the local part keeps its case, as RFC 5321 requires.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(EmailError::ContainsSpace);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && !local.contains('@')
            && local.chars().all(|c| c.is_alphanumeric() || ALLOWED_LOCAL_SYMBOLS.contains(c));
        if !(domain_ok && local_ok) {
            return Err(EmailError::Malformed);
        }
        let mut email = String::with_capacity(trimmed.len());
        email.push_str(local);
        email.push('@');
        if domain.is_ascii() {
            email.push_str(domain);
            email[local.len() + 1..].make_ascii_lowercase();
        } else {
            email.extend(domain.chars().flat_map(char::to_lowercase));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `normalized`, consuming the address: no second copy when it is ASCII.
    pub fn into_normalized(mut self) -> String {
        if self.0.is_ascii() {
            self.0.make_ascii_lowercase();
            self.0
        } else {
            self.0.to_lowercase()
        }
    }

    /// The form used for uniqueness and look-ups: e-mail addresses are
    /// compared without regard to case.
    pub fn normalized(&self) -> String {
        // Nearly every address is ASCII, which lowers byte by byte.
        if self.0.is_ascii() {
            self.0.to_ascii_lowercase()
        } else {
            self.0.to_lowercase()
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let email = Email::parse("  Anne.Hansen@Example.DK ").unwrap();
        assert_eq!(email.as_str(), "Anne.Hansen@example.dk");
        assert_eq!(email.normalized(), "anne.hansen@example.dk");
        assert!(Email::parse("a+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_what_a_mail_server_would() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("anne hansen@example.dk"), Err(EmailError::ContainsSpace));
        for bad in ["anne", "anne@", "@example.dk", "anne@example", "anne@@example.dk",
                    "anne@example..dk", ".anne@example.dk", "anne@-example.dk", "anne@example.dk."] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        let long = format!("{}@example.dk", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }
}
