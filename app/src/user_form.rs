//! The user form's state, for create and edit: what is typed, the problems
//! found by the domain's own rules before sending, and those the server
//! named after.

use std::collections::BTreeMap;

use steward_domain::api::UserDetail;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use steward_domain::user_form::{FieldIssue, Stored, UserFields, UserInput};

/// Problems by field name, one message each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn from_issues(issues: &[FieldIssue]) -> FieldErrors {
        let mut errors = BTreeMap::new();
        for issue in issues {
            errors.entry(issue.field.clone()).or_insert_with(|| issue.message.clone());
        }
        FieldErrors(errors)
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0.get(field).cloned()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The first field with a problem, to move focus to.
    pub fn first_field(&self, order: &[&str]) -> Option<String> {
        order.iter().find(|field| self.0.contains_key(**field)).map(|field| (*field).to_owned())
    }
}

/// The fields in the order the form shows them.
pub const FIELD_ORDER: &[&str] = &[
    "first_name", "last_name", "email", "cpr", "birth_date", "phone", "p_number", "se_number", "identity_means",
    "anonymous", "scope", "free1", "free2", "free3",
];

/// Builds the request from what was typed. On edit an empty CPR box keeps
/// the stored number (it is never shown again), unless "remove" is ticked.
pub fn input_for(mut typed: UserInput, editing: Option<&UserDetail>, remove_cpr: bool) -> UserInput {
    if let Some(user) = editing {
        typed.anonymous = Some(user.anonymous);
        typed.cpr = match typed.cpr.as_deref().map(str::trim) {
            _ if remove_cpr => Some(String::new()),
            Some("") | None => None,
            Some(text) => Some(text.to_owned()),
        };
    }
    typed
}

/// The same check the server makes with the rules both share, so that
/// mistakes show before anything is sent, in the page's language.
pub fn check(input: &UserInput, editing: Option<&UserDetail>, today: Date, lang: Lang) -> FieldErrors {
    let stored = editing.map(|user| Stored { has_cpr: user.cpr_masked.is_some(), anonymous: user.anonymous });
    match UserFields::parse(input, stored, today, lang) {
        Ok(_) => FieldErrors::default(),
        Err(issues) => FieldErrors::from_issues(&issues),
    }
}

/// The form pre-filled with a stored user, for editing.
pub fn typed_from(user: &UserDetail) -> UserInput {
    UserInput {
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        cpr: None,
        birth_date: user.birth_date.clone().unwrap_or_default(),
        phone: user.phone.clone().unwrap_or_default(),
        p_number: user.p_number.clone().unwrap_or_default(),
        se_number: user.se_number.clone().unwrap_or_default(),
        identity_means: user.identity_means.replace(',', ", "),
        anonymous: Some(user.anonymous),
        may_sign: user.may_sign,
        may_seal: user.may_seal,
        scope: user.scope.clone(),
        free1: user.free1.clone(),
        free2: user.free2.clone(),
        free3: user.free3.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::activation::ActivationPath;
    use steward_domain::user::{Role, UserStatus};

    const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

    fn stored() -> UserDetail {
        UserDetail {
            id: "u1".into(),
            first_name: "Ida".into(),
            last_name: "Holm".into(),
            email: "ida@example.dk".into(),
            cpr_masked: Some("010203-****".into()),
            birth_date: None,
            phone: None,
            p_number: None,
            se_number: None,
            identity_means: "password,totp".into(),
            anonymous: false,
            may_sign: false,
            may_seal: false,
            scope: String::new(),
            free1: String::new(),
            free2: String::new(),
            free3: String::new(),
            role: Role::User,
            status: UserStatus::Active,
            activation_path: ActivationPath::Link,
            registration_deadline: None,
            code_locked: false,
            deactivate_from: None,
            deactivate_until: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_form_shows_each_problem_at_its_field_before_sending() {
        let typed = UserInput { first_name: "".into(), last_name: "Holm".into(), email: "ida@".into(), ..UserInput::default() };
        let errors = check(&typed, None, TODAY, Lang::En);
        assert_eq!(errors.get("first_name").as_deref(), Some("The name is empty."));
        assert!(errors.get("email").is_some());
        assert!(errors.get("cpr").is_some(), "CPR or birth date is required");
        assert_eq!(errors.first_field(FIELD_ORDER).as_deref(), Some("first_name"));
        let danish = check(&typed, None, TODAY, Lang::Da);
        assert_eq!(danish.get("first_name").as_deref(), Some("Navnet mangler."));
    }

    #[test]
    fn editing_keeps_the_stored_cpr_unless_a_new_one_is_typed_or_removal_is_ticked() {
        let user = stored();
        let typed = typed_from(&user);
        assert_eq!(typed.identity_means, "password, totp");
        assert_eq!(input_for(typed.clone(), Some(&user), false).cpr, None);
        assert!(check(&input_for(typed.clone(), Some(&user), false), Some(&user), TODAY, Lang::En).is_empty());
        let new_number = UserInput { cpr: Some(" 020304-5678 ".into()), ..typed.clone() };
        assert_eq!(input_for(new_number, Some(&user), false).cpr.as_deref(), Some("020304-5678"));
        let removing = input_for(typed, Some(&user), true);
        assert_eq!(removing.cpr.as_deref(), Some(""));
        // Without a birth date the CPR number cannot go.
        assert!(check(&removing, Some(&user), TODAY, Lang::En).get("cpr").is_some());
    }

    #[test]
    fn server_issues_map_to_fields_first_message_wins() {
        let issues = vec![
            FieldIssue { field: "email".into(), code: "email_taken".into(), message: "taken".into() },
            FieldIssue { field: "email".into(), code: "other".into(), message: "second".into() },
        ];
        let errors = FieldErrors::from_issues(&issues);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors.get("email").as_deref(), Some("taken"));
    }
}
