//! Applying to join an organization (product.md §1, §8): where the
//! organization allows it, a person gives who they are; a user
//! administrator approves, which creates the user and sends activation, or
//! refuses. The person's details follow the same field rules as a new user.

use crate::fields::{parse_cvr, Date};
use crate::lang::Lang;
use crate::user_form::{FieldIssue, UserFields, UserInput};

/// Open applications an organization holds at most; beyond that new ones
/// wait, so that a flood of applications cannot bury the administrators.
pub const MAX_PENDING_PER_ORGANIZATION: u32 = 500;

/// Applications one client address may send within the throttle's window
/// (`throttle::WINDOW_SECONDS`); more wait, so that nobody floods an
/// organization's administrators from one place.
pub const MAX_PER_ADDRESS: i64 = 10;

/// What the person types on the public join page.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinInput {
    pub cvr: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub birth_date: String,
}

/// The new user's fields as a user form would give them, from what the
/// join page asks of the person (as typed, or as an application stores it):
/// nothing else, no CPR number among it.
pub fn applicant_input(first_name: &str, last_name: &str, email: &str, birth_date: &str) -> UserInput {
    UserInput {
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        email: email.to_owned(),
        birth_date: birth_date.to_owned(),
        ..UserInput::default()
    }
}

/// The organization's CVR number and the person's fields, or every problem
/// at its field.
pub fn parse(input: &JoinInput, today: Date, lang: Lang) -> Result<(String, UserFields), Vec<FieldIssue>> {
    let cvr = parse_cvr(&input.cvr).map_err(|error| FieldIssue::new("cvr", error, lang));
    let fields = parse_person(&applicant_input(&input.first_name, &input.last_name, &input.email, &input.birth_date), today, lang);
    match (cvr, fields) {
        (Ok(cvr), Ok(fields)) => Ok((cvr, fields)),
        (cvr, fields) => Err(cvr.err().into_iter().chain(fields.err().unwrap_or_default()).collect()),
    }
}

/// The person's fields alone, as the join page gives them (also when an
/// administrator approves a stored application).
pub fn parse_person(input: &UserInput, today: Date, lang: Lang) -> Result<UserFields, Vec<FieldIssue>> {
    // The join page asks for a birth date and never for a CPR number.
    UserFields::parse(input, None, today, lang).map_err(|issues| {
        issues
            .into_iter()
            .map(|issue| match issue.field.as_str() {
                "cpr" => FieldIssue {
                    field: "birth_date".into(),
                    code: "required".into(),
                    message: lang.pick(("Angiv din fødselsdato.", "Give your birth date.", "Geben Sie Ihr Geburtsdatum an.")).to_owned(),
                },
                _ => issue,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> JoinInput {
        JoinInput {
            cvr: "12345674".into(),
            first_name: "Ida".into(),
            last_name: "Holm".into(),
            email: "ida.holm@example.dk".into(),
            birth_date: "1990-05-17".into(),
        }
    }

    #[test]
    fn a_complete_application_parses_with_the_user_field_rules() {
        let today = Date::new(2026, 11, 23).unwrap();
        let (cvr, fields) = parse(&input(), today, Lang::En).unwrap();
        assert_eq!(cvr, "12345674");
        assert_eq!(fields.email.as_str(), "ida.holm@example.dk");
        assert_eq!(fields.birth_date, Date::new(1990, 5, 17));
    }

    #[test]
    fn a_stored_application_becomes_the_user_the_page_checked() {
        let today = Date::new(2026, 11, 23).unwrap();
        let typed = input();
        let stored = applicant_input(&typed.first_name, &typed.last_name, &typed.email, &typed.birth_date);
        let expected = UserInput {
            first_name: "Ida".into(),
            last_name: "Holm".into(),
            email: "ida.holm@example.dk".into(),
            birth_date: "1990-05-17".into(),
            ..UserInput::default()
        };
        assert_eq!(stored, expected, "each in its place, and nothing else (no CPR number)");
        assert_eq!(parse_person(&stored, today, Lang::En).unwrap(), parse(&typed, today, Lang::En).unwrap().1);
        // Without a birth date the person is asked for it, not for a CPR number.
        let issues = parse_person(&applicant_input("Ida", "Holm", "ida.holm@example.dk", ""), today, Lang::En).unwrap_err();
        let found: Vec<(&str, &str)> = issues.iter().map(|issue| (issue.field.as_str(), issue.code.as_str())).collect();
        assert_eq!(found, vec![("birth_date", "required")]);
    }

    #[test]
    fn every_problem_is_named_at_its_field() {
        let today = Date::new(2026, 11, 23).unwrap();
        let bad = JoinInput { cvr: "12345678".into(), email: "not an address".into(), birth_date: String::new(), ..input() };
        let fields: Vec<String> = parse(&bad, today, Lang::En).unwrap_err().into_iter().map(|issue| issue.field).collect();
        assert_eq!(fields, vec!["cvr", "email", "birth_date"]);
    }
}
