//! The store: every SQL statement of a capability, in the module of that
//! capability, returning typed rows parsed once, or statements for a batch;
//! handlers decide.

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
/// Applications, their roles, and who holds them directly or through groups.
pub mod applications;
/// Deputies and the organization's management model.
pub mod deputies;
/// Custom and system groups, their applications and members.
pub mod groups;
/// The outbox's e-mails, in-app notifications and each administrator's channel.
pub mod notifications;
/// Users' requests for applications, and who is told of them.
pub mod requests;
/// Administrators and the links that a transfer of responsibility moves.
pub mod transfers;
/// Users' rows, parsed once, and the statements that create, edit and end them.
pub mod users;
/// Activation secrets and the statements that activate a user.
pub mod activation;
/// Values sealed under an earlier key, and the statements that seal them again.
pub mod reseal;
/// Pending registrations due for a reminder or their lapse.
pub mod registrations;
/// Deactivation periods that start or end, and dropping one.
pub mod periods;
/// Binding values, and reading one text column or one count.
pub mod sql;
/// The expectations that guard a batch, and `commit`, which answers a refused one.
pub mod guards;
/// The organization's users a page at a time, in name order.
pub mod directory;
/// Bulk imports: their chunks, audit event and per-row application and group changes.
pub mod imports;
