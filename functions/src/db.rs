//! Where the modules whose SQL is still moving to `store/` (`users.rs`,
//! `activation.rs`) find the store's shared helpers and guards; the SQL
//! itself lives in `store/` (`sql`, `guards`, `directory`).

pub use crate::store::directory::users_page;
pub use crate::store::guards::{commit, expect_another_organization_admin, expect_live_secret, expect_status, expect_statuses};
pub use crate::store::sql::{flag, int, opt_text, values};
