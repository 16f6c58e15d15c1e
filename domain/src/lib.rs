//! Steward's domain: the types, field rules and decisions shared by the
//! browser app, the Worker and the command line. No I/O lives here.

pub mod activation;
pub mod api;
pub mod applications;
pub mod authz;
pub mod bulk;
pub mod email;
pub mod fields;
pub mod format;
pub mod join;
pub mod lang;
pub mod lifecycle;
pub mod messages;
pub mod notification;
pub mod pagination;
pub mod password;
pub mod session;
pub mod text;
pub mod throttle;
pub mod user;
pub mod user_form;
pub mod vault;
