//! Bulk imports: an import's row and chunks (whose answers a replay reads),
//! its event in the audit log, and the statements that change one user's
//! applications and groups as a row names them, each kind as one statement
//! however many it names (as JSON arrays).

use serde::Deserialize;
use steward_domain::lifecycle::HistoryAction;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::error::ApiResult;
use crate::store::ids::{ImportId, OrganizationId, UserId};
use crate::store::sql::int;

/// Whose an import is, and a chunk's answer if it was applied before.
#[derive(Debug, Deserialize)]
pub struct ImportChunkRow {
    pub organization_id: String,
    pub actor_id: String,
    /// The chunk's answer, if it was applied before.
    pub result: Option<String>,
}

/// The import and its chunk `seq`, if the import was started.
pub async fn chunk(db: &Db, import: ImportId<'_>, seq: u32) -> ApiResult<Option<ImportChunkRow>> {
    Ok(db
        .prepare(
            "SELECT i.organization_id, i.actor_id, c.result FROM imports i \
             LEFT JOIN import_chunks c ON c.import_id = i.id AND c.seq = ?2 WHERE i.id = ?1",
        )
        .bind(&[import.into(), int(seq.into())])?
        .first(None)
        .await?)
}

/// An import and what its applied chunks add up to.
#[derive(Debug, Deserialize)]
pub struct ImportSummaryRow {
    pub organization_id: String,
    pub actor_id: String,
    pub actor_name: String,
    pub operation: String,
    pub started_at: i64,
    pub last_activity_at: Option<i64>,
    /// The chunks' sequence numbers, a JSON array.
    pub seqs: String,
    pub rows: i64,
    /// Rows by outcome, a JSON object (`{"created": 150, ...}`).
    pub outcomes: String,
}

/// The import `import` summed over its chunks, if it was started: one query
/// however many chunks it has (a 200,000-row import has some 1,400), the
/// sums made by SQLite from each chunk's stored answer (`ChunkResult`).
pub async fn summary(db: &Db, import: ImportId<'_>) -> ApiResult<Option<ImportSummaryRow>> {
    Ok(db
        .prepare(
            "SELECT i.organization_id, i.actor_id, i.actor_name, i.operation, i.created_at AS started_at, \
                    max(c.created_at) AS last_activity_at, \
                    json_group_array(c.seq) FILTER (WHERE c.seq IS NOT NULL) AS seqs, \
                    coalesce(sum(c.rows), 0) AS rows, \
                    (SELECT json_group_object(outcome, n) FROM \
                       (SELECT json_extract(o.value, '$.outcome') AS outcome, count(*) AS n \
                        FROM import_chunks oc, json_each(oc.result, '$.outcomes') o \
                        WHERE oc.import_id = i.id GROUP BY 1)) AS outcomes \
             FROM imports i LEFT JOIN import_chunks c ON c.import_id = i.id \
             WHERE i.id = ?1 GROUP BY i.id",
        )
        .bind(&[import.into()])?
        .first(None)
        .await?)
}

/// Makes the import's row, unless an earlier chunk made it.
pub fn start_statement(
    db: &Db,
    import: ImportId<'_>,
    organization: OrganizationId<'_>,
    operation: &str,
    actor: UserId<'_>,
    actor_name: &str,
    now: i64,
) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT OR IGNORE INTO imports (id, organization_id, operation, actor_id, actor_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&[import.into(), organization.into(), operation.into(), actor.into(), actor_name.into(), int(now)])?)
}

/// Records chunk `seq` of `rows` rows and its answer; a replay racing it fails here.
pub fn chunk_statement(db: &Db, import: ImportId<'_>, seq: u32, rows: usize, answer: &str, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO import_chunks (import_id, seq, rows, result, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(&[import.into(), int(seq.into()), int(rows as i64), answer.into(), int(now)])?)
}

/// The import in the organization's audit log: one event, `details` and its
/// count of rows brought up to date by every chunk.
pub fn audit_statement(
    db: &Db,
    import: ImportId<'_>,
    organization: OrganizationId<'_>,
    actor: UserId<'_>,
    actor_name: &str,
    details: &str,
    now: i64,
) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             VALUES ('import:' || ?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8 || ': ' || (SELECT sum(rows) FROM import_chunks WHERE import_id = ?1) || ' rows applied') \
             ON CONFLICT (id) DO UPDATE SET details = excluded.details",
        )
        .bind(&[
            import.into(),
            organization.into(),
            int(now),
            actor.into(),
            actor_name.into(),
            HistoryAction::Imported.as_str().into(),
            HistoryAction::Imported.label().into(),
            details.into(),
        ])?)
}

/// Who changes a user's applications and groups by import, and when.
#[derive(Clone, Copy)]
pub struct ByImport<'a> {
    pub organization: OrganizationId<'a>,
    pub actor: UserId<'a>,
    pub actor_name: &'a str,
    pub now: i64,
}

/// The user's history: one event of `action` for each of `details` (a JSON array).
pub fn events_statement(db: &Db, by: ByImport<'_>, user: UserId<'_>, action: HistoryAction, details: JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             SELECT lower(hex(randomblob(16))), ?1, ?2, ?3, ?4, ?5, ?6, ?7, value FROM json_each(?8)",
        )
        .bind(&[
            by.organization.into(),
            user.into(),
            int(by.now),
            by.actor.into(),
            by.actor_name.into(),
            action.as_str().into(),
            action.label().into(),
            details,
        ])?)
}

/// Grants the applications `ids` (a JSON array) directly.
pub fn grant_statement(db: &Db, by: ByImport<'_>, user: UserId<'_>, ids: &JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT OR IGNORE INTO user_applications (user_id, application_id, granted_by, granted_at) SELECT ?1, value, ?2, ?3 FROM json_each(?4)")
        .bind(&[user.into(), by.actor.into(), int(by.now), ids.clone()])?)
}

/// Grants the user's pending requests for the applications `ids` (a JSON array).
pub fn grant_requests_statement(db: &Db, by: ByImport<'_>, user: UserId<'_>, ids: &JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "UPDATE role_requests SET status = 'granted', decided_by = ?2, decided_at = ?3 \
             WHERE user_id = ?1 AND status = 'pending' AND application_id IN (SELECT value FROM json_each(?4))",
        )
        .bind(&[user.into(), by.actor.into(), int(by.now), ids.clone()])?)
}

/// Revokes the direct applications `ids` (a JSON array).
pub fn revoke_statement(db: &Db, user: UserId<'_>, ids: &JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare("DELETE FROM user_applications WHERE user_id = ?1 AND application_id IN (SELECT value FROM json_each(?2))")
        .bind(&[user.into(), ids.clone()])?)
}

/// Adds the user to the custom groups `ids` (a JSON array).
pub fn join_statement(db: &Db, by: ByImport<'_>, user: UserId<'_>, ids: &JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT OR IGNORE INTO group_members (group_id, user_id, added_by, added_at) SELECT value, ?1, ?2, ?3 FROM json_each(?4)")
        .bind(&[user.into(), by.actor.into(), int(by.now), ids.clone()])?)
}

/// Removes the user from the custom groups `ids` (a JSON array).
pub fn leave_statement(db: &Db, user: UserId<'_>, ids: &JsValue) -> ApiResult<Statement> {
    Ok(db
        .prepare("DELETE FROM group_members WHERE user_id = ?1 AND group_id IN (SELECT value FROM json_each(?2))")
        .bind(&[user.into(), ids.clone()])?)
}

/// A row's key and the id it names, or a user and one of theirs.
#[derive(Deserialize)]
pub struct Pair {
    pub key: String,
    pub value: String,
}

/// The column an edit or delete row's user is found by.
#[derive(Clone, Copy)]
pub enum RowKey {
    Uuid,
    Email,
}

/// The live users of the organization whose `key` is one of `values`, as
/// (value, user id) pairs.
pub async fn users_by(db: &Db, organization: OrganizationId<'_>, key: RowKey, values: &[String]) -> ApiResult<Vec<Pair>> {
    let sql = match key {
        RowKey::Uuid => "SELECT id AS key, id AS value FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id IN ({keys})",
        RowKey::Email => {
            "SELECT email_normalized AS key, id AS value FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND email_normalized IN ({keys})"
        }
    };
    Ok(db.all_for_keys::<Pair>(sql, &[organization.into()], values).await?)
}

/// Each user's direct applications, as (user id, application id) pairs.
pub async fn direct_applications(db: &Db, users: &[String]) -> ApiResult<Vec<Pair>> {
    Ok(db.all_for_keys("SELECT user_id AS key, application_id AS value FROM user_applications WHERE user_id IN ({keys})", &[], users).await?)
}

/// Each user's custom groups, as (user id, group id) pairs.
pub async fn memberships(db: &Db, users: &[String]) -> ApiResult<Vec<Pair>> {
    Ok(db.all_for_keys("SELECT user_id AS key, group_id AS value FROM group_members WHERE user_id IN ({keys})", &[], users).await?)
}
