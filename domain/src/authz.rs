//! Authorization decisions (product.md §1), in one place for the Worker,
//! which enforces them, and the app, which hides what an actor may not do.
//! Which organization a target belongs to is decided by the storage
//! queries (another organization's ids are not found); these rules decide
//! what a role may do within its own.

use crate::user::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See and manage the organization's users: create, edit, lifecycle,
    /// activation, bulk files, history, notifications, the audit log.
    AdministerUsers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(&'static str),
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

pub fn may(actor: Role, action: Action) -> Decision {
    match (action, actor) {
        (Action::AdministerUsers, Role::OrganizationAdmin | Role::UserAdmin) => Decision::Allow,
        (Action::AdministerUsers, Role::User) => Decision::Deny("Only administrators manage users."),
    }
}

/// Whether `actor` may change a user's role from `current` to `new`.
/// Delegation never escalates: only an organization administrator appoints
/// or removes user administrators; nobody changes their own role; the
/// organization administrator role is not given or taken here.
pub fn may_set_role(actor: Role, actor_is_target: bool, current: Role, new: Role) -> Decision {
    if actor_is_target {
        return Decision::Deny("Nobody changes their own role.");
    }
    if actor != Role::OrganizationAdmin {
        return Decision::Deny("Only an organization administrator appoints or removes user administrators.");
    }
    if current == Role::OrganizationAdmin || new == Role::OrganizationAdmin {
        return Decision::Deny("The organization administrator role is not given or taken here.");
    }
    Decision::Allow
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    #[test]
    fn only_administrators_administer_users() {
        assert!(may(OrganizationAdmin, Action::AdministerUsers).is_allowed());
        assert!(may(UserAdmin, Action::AdministerUsers).is_allowed());
        assert!(!may(User, Action::AdministerUsers).is_allowed());
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
