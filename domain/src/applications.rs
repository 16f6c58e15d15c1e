//! Applications (product.md §1): named sets of roles an organization holds,
//! granted to users directly or through custom groups; and who may define,
//! grant, revoke and group them so that delegation never escalates.

use std::collections::BTreeSet;

use crate::api::{ApplicationInfo, GroupInfo, HeldApplication};
use crate::authz::Decision;
use crate::lang::Lang;
use crate::messages::Message;
use crate::user::Role;
use crate::user_form::FieldIssue;

/// Longest name of an application or a group, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Most roles one application carries.
pub const MAX_ROLES: usize = 20;
/// Longest role name.
pub const MAX_ROLE_CHARS: usize = 64;
/// Longest reason a person gives when requesting an application.
pub const MAX_REASON_CHARS: usize = 500;

/// Roles that are the right to administer users: that right is a user's
/// `Role`, appointed by an organization administrator, never an
/// application's role that a user administrator could pass on.
const RESERVED_ROLES: [&str; 3] = ["organization_admin", "user_admin", "platform_operator"];

/// A set of role names, such as `invoice.read`.
pub type Roles = BTreeSet<String>;

/// The roles `application` carries.
pub fn roles_of_application(application: &ApplicationInfo) -> Roles {
    application.roles.iter().cloned().collect()
}

/// Every role the applications in `held` carry.
pub fn roles_of(held: &[HeldApplication]) -> Roles {
    held.iter().flat_map(|h| roles_of_application(&h.application)).collect()
}

/// Every role the applications of `group` carry.
pub fn roles_of_group(group: &GroupInfo) -> Roles {
    group.applications.iter().flat_map(roles_of_application).collect()
}

fn issue(field: &str, code: &str, message: String) -> FieldIssue {
    FieldIssue { field: field.to_owned(), code: code.to_owned(), message }
}

/// The name of an application or a group: trimmed, 1–80 characters, no
/// control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(field: &str, text: &str, lang: Lang) -> Result<DisplayName, FieldIssue> {
        let name = text.trim();
        if name.is_empty() {
            return Err(issue(field, "required", Message::NameRequired.text(lang)));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(issue(field, "too_long", Message::NameTooLong.with(lang, &[&MAX_NAME_CHARS])));
        }
        if name.chars().any(char::is_control) {
            return Err(issue(field, "invalid_characters", Message::NameControlCharacters.text(lang)));
        }
        Ok(DisplayName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One role name: a lowercase letter, then lowercase letters, digits, `.`,
/// `_` or `-`; at most 64 characters; not the right to administer users.
pub fn parse_role(text: &str, lang: Lang) -> Result<String, String> {
    let role = text.trim();
    let mut chars = role.chars();
    let well_formed = chars.next().is_some_and(|first| first.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && role.len() <= MAX_ROLE_CHARS;
    if !well_formed {
        return Err(Message::RoleMalformed.with(lang, &[&role, &MAX_ROLE_CHARS]));
    }
    if RESERVED_ROLES.contains(&role) {
        return Err(Message::RoleReserved.with(lang, &[&role]));
    }
    Ok(role.to_owned())
}

/// A new application as an organization administrator defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSpec {
    pub name: DisplayName,
    pub roles: Roles,
}

impl ApplicationSpec {
    /// Every problem at once, each at its field (`name`, `roles`).
    pub fn parse(name: &str, roles: &[String], lang: Lang) -> Result<ApplicationSpec, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let name = DisplayName::parse("name", name, lang).map_err(|problem| issues.push(problem)).ok();
        let mut parsed = Roles::new();
        for role in roles.iter().filter(|role| !role.trim().is_empty()) {
            match parse_role(role, lang) {
                Ok(role) => {
                    parsed.insert(role);
                }
                Err(message) => issues.push(issue("roles", "invalid_role", message)),
            }
        }
        if parsed.is_empty() && issues.iter().all(|problem| problem.field != "roles") {
            issues.push(issue("roles", "required", Message::RolesRequired.text(lang)));
        }
        if parsed.len() > MAX_ROLES {
            issues.push(issue("roles", "too_many", Message::TooManyRoles.with(lang, &[&MAX_ROLES])));
        }
        match name {
            Some(name) if issues.is_empty() => Ok(ApplicationSpec { name, roles: parsed }),
            _ => Err(issues),
        }
    }
}

/// The reason given with a request: trimmed, at most 500 characters.
pub fn parse_reason(text: &str, lang: Lang) -> Result<String, FieldIssue> {
    let reason = text.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(issue("reason", "too_long", Message::ReasonTooLong.with(lang, &[&MAX_REASON_CHARS])));
    }
    Ok(reason.to_owned())
}

/// Defining the organization's applications and custom groups is for its
/// organization administrators.
pub fn may_define(actor: Role) -> Decision {
    if actor == Role::OrganizationAdmin {
        Decision::Allow
    } else {
        Decision::Deny(Message::OnlyOrganizationAdministratorDefines)
    }
}

/// Whether `actor`, holding the roles `held`, may give someone an
/// application carrying `roles`. An organization administrator grants any
/// application the organization holds; a user administrator only one whose
/// every role they hold themselves; nobody grants to themselves.
pub fn may_grant(actor: Role, actor_is_target: bool, held: &Roles, roles: &Roles) -> Decision {
    if actor_is_target {
        return Decision::Deny(Message::NobodyGrantsOwnApplications);
    }
    match actor {
        Role::OrganizationAdmin => Decision::Allow,
        Role::UserAdmin if roles.is_subset(held) => Decision::Allow,
        Role::UserAdmin => Decision::Deny(Message::UserAdministratorGrantsOnlyHeldRoles),
        Role::User => Decision::Deny(Message::OnlyAdministratorsGrant),
    }
}

/// Joining a group gives its applications, so adding someone is allowed
/// exactly where granting all of them directly would be.
pub fn may_add_to_group(actor: Role, actor_is_target: bool, held: &Roles, group_roles: &Roles) -> Decision {
    if actor == Role::UserAdmin && !actor_is_target && !group_roles.is_subset(held) {
        return Decision::Deny(Message::GroupGivesRolesYouLack);
    }
    may_grant(actor, actor_is_target, held, group_roles)
}

/// Taking an application or a group membership away escalates nothing: any
/// administrator who manages the person may, except for themselves.
pub fn may_revoke(actor: Role, actor_is_target: bool) -> Decision {
    if actor_is_target {
        return Decision::Deny(Message::NobodyGrantsOwnApplications);
    }
    if actor.administers_users() {
        Decision::Allow
    } else {
        Decision::Deny(Message::OnlyAdministratorsRevoke)
    }
}

/// Why a person cannot request an application, if they cannot.
pub fn request_refusal(already_holds: bool, already_pending: bool) -> Option<Message> {
    if already_holds {
        Some(Message::AlreadyHoldsApplication)
    } else if already_pending {
        Some(Message::AlreadyRequestedApplication)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn roles(names: &[&str]) -> Roles {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    fn application(id: &str, role_names: &[&str]) -> ApplicationInfo {
        ApplicationInfo { id: id.into(), name: id.into(), roles: role_names.iter().map(|name| (*name).to_owned()).collect() }
    }

    #[test]
    fn roles_held_are_every_role_of_every_application_however_held() {
        let invoicing = application("invoicing", &["invoice.read", "invoice.approve"]);
        let reports = application("reports", &["report.read", "invoice.read"]);
        let held = [
            HeldApplication { application: invoicing.clone(), via_group: None },
            HeldApplication { application: reports.clone(), via_group: Some("Finance".into()) },
        ];
        assert_eq!(roles_of(&held), roles(&["invoice.approve", "invoice.read", "report.read"]));
        assert_eq!(roles_of(&[]), Roles::new());
        assert_eq!(roles_of_application(&reports), roles(&["invoice.read", "report.read"]));
        let group = |applications: Vec<ApplicationInfo>| GroupInfo {
            id: "g".into(),
            name: "Finance".into(),
            kind: crate::api::GroupKind::Custom,
            applications,
            member_count: 0,
        };
        assert_eq!(roles_of_group(&group(vec![invoicing, reports])), roles(&["invoice.approve", "invoice.read", "report.read"]));
        assert_eq!(roles_of_group(&group(vec![])), Roles::new());
    }

    #[test]
    fn an_application_needs_a_name_and_well_formed_roles() {
        let spec = ApplicationSpec::parse("  Invoicing ", &["invoice.read".into(), "invoice.approve".into(), "invoice.read".into(), " ".into()], Lang::En).unwrap();
        assert_eq!(spec.name.as_str(), "Invoicing");
        assert_eq!(spec.roles, roles(&["invoice.approve", "invoice.read"]));

        let issues = ApplicationSpec::parse("", &[], Lang::En).unwrap_err();
        let fields: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_str(), i.code.as_str())).collect();
        assert_eq!(fields, vec![("name", "required"), ("roles", "required")]);

        let issues = ApplicationSpec::parse("Bad", &["Invoice Read".into(), "user_admin".into()], Lang::En).unwrap_err();
        assert_eq!(issues.len(), 2);
        assert!(issues[0].message.contains("“Invoice Read”"), "{}", issues[0].message);
        assert!(issues[1].message.contains("right to administer users"));

        let too_many: Vec<String> = (0..=MAX_ROLES).map(|n| format!("r{n}")).collect();
        assert_eq!(ApplicationSpec::parse("Many", &too_many, Lang::En).unwrap_err()[0].code, "too_many");
        assert_eq!(DisplayName::parse("name", &"x".repeat(MAX_NAME_CHARS + 1), Lang::En).unwrap_err().code, "too_long");
        assert_eq!(DisplayName::parse("name", "two\nlines", Lang::En).unwrap_err().code, "invalid_characters");
    }

    #[test]
    fn a_user_administrator_grants_only_what_they_hold() {
        let held = roles(&["invoice.read", "invoice.approve", "report.read"]);
        assert!(may_grant(UserAdmin, false, &held, &roles(&["invoice.read", "invoice.approve"])).is_allowed());
        assert!(!may_grant(UserAdmin, false, &held, &roles(&["invoice.read", "payroll.write"])).is_allowed());
        assert!(may_grant(OrganizationAdmin, false, &Roles::new(), &roles(&["payroll.write"])).is_allowed());
        assert!(!may_grant(User, false, &held, &roles(&["report.read"])).is_allowed());
        for actor in [OrganizationAdmin, UserAdmin, User] {
            assert!(!may_grant(actor, true, &held, &roles(&["report.read"])).is_allowed(), "{actor:?} granted to themself");
            assert!(!may_revoke(actor, true).is_allowed());
        }
        assert!(may_revoke(UserAdmin, false).is_allowed());
        assert!(!may_revoke(User, false).is_allowed());
    }

    #[test]
    fn a_group_never_gives_what_the_person_adding_could_not_grant() {
        let held = roles(&["invoice.read"]);
        let group = roles(&["invoice.read", "payroll.write"]);
        let decision = may_add_to_group(UserAdmin, false, &held, &group);
        assert!(matches!(decision, Decision::Deny(Message::GroupGivesRolesYouLack)));
        assert!(may_add_to_group(UserAdmin, false, &group, &group).is_allowed());
        assert!(may_add_to_group(OrganizationAdmin, false, &Roles::new(), &group).is_allowed());
        assert!(!may_add_to_group(OrganizationAdmin, true, &group, &group).is_allowed());
        // For any held set and any group, adding is allowed only if granting directly would be.
        let all = ["a", "b", "c"];
        for held_mask in 0..8u8 {
            for group_mask in 0..8u8 {
                let pick = |mask: u8| all.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, r)| (*r).to_owned()).collect::<Roles>();
                let (held, group) = (pick(held_mask), pick(group_mask));
                assert_eq!(
                    may_add_to_group(UserAdmin, false, &held, &group).is_allowed(),
                    may_grant(UserAdmin, false, &held, &group).is_allowed()
                );
            }
        }
    }

    #[test]
    fn only_organization_administrators_define_applications_and_groups() {
        assert!(may_define(OrganizationAdmin).is_allowed());
        assert!(!may_define(UserAdmin).is_allowed());
        assert!(!may_define(User).is_allowed());
    }

    #[test]
    fn a_request_is_refused_when_held_or_already_pending() {
        assert_eq!(request_refusal(false, false), None);
        assert!(request_refusal(true, false).unwrap().text(Lang::En).contains("already hold"));
        assert!(request_refusal(false, true).unwrap().text(Lang::En).contains("already requested"));
        assert_eq!(parse_reason("  for the audit  ", Lang::En).unwrap(), "for the audit");
        assert_eq!(parse_reason(&"x".repeat(MAX_REASON_CHARS + 1), Lang::En).unwrap_err().field, "reason");
    }
}
