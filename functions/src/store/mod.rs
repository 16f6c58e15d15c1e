//! The store: every SQL statement of a capability, in the module of that
//! capability, returning typed rows parsed once; handlers decide.

/// Typed ids at the store's interface.
pub mod ids;
/// Sessions and the credentials signing in reads.
pub mod sessions;
/// Throttle counts of sign-in, password and join attempts.
pub mod attempts;
/// Applications to join an organization, and whether it takes them.
pub mod join_requests;
/// The outbox's delivery: due entries, claims, sent, retried, failed.
pub mod outbox;
/// History events: recorded, read per user and as the audit log.
pub mod history;
/// Who manages whom: the management model, manager links, deputies' principals.
pub mod management;
