//! Typed ids at the store's interface: which id goes where is checked by
//! the compiler, not by the order of `&str` arguments.

use wasm_bindgen::JsValue;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    )*};
}

ids!(
    /// A user's id (an administrator's too).
    UserId,
    /// An organization's id.
    OrganizationId,
    /// An application's id.
    ApplicationId,
    /// A custom group's id.
    GroupId,
    /// A role request's id.
    RequestId,
);

/// A user id or none, for a parameter where the empty text stands for
/// "everyone" (`db::managed_by_clause`).
pub fn or_everyone(user: Option<UserId<'_>>) -> JsValue {
    JsValue::from(user.map_or("", UserId::as_str))
}
