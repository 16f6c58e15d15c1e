//! The organization's users a page at a time, in name order, as the user
//! list shows them.

use serde::Deserialize;
use steward_domain::pagination::UserCursor;
use wasm_bindgen::JsValue;

use crate::d1::Db;
use crate::error::ApiResult;
use crate::store::ids::{or_everyone, OrganizationId, UserId};
use crate::store::management::managed_by_clause;

#[derive(Debug, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: String,
}

/// One page of an organization's users in name order, starting after
/// `after`, whose name or e-mail contains `needle` (lower-case; empty: all).
/// The walk follows the name index, so a page costs what it reads.
pub async fn users_page(
    db: &Db,
    organization: OrganizationId<'_>,
    needle: &str,
    managed_by: Option<UserId<'_>>,
    after: Option<&UserCursor>,
    limit: u32,
) -> ApiResult<Vec<UserRow>> {
    const COLUMNS: &str = "SELECT id, first_name, last_name, email, status FROM users";
    // ?1 the organization, ?2 the search text, ?3 `authz::manages` in SQL for
    // the `owned` model: users linked to that administrator or to someone
    // they stand in for (empty: everyone).
    let matches = format!(
        "organization_id = ?1 AND status <> 'deleted' AND (?2 = '' OR instr(search_text, ?2) > 0) AND {}",
        managed_by_clause("users.id", "?3")
    );
    let mut binds: Vec<JsValue> = vec![organization.into(), needle.into(), or_everyone(managed_by)];
    // Two texts rather than one with an OR, so that SQLite seeks the name
    // index to the cursor instead of walking to it.
    let sql = match after {
        None => format!("{COLUMNS} WHERE {matches} ORDER BY last_name, first_name, id LIMIT ?4"),
        Some(cursor) => {
            binds.extend([cursor.last_name.as_str().into(), cursor.first_name.as_str().into(), cursor.id.as_str().into()]);
            format!("{COLUMNS} WHERE {matches} AND (last_name, first_name, id) > (?4, ?5, ?6) ORDER BY last_name, first_name, id LIMIT ?7")
        }
    };
    binds.push(JsValue::from_f64(limit as f64));
    let statement = db.prepare(sql).bind(&binds)?;
    Ok(statement.all().await?.results()?)
}

