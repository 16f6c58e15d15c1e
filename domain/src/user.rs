//! Users' roles and statuses (product.md §1, §2).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    OrganizationAdmin,
    UserAdmin,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::OrganizationAdmin => "organization_admin",
            Role::UserAdmin => "user_admin",
            Role::User => "user",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::OrganizationAdmin, Role::UserAdmin, Role::User]
            .into_iter()
            .find(|role| role.as_str() == text)
    }

    /// Whether this role may see and manage the users of its organization.
    pub fn administers_users(self) -> bool {
        crate::authz::may(self, crate::authz::Action::AdministerUsers).is_allowed()
    }

    /// The English label, for history details and logs.
    pub fn label(self) -> &'static str {
        crate::messages::Message::Role(self).template(crate::lang::Lang::En)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Created,
    Pending,
    Active,
    Deactivated,
    Lapsed,
    Deleted,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Created => "created",
            UserStatus::Pending => "pending",
            UserStatus::Active => "active",
            UserStatus::Deactivated => "deactivated",
            UserStatus::Lapsed => "lapsed",
            UserStatus::Deleted => "deleted",
        }
    }

    pub fn parse(text: &str) -> Option<UserStatus> {
        use UserStatus::*;
        [Created, Pending, Active, Deactivated, Lapsed, Deleted]
            .into_iter()
            .find(|status| status.as_str() == text)
    }

    /// Only active users may sign in.
    pub fn may_sign_in(self) -> bool {
        self == UserStatus::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_statuses_round_trip_through_their_names() {
        for role in [Role::OrganizationAdmin, Role::UserAdmin, Role::User] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        for name in ["created", "pending", "active", "deactivated", "lapsed", "deleted"] {
            assert_eq!(UserStatus::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_administrators_administer_and_only_active_users_sign_in() {
        assert!(Role::OrganizationAdmin.administers_users());
        assert!(Role::UserAdmin.administers_users());
        assert!(!Role::User.administers_users());
        assert!(UserStatus::Active.may_sign_in());
        assert!(!UserStatus::Deactivated.may_sign_in());
        assert!(!UserStatus::Pending.may_sign_in());
    }
}
