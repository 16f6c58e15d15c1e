//! The store: the SQL the Worker runs, by capability; each module owns its
//! queries and returns typed rows, parsed once, or statements for a batch.

pub mod applications; // applications, their roles, and who holds them directly or through groups
pub mod deputies; // deputies and the organization's management model
pub mod groups; // custom and system groups, their applications and members
pub mod ids; // the typed ids the store's functions take
pub mod notifications; // the outbox's e-mails, in-app notifications and each administrator's channel
pub mod requests; // users' requests for applications, and who is told of them
pub mod transfers; // administrators and the links that a transfer of responsibility moves
