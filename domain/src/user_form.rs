//! The one-user form (create and edit, product.md §2): the same field rules
//! as the bulk file, applied to a JSON body, with every problem reported at
//! its field so that the app can show it there.

use serde::{Deserialize, Serialize};

use crate::email::Email;
use crate::fields::{
    parse_birth_date, parse_email, parse_free_text, parse_p_number, parse_phone, parse_se_number, Cpr, Date,
    FieldError, IdentityMeans, Name,
};
use crate::lang::Lang;

/// What the administrator typed. Empty text means "none". On edit, `cpr`
/// absent keeps the stored number (nobody but its owner sees it again), an
/// empty string removes it; `anonymous` may only repeat the stored value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpr: Option<String>,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub p_number: String,
    #[serde(default)]
    pub se_number: String,
    /// Comma-separated, as in the bulk file; empty means `password`.
    #[serde(default)]
    pub identity_means: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous: Option<bool>,
    #[serde(default)]
    pub may_sign: bool,
    #[serde(default)]
    pub may_seal: bool,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub free1: String,
    #[serde(default)]
    pub free2: String,
    #[serde(default)]
    pub free3: String,
}

/// One problem with one field: `field` is the input's field name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: &str, error: FieldError, lang: Lang) -> FieldIssue {
        FieldIssue { field: field.to_owned(), code: error.code().to_owned(), message: error.message(lang) }
    }
}

/// Rules only the server can check, against what is stored. Their messages
/// live here beside the field rules so that the bulk upload and the form say
/// the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredConflict {
    EmailTaken,
    CprTaken,
    PNumberUnknown,
    SeNumberUnknown,
    IdentityMeansNotAllowed,
}

/// Whether a request refused with `codes` may say which CPR numbers are
/// taken: only when that is its one problem. A request that would be
/// refused anyway must not test CPR numbers for free (an administrator
/// could otherwise try the 10,000 numbers behind a masked `DDMMYY-****`
/// and learn the one in use without changing anything); one that would
/// otherwise succeed creates or changes a user, which history records.
pub fn may_tell_cpr_taken<'a>(codes: impl IntoIterator<Item = &'a str>) -> bool {
    codes.into_iter().all(|code| code == StoredConflict::CprTaken.code())
}

impl StoredConflict {
    pub fn field(self) -> &'static str {
        match self {
            StoredConflict::EmailTaken => "email",
            StoredConflict::CprTaken => "cpr",
            StoredConflict::PNumberUnknown => "p_number",
            StoredConflict::SeNumberUnknown => "se_number",
            StoredConflict::IdentityMeansNotAllowed => "identity_means",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StoredConflict::EmailTaken => "email_taken",
            StoredConflict::CprTaken => "cpr_taken",
            StoredConflict::PNumberUnknown => "p_number_unknown",
            StoredConflict::SeNumberUnknown => "se_number_unknown",
            StoredConflict::IdentityMeansNotAllowed => "identity_means_not_allowed",
        }
    }

    pub fn issue(self, lang: Lang) -> FieldIssue {
        let texts = match self {
            StoredConflict::EmailTaken => ("En anden bruger i organisationen har allerede denne e-mail.", "Another user of the organization already has this e-mail address.", "Ein anderer Benutzer der Organisation hat diese E-Mail-Adresse bereits."),
            StoredConflict::CprTaken => ("En anden bruger i organisationen har allerede dette CPR-nummer.", "Another user of the organization already has this CPR number.", "Ein anderer Benutzer der Organisation hat diese CPR-Nummer bereits."),
            StoredConflict::PNumberUnknown => ("P-nummeret hører ikke til organisationen.", "The P-number does not belong to the organization.", "Die P-Nummer gehört nicht zur Organisation."),
            StoredConflict::SeNumberUnknown => ("SE-nummeret hører ikke til organisationen.", "The SE number does not belong to the organization.", "Die SE-Nummer gehört nicht zur Organisation."),
            StoredConflict::IdentityMeansNotAllowed => ("Organisationen tillader ikke dette identifikationsmiddel.", "The organization does not allow this identity means.", "Die Organisation erlaubt dieses Identifikationsmittel nicht."),
        };
        FieldIssue { field: self.field().to_owned(), code: self.code().to_owned(), message: lang.pick(texts).to_owned() }
    }
}

/// What happens to the stored CPR number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CprChange {
    Keep,
    Remove,
    Set(Cpr),
}

/// A form that passed every rule this crate knows; the server adds what only
/// it knows (e-mail or CPR taken, P/SE numbers of the organization).
#[derive(Debug, Clone, PartialEq)]
pub struct UserFields {
    pub first_name: Name,
    pub last_name: Name,
    pub email: Email,
    pub cpr: CprChange,
    pub birth_date: Option<Date>,
    pub phone: Option<String>,
    pub p_number: Option<String>,
    pub se_number: Option<String>,
    pub identity_means: Vec<IdentityMeans>,
    pub anonymous: bool,
    pub may_sign: bool,
    pub may_seal: bool,
    pub scope: String,
    pub free: [String; 3],
}

/// A stored user as an edit is compared with: each field as stored
/// (`birth_date` as `Date` prints it, `identity_means` as
/// `IdentityMeans::list_text` writes it); the CPR number only whether there
/// is one, as it is stored sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredUser<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub has_cpr: bool,
    pub birth_date: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub p_number: Option<&'a str>,
    pub se_number: Option<&'a str>,
    pub identity_means: &'a str,
    pub may_sign: bool,
    pub may_seal: bool,
    pub scope: &'a str,
    pub free: [&'a str; 3],
}

const EMAIL: &str = "e-mail";
const CPR_NUMBER: &str = "CPR number";
const BIRTH_DATE: &str = "birth date";

/// The names of the fields an edit changes (never their values: history
/// must not hold CPR numbers). `open_stored_cpr` opens the stored CPR
/// number (`None` when it cannot be, which counts as a change); it is
/// called only when the edit sets a number to compare with it.
pub fn changed_fields(stored: &StoredUser, fields: &UserFields, open_stored_cpr: impl FnOnce() -> Option<Cpr>) -> Vec<&'static str> {
    let cpr_changed = match &fields.cpr {
        CprChange::Keep => false,
        CprChange::Remove => stored.has_cpr,
        CprChange::Set(cpr) => !stored.has_cpr || open_stored_cpr().as_ref() != Some(cpr),
    };
    let birth_date = fields.birth_date.map(|d| d.to_string());
    let mut changed: Vec<&'static str> = Vec::new();
    let mut note = |name: &'static str, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    note("first name", stored.first_name != fields.first_name.as_str());
    note("last name", stored.last_name != fields.last_name.as_str());
    note(EMAIL, stored.email != fields.email.as_str());
    note(CPR_NUMBER, cpr_changed);
    note(BIRTH_DATE, stored.birth_date != birth_date.as_deref());
    note("phone", stored.phone != fields.phone.as_deref());
    note("P-number", stored.p_number != fields.p_number.as_deref());
    note("SE number", stored.se_number != fields.se_number.as_deref());
    note("identity means", stored.identity_means != IdentityMeans::list_text(&fields.identity_means));
    note("may sign", stored.may_sign != fields.may_sign);
    note("may seal", stored.may_seal != fields.may_seal);
    note("scope", stored.scope != fields.scope);
    note("free field 1", stored.free[0] != fields.free[0]);
    note("free field 2", stored.free[1] != fields.free[1]);
    note("free field 3", stored.free[2] != fields.free[2]);
    changed
}

/// Whether the changed fields are those activation is proven with: the
/// address a link goes to, the CPR number or the birth date. Changing them
/// is handing the account over (`authz::may_hand_over`), and withdraws an
/// activation sent for the old ones.
pub fn changes_proof(changed: &[&str]) -> bool {
    changed.iter().any(|name| [EMAIL, CPR_NUMBER, BIRTH_DATE].contains(name))
}

/// The stored facts an edit is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub has_cpr: bool,
    pub anonymous: bool,
}

fn optional<T>(input: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

impl UserFields {
    /// Checks a create form (`stored` is `None`) or an edit form.
    pub fn parse(input: &UserInput, stored: Option<Stored>, today: Date, lang: Lang) -> Result<UserFields, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let mut check = |field: &str, result: Result<(), FieldError>| {
            if let Err(error) = result {
                issues.push(FieldIssue::new(field, error, lang));
            }
        };
        let first_name = Name::parse(&input.first_name);
        check("first_name", first_name.as_ref().map(|_| ()).map_err(|e| *e));
        let last_name = Name::parse(&input.last_name);
        check("last_name", last_name.as_ref().map(|_| ()).map_err(|e| *e));
        let email = parse_email(&input.email);
        check("email", email.as_ref().map(|_| ()).map_err(|e| *e));

        let cpr = match input.cpr.as_deref() {
            None if stored.is_some() => Ok(CprChange::Keep),
            None => Ok(CprChange::Remove),
            Some(text) if text.trim().is_empty() => Ok(CprChange::Remove),
            Some(text) => Cpr::parse(text).map(CprChange::Set),
        };
        check("cpr", cpr.as_ref().map(|_| ()).map_err(|e| *e));
        let birth_date = optional(&input.birth_date, |text| parse_birth_date(text, today));
        check("birth_date", birth_date.as_ref().map(|_| ()).map_err(|e| *e));
        if let (Ok(cpr), Ok(None)) = (&cpr, &birth_date) {
            let has_cpr = match cpr {
                CprChange::Keep => stored.is_some_and(|s| s.has_cpr),
                CprChange::Remove => false,
                CprChange::Set(_) => true,
            };
            if !has_cpr {
                check("cpr", Err(FieldError::CprOrBirthDateRequired));
            }
        }

        let phone = optional(&input.phone, parse_phone);
        check("phone", phone.as_ref().map(|_| ()).map_err(|e| *e));
        let p_number = optional(&input.p_number, parse_p_number);
        check("p_number", p_number.as_ref().map(|_| ()).map_err(|e| *e));
        let se_number = optional(&input.se_number, parse_se_number);
        check("se_number", se_number.as_ref().map(|_| ()).map_err(|e| *e));
        let identity_means = IdentityMeans::parse_list(&input.identity_means);
        check("identity_means", identity_means.as_ref().map(|_| ()).map_err(|e| *e));

        let anonymous = match (stored, input.anonymous) {
            (None, requested) => requested.unwrap_or(false),
            (Some(stored), Some(requested)) if requested != stored.anonymous => {
                check("anonymous", Err(FieldError::AnonymousFixed));
                stored.anonymous
            }
            (Some(stored), _) => stored.anonymous,
        };
        let mut texts = Vec::with_capacity(4);
        for (field, value) in [("scope", &input.scope), ("free1", &input.free1), ("free2", &input.free2), ("free3", &input.free3)] {
            let text = parse_free_text(value);
            check(field, text.as_ref().map(|_| ()).map_err(|e| *e));
            texts.push(text.unwrap_or_default());
        }

        if !issues.is_empty() {
            return Err(issues);
        }
        let [scope, free1, free2, free3]: [String; 4] = texts.try_into().expect("four texts");
        let mut identity_means = identity_means.expect("checked");
        if identity_means.is_empty() {
            identity_means.push(IdentityMeans::Password);
        }
        Ok(UserFields {
            first_name: first_name.expect("checked"),
            last_name: last_name.expect("checked"),
            email: email.expect("checked"),
            cpr: cpr.expect("checked"),
            birth_date: birth_date.expect("checked"),
            phone: phone.expect("checked"),
            p_number: p_number.expect("checked"),
            se_number: se_number.expect("checked"),
            identity_means,
            anonymous,
            may_sign: input.may_sign,
            may_seal: input.may_seal,
            scope,
            free: [free1, free2, free3],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_cpr_numbers_are_told_only_when_nothing_else_is_wrong() {
        assert!(may_tell_cpr_taken(["cpr_taken", "cpr_taken"]));
        assert!(!may_tell_cpr_taken(["cpr_taken", "email_taken"]));
        assert!(!may_tell_cpr_taken(["p_number_unknown", "cpr_taken"]));
    }

    const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

    fn input() -> UserInput {
        UserInput {
            first_name: "Ida".into(),
            last_name: "Holm".into(),
            email: "ida.holm@example.dk".into(),
            birth_date: "02-03-1990".into(),
            ..UserInput::default()
        }
    }

    fn fields_of(issues: &[FieldIssue]) -> Vec<(&str, &str)> {
        issues.iter().map(|issue| (issue.field.as_str(), issue.code.as_str())).collect()
    }

    #[test]
    fn a_good_form_parses_with_defaults() {
        let fields = UserFields::parse(&input(), None, TODAY, Lang::En).unwrap();
        assert_eq!(fields.birth_date, Date::new(1990, 3, 2));
        assert_eq!(fields.identity_means, vec![IdentityMeans::Password]);
        assert_eq!(fields.cpr, CprChange::Remove);
        assert!(!fields.anonymous);
    }

    #[test]
    fn every_bad_field_is_reported_at_its_field() {
        let bad = UserInput {
            first_name: " ".into(),
            last_name: "Holm3".into(),
            email: "ida@".into(),
            cpr: Some("320190-1234".into()),
            birth_date: "2030-01-01".into(),
            phone: "123".into(),
            p_number: "12".into(),
            se_number: "x".into(),
            identity_means: "password, smoke".into(),
            scope: "s".repeat(101),
            ..UserInput::default()
        };
        let issues = UserFields::parse(&bad, None, TODAY, Lang::En).unwrap_err();
        assert_eq!(
            fields_of(&issues),
            vec![
                ("first_name", "name_empty"),
                ("last_name", "name_characters"),
                ("email", "email_malformed"),
                ("cpr", "cpr_date"),
                ("birth_date", "birth_date_future"),
                ("phone", "phone_format"),
                ("p_number", "p_number_format"),
                ("se_number", "se_number_format"),
                ("identity_means", "identity_means_unknown"),
                ("scope", "text_too_long"),
            ]
        );
        assert!(issues.iter().all(|issue| !issue.message.contains("1234")));
    }

    #[test]
    fn a_cpr_number_or_a_birth_date_is_required() {
        let neither = UserInput { birth_date: String::new(), ..input() };
        let issues = UserFields::parse(&neither, None, TODAY, Lang::Da).unwrap_err();
        assert_eq!(fields_of(&issues), vec![("cpr", "cpr_or_birth_date_required")]);
        let with_cpr = UserInput { cpr: Some("010203-1234".into()), ..neither.clone() };
        assert!(matches!(UserFields::parse(&with_cpr, None, TODAY, Lang::Da).unwrap().cpr, CprChange::Set(_)));
        // On edit, an absent CPR keeps the stored one, which satisfies the rule.
        let stored = Stored { has_cpr: true, anonymous: false };
        assert_eq!(UserFields::parse(&neither, Some(stored), TODAY, Lang::Da).unwrap().cpr, CprChange::Keep);
        let removing = UserInput { cpr: Some(String::new()), ..neither };
        assert!(UserFields::parse(&removing, Some(stored), TODAY, Lang::Da).is_err());
    }

    #[test]
    fn anonymity_is_fixed_at_creation() {
        let created = UserFields::parse(&UserInput { anonymous: Some(true), ..input() }, None, TODAY, Lang::En).unwrap();
        assert!(created.anonymous);
        let stored = Stored { has_cpr: false, anonymous: true };
        let flip = UserInput { anonymous: Some(false), ..input() };
        let issues = UserFields::parse(&flip, Some(stored), TODAY, Lang::En).unwrap_err();
        assert_eq!(fields_of(&issues), vec![("anonymous", "anonymous_fixed")]);
        assert!(UserFields::parse(&input(), Some(stored), TODAY, Lang::En).unwrap().anonymous);
    }

    /// Ida as stored after `input()` was saved, with a CPR number.
    fn stored_ida() -> StoredUser<'static> {
        StoredUser {
            first_name: "Ida",
            last_name: "Holm",
            email: "ida.holm@example.dk",
            has_cpr: true,
            birth_date: Some("1990-03-02"),
            phone: None,
            p_number: None,
            se_number: None,
            identity_means: "password",
            may_sign: false,
            may_seal: false,
            scope: "",
            free: ["", "", ""],
        }
    }

    fn edited(input: UserInput) -> UserFields {
        UserFields::parse(&input, Some(Stored { has_cpr: true, anonymous: false }), TODAY, Lang::En).unwrap()
    }

    fn cpr(text: &str) -> Cpr {
        Cpr::parse(text).unwrap()
    }

    fn not_opened() -> Option<Cpr> {
        panic!("the stored CPR number was opened without a number to compare")
    }

    #[test]
    fn an_edit_names_the_fields_it_changes_and_only_those() {
        assert_eq!(changed_fields(&stored_ida(), &edited(input()), not_opened), Vec::<&str>::new());
        let everything = UserInput {
            first_name: "Idah".into(),
            last_name: "Holmen".into(),
            email: "ida@example.dk".into(),
            cpr: Some("010203-1234".into()),
            birth_date: "03-03-1990".into(),
            phone: "12345678".into(),
            p_number: "1234567890".into(),
            se_number: "12345678".into(),
            identity_means: "totp, password".into(),
            may_sign: true,
            may_seal: true,
            scope: "s".into(),
            free1: "1".into(),
            free2: "2".into(),
            free3: "3".into(),
            ..input()
        };
        let all = changed_fields(&stored_ida(), &edited(everything), || Some(cpr("311299-9999")));
        assert_eq!(
            all,
            vec![
                "first name", "last name", "e-mail", "CPR number", "birth date", "phone", "P-number", "SE number", "identity means",
                "may sign", "may seal", "scope", "free field 1", "free field 2", "free field 3",
            ]
        );
        // The identity means as stored are compared, not as typed.
        let two_means = StoredUser { identity_means: "password,totp", ..stored_ida() };
        let retyped = UserInput { identity_means: "TOTP, password".into(), ..input() };
        assert_eq!(changed_fields(&two_means, &edited(retyped), not_opened), Vec::<&str>::new());
        assert_eq!(IdentityMeans::list_text(&[IdentityMeans::Password, IdentityMeans::Totp]), "password,totp");
    }

    #[test]
    fn the_cpr_number_changes_only_when_it_differs_from_the_stored_one() {
        let setting = |text: &str| edited(UserInput { cpr: Some(text.into()), ..input() });
        let stored = stored_ida();
        let without = StoredUser { has_cpr: false, ..stored };
        let cpr_changed = |stored: &StoredUser, fields: &UserFields, opened: Option<Cpr>| {
            changed_fields(stored, fields, || opened).contains(&"CPR number")
        };
        assert!(!cpr_changed(&stored, &setting("010203-1234"), Some(cpr("010203-1234"))), "the same number again");
        assert!(cpr_changed(&stored, &setting("010203-1234"), Some(cpr("010203-5678"))));
        assert!(cpr_changed(&stored, &setting("010203-1234"), None), "a stored number that cannot be opened counts as changed");
        assert!(changed_fields(&without, &setting("010203-1234"), not_opened).contains(&"CPR number"), "a first number");
        let removing = UserInput { cpr: Some(String::new()), ..input() };
        assert_eq!(changed_fields(&stored, &edited(removing.clone()), not_opened), vec!["CPR number"]);
        assert_eq!(changed_fields(&without, &edited(removing), not_opened), Vec::<&str>::new());
    }

    #[test]
    fn proof_of_identity_is_the_e_mail_the_cpr_number_or_the_birth_date() {
        for proof in ["e-mail", "CPR number", "birth date"] {
            assert!(changes_proof(&["phone", proof]), "{proof}");
        }
        assert!(!changes_proof(&["first name", "last name", "phone", "P-number", "identity means", "scope"]));
        assert!(!changes_proof(&[]));
        let new_address = UserInput { email: "ida@example.dk".into(), ..input() };
        assert!(changes_proof(&changed_fields(&stored_ida(), &edited(new_address), not_opened)));
        let new_phone = UserInput { phone: "12345678".into(), ..input() };
        assert!(!changes_proof(&changed_fields(&stored_ida(), &edited(new_phone), not_opened)));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let error = serde_json::from_str::<UserInput>(r#"{"first_name":"a","last_name":"b","email":"c","role":"x"}"#);
        assert!(error.is_err());
    }
}
