//! Values sealed under an earlier key: the CPR numbers and outbox payloads
//! still under one of those versions, and the statements that seal them
//! again only if they are still the ones read.

use serde::Deserialize;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::ApiResult;
use crate::store::ids::{OutboxEntryId, UserId};

/// A user's CPR number sealed under an earlier key.
#[derive(Debug, Deserialize)]
pub struct SealedCpr {
    pub id: String,
    pub organization_id: String,
    pub sealed: String,
}

/// An outbox entry's payload sealed under an earlier key.
#[derive(Debug, Deserialize)]
pub struct SealedPayload {
    pub id: String,
    pub sealed: String,
}

/// At most `limit` users whose CPR number is sealed under one of the
/// `prefixes` (a JSON array of sealed prefixes).
pub async fn sealed_cprs(db: &Db, prefixes: &JsValue, limit: u32) -> ApiResult<Vec<SealedCpr>> {
    Ok(db
        .prepare(
            "SELECT id, organization_id, cpr_sealed AS sealed FROM users \
             WHERE cpr_sealed IS NOT NULL AND substr(cpr_sealed, 1, instr(cpr_sealed, '.')) IN (SELECT value FROM json_each(?1)) \
             LIMIT ?2",
        )
        .bind(&[prefixes.clone(), int(i64::from(limit))])?
        .all()
        .await?
        .results()?)
}

/// At most `limit` outbox entries whose payload is sealed under one of the
/// `prefixes` (a JSON array of sealed prefixes).
pub async fn sealed_payloads(db: &Db, prefixes: &JsValue, limit: u32) -> ApiResult<Vec<SealedPayload>> {
    Ok(db
        .prepare(
            "SELECT id, payload AS sealed FROM outbox \
             WHERE payload IS NOT NULL AND substr(payload, 1, instr(payload, '.')) IN (SELECT value FROM json_each(?1)) \
             LIMIT ?2",
        )
        .bind(&[prefixes.clone(), int(i64::from(limit))])?
        .all()
        .await?
        .results()?)
}

/// Replaces the value only if it is still the one read (an edit in between
/// wins), and leaves it under the earlier key if another live user of the
/// organization already holds the new digest (the unique index would refuse
/// the whole batch).
pub fn reseal_cpr_statement(db: &Db, user: UserId<'_>, resealed: &str, lookup: &str, read: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "UPDATE users SET cpr_sealed = ?1, cpr_lookup = ?2 WHERE id = ?3 AND cpr_sealed = ?4 \
             AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.organization_id = users.organization_id \
               AND other.cpr_lookup = ?2 AND other.status <> 'deleted' AND other.id <> users.id)",
        )
        .bind(&[resealed.into(), lookup.into(), user.into(), read.into()])?)
}

/// Replaces an outbox payload only if it is still the one read.
pub fn reseal_payload_statement(db: &Db, entry: OutboxEntryId<'_>, resealed: &str, read: &str) -> ApiResult<Statement> {
    Ok(db.prepare("UPDATE outbox SET payload = ?1 WHERE id = ?2 AND payload = ?3").bind(&[resealed.into(), entry.into(), read.into()])?)
}

/// Runs the statements as one batch and counts the rows they changed.
pub async fn changed(db: &Db, statements: Vec<Statement>) -> ApiResult<usize> {
    if statements.is_empty() {
        return Ok(0);
    }
    let mut count = 0;
    for result in db.batch(statements).await? {
        count += result.meta()?.and_then(|meta| meta.changes).unwrap_or(0);
    }
    Ok(count)
}
