//! What the applications, requests and groups pages show and offer, kept
//! out of the components. Decisions come from `domain::applications`.

use steward_domain::api::{ApplicationInfo, HeldApplication, Me, RoleRequestInfo};
use steward_domain::applications::{may_grant, roles_of_application, Roles};
use steward_domain::lang::Lang;

use crate::i18n::*;
use crate::language::locale;

/// The roles typed into the "new application" form: separated by commas,
/// spaces or line breaks; the domain checks each.
pub fn roles_from_text(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace()).filter(|part| !part.is_empty()).map(str::to_owned).collect()
}

/// "Invoicing (invoice.approve, invoice.read)".
pub fn application_label(application: &ApplicationInfo) -> String {
    format!("{} ({})", application.name, application.roles.join(", "))
}

/// An application someone holds, and where from, in `lang`.
pub fn held_label_in(lang: Lang, held: &HeldApplication) -> String {
    let application = application_label(&held.application);
    match &held.via_group {
        None => application,
        Some(group) => td_string!(locale(lang), user.applications.through_group, application = application, group = group.clone()).to_string(),
    }
}

/// Whether the signed-in administrator may grant what `request` asks for,
/// so that the page offers "Grant" only then (the server decides again).
pub fn may_grant_request(me: &Me, my_roles: &Roles, request: &RoleRequestInfo) -> bool {
    may_grant(me.role, me.id == request.requester.id, my_roles, &roles_of_application(&request.application)).is_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::api::{OrganizationSummary, PersonRef, RequestStatus};
    use steward_domain::applications::roles_of;
    use steward_domain::user::Role;

    fn application(name: &str, roles: &[&str]) -> ApplicationInfo {
        ApplicationInfo { id: name.to_lowercase(), name: name.into(), roles: roles.iter().map(|r| (*r).to_owned()).collect() }
    }

    fn me(role: Role) -> Me {
        Me {
            id: "bo".into(),
            email: "bo@x.dk".into(),
            first_name: "Bo".into(),
            last_name: "Berg".into(),
            role,
            organization: OrganizationSummary { id: "o".into(), name: "O".into() },
            platform_operator: false,
            register_administrator: false,
            language: Default::default(),
            chosen_language: None,
        }
    }

    fn request(requester: &str, application: ApplicationInfo) -> RoleRequestInfo {
        RoleRequestInfo {
            id: "r".into(),
            requester: PersonRef { id: requester.into(), name: "Camilla Dahl".into() },
            application,
            reason: String::new(),
            status: RequestStatus::Pending,
            created_at: 0,
            decided_at: None,
            decided_by: None,
        }
    }

    #[test]
    fn roles_are_typed_with_commas_or_spaces() {
        assert_eq!(roles_from_text(" invoice.read,invoice.approve\nreport.read  "), vec!["invoice.read", "invoice.approve", "report.read"]);
        assert!(roles_from_text(" , ").is_empty());
    }

    #[test]
    fn held_applications_say_where_they_come_from() {
        let invoicing = application("Invoicing", &["invoice.approve", "invoice.read"]);
        assert_eq!(held_label_in(Lang::En, &HeldApplication { application: invoicing.clone(), via_group: None }), "Invoicing (invoice.approve, invoice.read)");
        assert_eq!(
            held_label_in(Lang::En, &HeldApplication { application: invoicing, via_group: Some("Finance team".into()) }),
            "Invoicing (invoice.approve, invoice.read) — through the group Finance team"
        );
        let reports = HeldApplication { application: application("Reports", &["report.read"]), via_group: Some("Økonomi".into()) };
        assert_eq!(held_label_in(Lang::Da, &reports), "Reports (report.read) — via brugergruppen Økonomi");
        assert_eq!(held_label_in(Lang::De, &reports), "Reports (report.read) — über die Benutzergruppe Økonomi");
    }

    #[test]
    fn grant_is_offered_only_for_what_the_administrator_may_grant() {
        let held = vec![HeldApplication { application: application("Invoicing", &["invoice.read"]), via_group: Some("Finance".into()) }];
        let mine = roles_of(&held);
        assert!(may_grant_request(&me(Role::UserAdmin), &mine, &request("camilla", application("Invoicing", &["invoice.read"]))));
        assert!(!may_grant_request(&me(Role::UserAdmin), &mine, &request("camilla", application("Payroll", &["payroll.write"]))));
        assert!(may_grant_request(&me(Role::OrganizationAdmin), &Roles::new(), &request("camilla", application("Payroll", &["payroll.write"]))));
        assert!(!may_grant_request(&me(Role::OrganizationAdmin), &mine, &request("bo", application("Invoicing", &["invoice.read"]))));
    }
}
