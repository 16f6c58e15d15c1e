//! The public activation page's state: which path the visitor is on (the
//! link's token arrives in the address's fragment), and the request it sends.

use steward_domain::activation::check_new_password;
use steward_domain::api::{ActivateRequest, CodeActivation, LinkActivation};
use steward_domain::lang::Lang;

use crate::i18n::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivationMode {
    /// Opened from the e-mail's link.
    Link { token: String },
    /// Typed in: e-mail, the handed-over code and the birth date.
    Code,
}

impl ActivationMode {
    /// From `location.hash`, e.g. `#token=ab12…`.
    pub fn from_fragment(fragment: &str) -> ActivationMode {
        fragment
            .trim_start_matches('#')
            .split('&')
            .find_map(|pair| pair.strip_prefix("token="))
            .filter(|token| !token.is_empty() && token.bytes().all(|b| b.is_ascii_hexdigit()))
            .map_or(ActivationMode::Code, |token| ActivationMode::Link { token: token.to_owned() })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeFields {
    pub email: String,
    pub code: String,
    pub birth_date: String,
}

/// The request to send, or what is wrong with the password before sending
/// (the same rule the server applies), in `lang`.
pub fn request(mode: &ActivationMode, code: &CodeFields, password: &str, repeated: &str, lang: Lang) -> Result<ActivateRequest, String> {
    check_new_password(password).map_err(|error| error.message(lang))?;
    if password != repeated {
        return Err(td_string!(crate::language::locale(lang), activate.not_same).to_string());
    }
    Ok(match mode {
        ActivationMode::Link { token } => ActivateRequest::Link(LinkActivation { token: token.clone(), password: password.to_owned() }),
        ActivationMode::Code => ActivateRequest::Code(CodeActivation {
            email: code.email.clone(),
            code: code.code.clone(),
            birth_date: code.birth_date.clone(),
            password: password.to_owned(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_decides_the_path() {
        assert_eq!(ActivationMode::from_fragment("#token=ab12"), ActivationMode::Link { token: "ab12".into() });
        assert_eq!(ActivationMode::from_fragment(""), ActivationMode::Code);
        assert_eq!(ActivationMode::from_fragment("#token="), ActivationMode::Code);
        assert_eq!(ActivationMode::from_fragment("#token=<script>"), ActivationMode::Code);
    }

    #[test]
    fn the_password_is_checked_before_sending() {
        let link = ActivationMode::Link { token: "ab".into() };
        let none = CodeFields::default();
        assert_eq!(request(&link, &none, "short", "short", Lang::En).unwrap_err(), "The password must be at least 12 characters.");
        assert!(request(&link, &none, "a good long passphrase", "a good long passphrase!", Lang::En).is_err());
        assert!(matches!(request(&link, &none, "a good long passphrase", "a good long passphrase", Lang::En), Ok(ActivateRequest::Link(_))));
        let code = CodeFields { email: "a@b.dk".into(), code: "K7QM-2XHP-9RTA".into(), birth_date: "01-01-1990".into() };
        let Ok(ActivateRequest::Code(sent)) = request(&ActivationMode::Code, &code, "a good long passphrase", "a good long passphrase", Lang::En) else {
            panic!("a code request");
        };
        assert_eq!(sent.code, "K7QM-2XHP-9RTA");
    }

    #[test]
    fn the_messages_speak_the_page_language() {
        let link = ActivationMode::Link { token: "ab".into() };
        let none = CodeFields::default();
        assert_eq!(
            request(&link, &none, "a good long passphrase", "a good long passphrase!", Lang::En).unwrap_err(),
            "The two passwords are not the same."
        );
        assert_eq!(
            request(&link, &none, "a good long passphrase", "a good long passphrase!", Lang::Da).unwrap_err(),
            "De to adgangskoder er ikke ens."
        );
        assert_eq!(
            request(&link, &none, "short", "short", Lang::Da).unwrap_err(),
            steward_domain::activation::check_new_password("short").unwrap_err().message(Lang::Da)
        );
    }
}
