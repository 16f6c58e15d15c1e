//! What an administrator can do with a user in their current state, decided
//! by the domain's lifecycle so that the page never offers what the server
//! would refuse.

use steward_domain::activation::ActivationPath;
use steward_domain::api::UserDetail;
use steward_domain::authz::{may_act_on, may_set_role, UserAction as Act};
use steward_domain::lifecycle::Transition;
use steward_domain::user::Role;

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
    pub fn label(self) -> &'static str {
        match self {
            UserAction::SendToActivation => "Send to activation",
            UserAction::ResendLink => "Send a new activation link",
            UserAction::RegenerateCode => "Regenerate activation code",
            UserAction::Deactivate => "Deactivate…",
            UserAction::Reactivate => "Reactivate",
            UserAction::Delete => "Delete…",
        }
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

pub fn role_choice_label(role: Role) -> &'static str {
    match role {
        Role::UserAdmin => "Make user administrator",
        _ => "Remove as user administrator",
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM` UTC, for history and deadlines.
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

}
