//! Authorization decisions (product.md §1), in one place for the Worker,
//! which enforces them, and the app, which hides what an actor may not do.
//! Which organization a target belongs to is decided by the storage
//! queries (another organization's ids are not found); these rules decide
//! what a role may do within its own.

use crate::applications::{may_grant, Roles};
use crate::messages::Message;
use crate::user::{Role, UserStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See and manage the organization's users: create, edit, lifecycle,
    /// activation, bulk files, history, notifications, the audit log.
    AdministerUsers,
    /// What only organization administrators do: settings, applications
    /// and groups, appointing user administrators.
    AdministerOrganization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refused, with the rule's reason (said in the caller's language).
    Deny(Message),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

pub fn may(actor: Role, action: Action) -> Decision {
    match (action, actor) {
        (Action::AdministerUsers, Role::OrganizationAdmin | Role::UserAdmin) => Decision::Allow,
        (Action::AdministerUsers, Role::User) => Decision::Deny(Message::OnlyAdministratorsManageUsers),
        (Action::AdministerOrganization, Role::OrganizationAdmin) => Decision::Allow,
        (Action::AdministerOrganization, Role::UserAdmin | Role::User) => {
            Decision::Deny(Message::OnlyOrganizationAdministrator)
        }
    }
}

/// Whether `actor` may change a user's role from `current` to `new`.
/// Delegation never escalates: only an organization administrator appoints
/// or removes user administrators; nobody changes their own role; the
/// organization administrator role is not given or taken here.
pub fn may_set_role(actor: Role, actor_is_target: bool, current: Role, new: Role) -> Decision {
    if actor_is_target {
        return Decision::Deny(Message::NobodyChangesOwnRole);
    }
    if actor != Role::OrganizationAdmin {
        return Decision::Deny(Message::OnlyOrganizationAdministratorAppoints);
    }
    if current == Role::OrganizationAdmin || new == Role::OrganizationAdmin {
        return Decision::Deny(Message::OrganizationAdministratorRoleNotHere);
    }
    Decision::Allow
}

/// What an administrator does to a person's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Edit,
    Deactivate,
    Reactivate,
    Delete,
    SendToActivation,
    ChangeRole,
    /// Grant or revoke applications, add to or remove from groups.
    ChangeAccess,
}

/// Whether `actor` may do `action` to a user whose role is `target`
/// (product.md §1): administrators are acted on only by organization
/// administrators, and nobody locks themself out.
pub fn may_act_on(actor: Role, actor_is_target: bool, target: Role, action: UserAction) -> Decision {
    if actor_is_target {
        return match action {
            UserAction::Delete => Decision::Deny(Message::CannotDeleteYourself),
            UserAction::Deactivate => Decision::Deny(Message::CannotDeactivateYourself),
            _ => Decision::Allow,
        };
    }
    if target.administers_users() && actor != Role::OrganizationAdmin {
        return Decision::Deny(Message::OnlyOrganizationAdministratorChangesAdministrators);
    }
    Decision::Allow
}

/// Whether doing `action` to a user of `role` and `status` must leave
/// another active organization administrator behind: the last one is never
/// deactivated or deleted (demoting one is refused by `may_set_role`).
pub fn needs_another_organization_admin(role: Role, status: UserStatus, action: UserAction) -> bool {
    role == Role::OrganizationAdmin
        && status == UserStatus::Active
        && matches!(action, UserAction::Deactivate | UserAction::Delete)
}

/// Whether an administrator holding `actor_roles` may hand a not-yet-active
/// user's account to whoever activates it: send to activation, resend,
/// regenerate a code, or change the e-mail, CPR number or birth date that
/// activation is proven with. Whoever activates holds everything the user
/// holds (`target_roles`, directly and through groups), so the actor must
/// be able to grant all of it (`may_grant`): no escalation through someone
/// else's account. An active user's account is their own already.
pub fn may_hand_over(actor: Role, actor_roles: &Roles, target_status: UserStatus, target_roles: &Roles) -> Decision {
    if !matches!(target_status, UserStatus::Created | UserStatus::Pending | UserStatus::Lapsed) {
        return Decision::Allow;
    }
    match may_grant(actor, false, actor_roles, target_roles) {
        Decision::Allow => Decision::Allow,
        Decision::Deny(_) => Decision::Deny(Message::HandOverNeedsEveryRole),
    }
}

/// Who manages the organization's users (an organization setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagementModel {
    /// Every user administrator manages every user (MitID style).
    #[default]
    Shared,
    /// A user is managed by the administrators linked to them and by their
    /// deputies (BfArM style).
    Owned,
}

impl ManagementModel {
    pub fn as_str(self) -> &'static str {
        match self {
            ManagementModel::Shared => "shared",
            ManagementModel::Owned => "owned",
        }
    }

    pub fn parse(text: &str) -> Option<ManagementModel> {
        [ManagementModel::Shared, ManagementModel::Owned].into_iter().find(|m| m.as_str() == text)
    }
}

/// Whether an administrator manages a user. `managers` are the
/// administrators linked to the user; `represented` those the actor is a
/// deputy of. The Worker's list query applies the same rule in SQL
/// (`functions/src/store/management.rs`, `managed_by_clause`); tests hold the two together.
pub fn manages(model: ManagementModel, actor: Role, actor_id: &str, managers: &[String], represented: &[String]) -> bool {
    may(actor, Action::AdministerUsers).is_allowed()
        && (manages_everyone(model, actor)
            || managers.iter().any(|manager| manager == actor_id || represented.contains(manager)))
}

/// Whether an administrator manages every user of the organization, so that
/// lists need no restriction.
pub fn manages_everyone(model: ManagementModel, actor: Role) -> bool {
    model == ManagementModel::Shared || actor == Role::OrganizationAdmin
}

/// Transfers of responsibility are for platform operators, who otherwise
/// see nothing of an organization's users.
pub fn may_transfer(platform_operator: bool) -> Decision {
    if platform_operator {
        Decision::Allow
    } else {
        Decision::Deny(Message::OnlyOperatorTransfers)
    }
}

/// Organization settings are for organization administrators.
pub fn may_change_settings(actor: Role) -> Decision {
    if actor == Role::OrganizationAdmin {
        Decision::Allow
    } else {
        Decision::Deny(Message::OnlyOrganizationAdministratorChangesSettings)
    }
}

/// Who may be registered as whose deputy: another administrator of the
/// organization, by an administrator for themself.
pub fn may_register_deputy(actor: Role, actor_id: &str, deputy: Role, deputy_id: &str) -> Decision {
    if actor_id == deputy_id {
        return Decision::Deny(Message::NobodyIsOwnDeputy);
    }
    if !may(actor, Action::AdministerUsers).is_allowed() || !may(deputy, Action::AdministerUsers).is_allowed() {
        return Decision::Deny(Message::DeputyIsAnAdministrator);
    }
    Decision::Allow
}

/// Whether an administrator of the import's organization may read its
/// progress (`GET /api/imports/{id}`): the administrator who started it, or
/// an organization administrator, who manages everyone. Another user
/// administrator may not, even in the `shared` model: an import's counts
/// belong to whoever ran it, and in the `owned` model they would tell about
/// users that administrator does not manage. The Worker answers a refusal
/// as it answers an unknown id (404), so that an import's existence is not told.
pub fn may_read_import(actor: Role, actor_started_it: bool) -> bool {
    actor_started_it || actor == Role::OrganizationAdmin
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn an_import_is_read_by_whoever_started_it_and_by_organization_administrators() {
        assert!(may_read_import(UserAdmin, true));
        assert!(may_read_import(OrganizationAdmin, false));
        assert!(!may_read_import(UserAdmin, false));
        assert!(!may_read_import(User, false));
    }

    #[test]
    fn only_administrators_administer_users() {
        assert!(may(OrganizationAdmin, Action::AdministerUsers).is_allowed());
        assert!(may(UserAdmin, Action::AdministerUsers).is_allowed());
        assert!(!may(User, Action::AdministerUsers).is_allowed());
        assert!(may(OrganizationAdmin, Action::AdministerOrganization).is_allowed());
        assert!(!may(UserAdmin, Action::AdministerOrganization).is_allowed());
        assert!(!may(User, Action::AdministerOrganization).is_allowed());
    }

    #[test]
    fn in_the_owned_model_a_user_administrator_manages_their_own_and_those_they_stand_in_for() {
        let managers = vec!["a".to_owned()];
        assert!(manages(ManagementModel::Shared, UserAdmin, "b", &managers, &[]));
        assert!(!manages(ManagementModel::Owned, UserAdmin, "b", &managers, &[]));
        assert!(manages(ManagementModel::Owned, UserAdmin, "a", &managers, &[]));
        assert!(manages(ManagementModel::Owned, UserAdmin, "b", &managers, &["a".to_owned()]));
        assert!(manages(ManagementModel::Owned, OrganizationAdmin, "c", &managers, &[]));
        assert!(!manages(ManagementModel::Shared, User, "a", &managers, &[]));
        assert!(may_register_deputy(UserAdmin, "a", UserAdmin, "b").is_allowed());
        assert!(!may_register_deputy(UserAdmin, "a", UserAdmin, "a").is_allowed());
        assert!(!may_register_deputy(UserAdmin, "a", User, "c").is_allowed());
    }

    #[test]
    fn administrators_are_acted_on_only_by_organization_administrators() {
        use UserAction::*;
        for action in [Edit, Deactivate, Reactivate, Delete, SendToActivation, ChangeRole, ChangeAccess] {
            for target in [OrganizationAdmin, UserAdmin] {
                assert!(!may_act_on(UserAdmin, false, target, action).is_allowed(), "{action:?} on {target:?}");
                assert!(may_act_on(OrganizationAdmin, false, target, action).is_allowed(), "{action:?} on {target:?}");
            }
            assert!(may_act_on(UserAdmin, false, User, action).is_allowed());
        }
        assert!(!may_act_on(OrganizationAdmin, true, OrganizationAdmin, Delete).is_allowed());
        assert!(!may_act_on(UserAdmin, true, UserAdmin, Deactivate).is_allowed());
        assert!(may_act_on(UserAdmin, true, UserAdmin, Edit).is_allowed());
    }

    #[test]
    fn only_the_last_active_organization_administrator_is_kept() {
        assert!(needs_another_organization_admin(OrganizationAdmin, UserStatus::Active, UserAction::Deactivate));
        assert!(needs_another_organization_admin(OrganizationAdmin, UserStatus::Active, UserAction::Delete));
        assert!(!needs_another_organization_admin(OrganizationAdmin, UserStatus::Deactivated, UserAction::Delete));
        assert!(!needs_another_organization_admin(OrganizationAdmin, UserStatus::Active, UserAction::Edit));
        assert!(!needs_another_organization_admin(UserAdmin, UserStatus::Active, UserAction::Delete));
    }

    #[test]
    fn handing_over_an_account_needs_everything_it_holds() {
        let roles = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Roles>();
        let bo = roles(&["invoice.read", "reports.read"]);
        let payroll = roles(&["payroll.run"]);
        for status in [UserStatus::Created, UserStatus::Pending, UserStatus::Lapsed] {
            assert!(!may_hand_over(UserAdmin, &bo, status, &payroll).is_allowed());
            assert!(may_hand_over(UserAdmin, &bo, status, &roles(&["invoice.read"])).is_allowed());
            assert!(may_hand_over(OrganizationAdmin, &Roles::new(), status, &payroll).is_allowed());
            assert!(!may_hand_over(User, &bo, status, &Roles::new()).is_allowed());
        }
        assert!(may_hand_over(UserAdmin, &bo, UserStatus::Active, &payroll).is_allowed());
    }

    #[test]
    fn role_changes_never_escalate() {
        let roles = [OrganizationAdmin, UserAdmin, User];
        let mut allowed = Vec::new();
        for actor in roles {
            for current in roles {
                for new in roles {
                    for own in [false, true] {
                        if may_set_role(actor, own, current, new).is_allowed() {
                            allowed.push((actor, own, current, new));
                        }
                    }
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                (OrganizationAdmin, false, UserAdmin, UserAdmin),
                (OrganizationAdmin, false, UserAdmin, User),
                (OrganizationAdmin, false, User, UserAdmin),
                (OrganizationAdmin, false, User, User),
            ]
        );
    }
}
