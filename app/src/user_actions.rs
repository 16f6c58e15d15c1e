//! What an administrator can do with a user in their current state, decided
//! by the domain's lifecycle so that the page never offers what the server
//! would refuse.

use steward_domain::activation::ActivationPath;
use steward_domain::api::UserDetail;
use steward_domain::authz::{may_act_on, may_set_role, UserAction as Act};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::Transition;
use steward_domain::user::Role;

use crate::i18n::*;
use crate::language::locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    SendToActivation,
    ResendLink,
    RegenerateCode,
    Deactivate,
    Reactivate,
    Delete,
}

impl UserAction {
    /// The button's text in `lang`.
    pub fn label(self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            UserAction::SendToActivation => td_string!(locale, user.action.send_to_activation),
            UserAction::ResendLink => td_string!(locale, user.action.resend_link),
            UserAction::RegenerateCode => td_string!(locale, user.action.regenerate_code),
            UserAction::Deactivate => td_string!(locale, user.action.deactivate),
            UserAction::Reactivate => td_string!(locale, user.action.reactivate),
            UserAction::Delete => td_string!(locale, user.action.delete),
        }
        .to_string()
    }
}

/// What `actor` may do with `user` now: the lifecycle allows it and the
/// domain lets this actor act on this user (`authz::may_act_on`).
pub fn available_actions(user: &UserDetail, actor: Role, actor_is_user: bool) -> Vec<UserAction> {
    use steward_domain::user::UserStatus;
    let lets = |act| may_act_on(actor, actor_is_user, user.role, act).is_allowed();
    let allowed = |transition| {
        user.status.after(transition).is_ok()
            && lets(match transition {
                Transition::Deactivate => Act::Deactivate,
                Transition::Reactivate => Act::Reactivate,
                Transition::Delete => Act::Delete,
                _ => Act::SendToActivation,
            })
    };
    let mut actions = Vec::new();
    if allowed(Transition::SendToActivation) {
        actions.push(match (user.status, user.activation_path) {
            (UserStatus::Pending, ActivationPath::Link) => UserAction::ResendLink,
            (UserStatus::Pending, ActivationPath::Code) => UserAction::RegenerateCode,
            _ => UserAction::SendToActivation,
        });
    }
    if allowed(Transition::Deactivate) {
        actions.push(UserAction::Deactivate);
    }
    if allowed(Transition::Reactivate) {
        actions.push(UserAction::Reactivate);
    }
    if allowed(Transition::Delete) {
        actions.push(UserAction::Delete);
    }
    actions
}

/// The roles `actor` may give `user` now, by the domain's delegation rule.
pub fn role_choices(actor: Role, actor_is_user: bool, user: Role) -> Vec<Role> {
    [Role::UserAdmin, Role::User]
        .into_iter()
        .filter(|role| *role != user && may_set_role(actor, actor_is_user, user, *role).is_allowed())
        .collect()
}

/// A role as it reads on screen, in `lang`.
pub fn role_label(role: Role, lang: Lang) -> String {
    let locale = locale(lang);
    match role {
        Role::OrganizationAdmin => td_string!(locale, common.role.organization_admin),
        Role::UserAdmin => td_string!(locale, common.role.user_admin),
        Role::User => td_string!(locale, common.role.user),
    }
    .to_string()
}

/// The button that gives `role`, in `lang`.
pub fn role_choice_label(role: Role, lang: Lang) -> String {
    let locale = locale(lang);
    match role {
        Role::UserAdmin => td_string!(locale, user.action.make_user_admin),
        _ => td_string!(locale, user.action.remove_user_admin),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::user::UserStatus;

    fn user(status: UserStatus, path: ActivationPath) -> UserDetail {
        let mut detail: UserDetail = serde_json::from_value(serde_json::json!({
            "id": "u", "first_name": "A", "last_name": "B", "email": "a@b.dk", "cpr_masked": null, "birth_date": "1990-01-01",
            "phone": null, "p_number": null, "se_number": null, "identity_means": "password", "anonymous": false,
            "may_sign": false, "may_seal": false, "scope": "", "free1": "", "free2": "", "free3": "", "role": "user",
            "status": "created", "activation_path": "code", "registration_deadline": null, "code_locked": false,
            "deactivate_from": null, "deactivate_until": null, "created_at": 0, "updated_at": 0
        }))
        .unwrap();
        detail.status = status;
        detail.activation_path = path;
        detail
    }

    #[test]
    fn actions_follow_the_lifecycle_and_the_activation_path() {
        use UserAction::*;
        let actions = |status, path| available_actions(&user(status, path), Role::UserAdmin, false);
        assert_eq!(actions(UserStatus::Created, ActivationPath::Link), vec![SendToActivation, Delete]);
        assert_eq!(actions(UserStatus::Pending, ActivationPath::Link), vec![ResendLink, Delete]);
        assert_eq!(actions(UserStatus::Pending, ActivationPath::Code), vec![RegenerateCode, Delete]);
        assert_eq!(actions(UserStatus::Active, ActivationPath::Code), vec![Deactivate, Delete]);
        assert_eq!(actions(UserStatus::Deactivated, ActivationPath::Code), vec![Reactivate, Delete]);
        assert_eq!(actions(UserStatus::Lapsed, ActivationPath::Code), vec![SendToActivation, Delete]);
    }

    #[test]
    fn administrators_are_offered_actions_on_administrators_only_by_the_rules() {
        let mut admin = user(UserStatus::Active, ActivationPath::Code);
        admin.role = Role::OrganizationAdmin;
        assert_eq!(available_actions(&admin, Role::UserAdmin, false), vec![]);
        assert_eq!(available_actions(&admin, Role::OrganizationAdmin, false), vec![UserAction::Deactivate, UserAction::Delete]);
        assert_eq!(available_actions(&admin, Role::OrganizationAdmin, true), vec![]);
    }

    #[test]
    fn only_an_organization_administrator_is_offered_role_changes_and_never_on_themself() {
        assert_eq!(role_choices(Role::OrganizationAdmin, false, Role::User), vec![Role::UserAdmin]);
        assert_eq!(role_choices(Role::OrganizationAdmin, false, Role::UserAdmin), vec![Role::User]);
        assert_eq!(role_choices(Role::OrganizationAdmin, true, Role::OrganizationAdmin), vec![]);
        assert_eq!(role_choices(Role::UserAdmin, false, Role::User), vec![]);
        assert_eq!(role_choices(Role::OrganizationAdmin, false, Role::OrganizationAdmin), vec![]);
    }

    #[test]
    fn buttons_speak_the_page_language() {
        assert_eq!(UserAction::Deactivate.label(Lang::En), "Deactivate…");
        assert_eq!(UserAction::RegenerateCode.label(Lang::Da), "Dan ny aktiveringskode");
        assert_eq!(UserAction::SendToActivation.label(Lang::De), "Zur Aktivierung senden");
        assert_eq!(role_choice_label(Role::UserAdmin, Lang::En), "Make user administrator");
        assert_eq!(role_choice_label(Role::User, Lang::Da), "Fjern som brugeradministrator");
        assert_eq!(role_label(Role::UserAdmin, Lang::En), "User administrator");
        assert_eq!(role_label(Role::UserAdmin, Lang::Da), "Brugeradministrator");
    }

}
