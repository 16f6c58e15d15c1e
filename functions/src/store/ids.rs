//! Typed ids at the store's interface: transparent over a borrowed `&str`,
//! so that a call site writes `UserId(&me.id)` and cannot swap two ids.

use wasm_bindgen::JsValue;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(transparent)]
        pub struct $name<'a>(pub &'a str);

        impl<'a> $name<'a> {
            pub fn as_str(self) -> &'a str {
                self.0
            }
        }

        impl From<$name<'_>> for JsValue {
            fn from(id: $name<'_>) -> JsValue {
                JsValue::from(id.0)
            }
        }

        impl std::fmt::Display for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
    )*};
}

ids!(
    /// A user's id (`users.id`), an administrator's too.
    UserId,
    /// An organization's id (`organizations.id`).
    OrganizationId,
    /// An application to join (`join_requests.id`).
    JoinRequestId,
    /// An outbox entry's id (`outbox.id`).
    OutboxEntryId,
    /// An application's id (`applications.id`).
    ApplicationId,
    /// A custom group's id (`user_groups.id`).
    GroupId,
    /// A role request's id (`role_requests.id`).
    RequestId,
    /// A bulk import's id (`imports.id`).
    ImportId,
    /// An activation link's or code's id (`activation_secrets.id`).
    ActivationSecretId,
);

/// A user id or none, for a parameter where the empty text stands for
/// "everyone" (`management::managed_by_clause`).
pub fn or_everyone(user: Option<UserId<'_>>) -> JsValue {
    JsValue::from(user.map_or("", UserId::as_str))
}
