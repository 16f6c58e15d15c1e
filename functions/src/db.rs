//! The SQL the Worker runs, one function per question, so that handlers
//! never build queries and every query has its index (see migrations/).

use serde::Deserialize;
use steward_domain::pagination::UserCursor;
use wasm_bindgen::JsValue;
use crate::d1::{Db, Statement};

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: String,
}

/// `authz::manages` in SQL for the `owned` model: the user in `user_column`
/// is linked to the administrator bound at `admin_param`, or to someone they
/// stand in for; an empty administrator means everyone is managed.
pub fn managed_by_clause(user_column: &str, admin_param: &str) -> String {
    format!(
        "({admin_param} = '' OR EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = {user_column} \
         AND (m.admin_id = {admin_param} OR m.admin_id IN (SELECT administrator_id FROM deputies WHERE deputy_id = {admin_param}))))"
    )
}

/// One page of an organization's users in name order, starting after
/// `after`, whose name or e-mail contains `needle` (lower-case; empty: all).
/// The walk follows the name index, so a page costs what it reads.
pub async fn users_page(
    db: &Db,
    organization_id: &str,
    needle: &str,
    managed_by: Option<&str>,
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
    let mut binds: Vec<JsValue> = vec![organization_id.into(), needle.into(), managed_by.unwrap_or("").into()];
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

/// Binding values for D1: SQL NULL for `None`, numbers as JS numbers.
pub fn opt_text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from)
}

pub fn int(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

pub fn flag(value: bool) -> JsValue {
    JsValue::from_f64(if value { 1.0 } else { 0.0 })
}

#[derive(Deserialize)]
struct Value {
    value: String,
}

/// The one text column `value` of every row `sql` selects.
pub async fn values<C: FromIterator<String>>(db: &Db, sql: &str, binds: Vec<JsValue>) -> ApiResult<C> {
    Ok(db.prepare(sql).bind(&binds)?.all().await?.results::<Value>()?.into_iter().map(|row| row.value).collect())
}

/// The number `count` of the one row `sql` selects (0 if none).
pub async fn count(db: &Db, sql: &str, binds: &[JsValue]) -> ApiResult<u32> {
    #[derive(Deserialize)]
    struct Count {
        count: u32,
    }
    Ok(db.prepare(sql).bind(binds)?.first::<Count>(None).await?.map_or(0, |row| row.count))
}

/// Runs statements as one D1 batch: all of them or none. A batch whose
/// expectation (`expect_status`, `expect_another_organization_admin`) no
/// longer holds is rolled back and answered as a conflict; one under
/// someone else's import id (`expect_import_owner`) as not found.
pub async fn commit(db: &Db, statements: Vec<Statement>) -> ApiResult<()> {
    match db.batch(statements).await {
        Ok(_) => Ok(()),
        Err(error) => {
            let detail = error.to_string();
            Err(if detail.contains("changed_meanwhile") {
                ApiError::Conflict("This was changed by someone else meanwhile. Reload the page and try again.".into())
            } else if detail.contains("import_of_another") {
                // Another organization's or administrator's import id: as if it did not exist.
                ApiError::NotFound
            } else if detail.contains("last_organization_admin") {
                ApiError::Conflict(
                    "This is the organization's last active organization administrator. Appoint another one first.".into(),
                )
            } else {
                ApiError::Internal(detail)
            })
        }
    }
}

/// The first statement of a batch decided on a user in `status`: rolls the
/// batch back if the user's status changed meanwhile (a racing delete must
/// not have personal data written back into its tombstone).
pub fn expect_status(db: &Db, user_id: &str, status: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND status = ?2)")
        .bind(&[user_id.into(), status.into()])?)
}

/// What waits for an administrator's decision.
pub enum Pending {
    RoleRequest,
    JoinRequest,
}

/// Rolls the batch back unless the request is still waiting for a
/// decision: of two administrators deciding it at once, one decides.
pub fn expect_pending(db: &Db, kind: Pending, id: &str) -> ApiResult<Statement> {
    let sql = match kind {
        Pending::RoleRequest => {
            "INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM role_requests WHERE id = ?1 AND status = 'pending')"
        }
        Pending::JoinRequest => {
            "INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM join_requests WHERE id = ?1 AND status = 'pending')"
        }
    };
    Ok(db.prepare(sql).bind(&[id.into()])?)
}

/// Rolls the batch back unless the activation secret is still unused: of
/// two activations racing with the same link or code, one wins.
pub fn expect_live_secret(db: &Db, secret_id: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM activation_secrets WHERE id = ?1 AND consumed_at IS NULL)")
        .bind(&[secret_id.into()])?)
}

/// `expect_status` for many users at once: (user id, status) pairs, as
/// many to a statement as D1's bound parameters allow.
pub fn expect_statuses(db: &Db, expected: &[(&str, &str)]) -> ApiResult<Vec<Statement>> {
    expected
        .chunks(crate::d1::MAX_BOUND_PARAMETERS / 2)
        .map(|group| {
            let pairs: Vec<String> = (0..group.len()).map(|i| format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2)).collect();
            let binds: Vec<JsValue> = group.iter().flat_map(|(id, status)| [JsValue::from(*id), JsValue::from(*status)]).collect();
            Ok(db
                .prepare(format!(
                    "INSERT INTO expectations (unchanged) SELECT 0 FROM (VALUES {}) AS expected \
                     WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = expected.column1 AND status = expected.column2)",
                    pairs.join(", ")
                ))
                .bind(&binds)?)
        })
        .collect()
}

/// Rolls the batch back unless the import `import_id` is the one this
/// organization's administrator started (its first chunk's batch made its
/// row); answered 404.
pub fn expect_import_owner(db: &Db, import_id: &str, organization_id: &str, actor_id: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO expectations (import_owner) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM imports \
             WHERE id = ?1 AND organization_id = ?2 AND actor_id = ?3)",
        )
        .bind(&[import_id.into(), organization_id.into(), actor_id.into()])?)
}

/// Rolls the batch back unless the organization keeps an active
/// organization administrator other than `user_id`; decided inside the
/// batch, so that two administrators removing each other at once cannot
/// both succeed.
pub fn expect_another_organization_admin(db: &Db, organization_id: &str, user_id: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO expectations (admin_remains) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM users \
             WHERE organization_id = ?1 AND id <> ?2 AND role = 'organization_admin' AND status = 'active')",
        )
        .bind(&[organization_id.into(), user_id.into()])?)
}
