//! Re-sealing after a key rotation: values sealed under an earlier key
//! (`VAULT_SECRET_PREVIOUS`) are sealed again under the current one, a
//! bounded number per cron run, until none is left and the earlier secret can
//! be removed. A CPR number's look-up digest moves to the current key with
//! its sealed form. Nothing here is logged but counts.

use serde::Deserialize;
use steward_domain::fields::Cpr;
use steward_domain::vault::{sealed_prefix, Vault};
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement, MAX_QUERIES_PER_INVOCATION};
use crate::db::int;
use crate::env::Env;
use crate::error::{ApiError, ApiResult};
use crate::vault::{nonce, vault};

/// Rows per table per run at most: with the two reads, 202 queries; each
/// statement binds at most 4 values. It runs after the rest of the cron run
/// and takes less when that left less of the invocation's 1,000 queries.
const BATCH: u32 = 100;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub cprs: usize,
    pub payloads: usize,
    /// Values under an earlier version that its configured secret does not open.
    pub unopened: usize,
}

#[derive(Deserialize)]
struct SealedCpr {
    id: String,
    organization_id: String,
    sealed: String,
}

#[derive(Deserialize)]
struct SealedPayload {
    id: String,
    sealed: String,
}

pub async fn run(env: &Env) -> ApiResult<Resealed> {
    let vault = vault(env)?;
    let previous: Vec<String> = vault.previous_versions().into_iter().map(sealed_prefix).collect();
    let mut resealed = Resealed::default();
    if previous.is_empty() {
        return Ok(resealed);
    }
    let left = MAX_QUERIES_PER_INVOCATION.saturating_sub(env.queries_spent());
    let per_table = BATCH.min(left.saturating_sub(2) / 2);
    if per_table == 0 {
        return Ok(resealed);
    }
    let limit = int(i64::from(per_table));
    let db = env.d1("DB")?;
    // Only values under a configured earlier version are picked, so that one
    // no key opens does not take a place in every run.
    let prefixes = JsValue::from(serde_json::to_string(&previous).map_err(|error| ApiError::Internal(error.to_string()))?);

    let cprs: Vec<SealedCpr> = db
        .prepare(
            "SELECT id, organization_id, cpr_sealed AS sealed FROM users \
             WHERE cpr_sealed IS NOT NULL AND substr(cpr_sealed, 1, instr(cpr_sealed, '.')) IN (SELECT value FROM json_each(?1)) \
             LIMIT ?2",
        )
        .bind(&[prefixes.clone(), limit.clone()])?
        .all()
        .await?
        .results()?;
    let mut statements = Vec::new();
    for row in &cprs {
        match vault.open_cpr(&row.sealed, &row.id) {
            Ok(cpr) => statements.push(reseal_cpr(&db, &vault, row, &cpr)?),
            Err(_) => resealed.unopened += 1,
        }
    }
    resealed.cprs = changed(&db, statements).await?;

    let payloads: Vec<SealedPayload> = db
        .prepare(
            "SELECT id, payload AS sealed FROM outbox \
             WHERE payload IS NOT NULL AND substr(payload, 1, instr(payload, '.')) IN (SELECT value FROM json_each(?1)) \
             LIMIT ?2",
        )
        .bind(&[prefixes, limit])?
        .all()
        .await?
        .results()?;
    let mut statements = Vec::new();
    for row in &payloads {
        match vault.open(&row.sealed, &row.id) {
            Ok(plain) => statements.push(
                db.prepare("UPDATE outbox SET payload = ?1 WHERE id = ?2 AND payload = ?3").bind(&[
                    vault.seal(&plain, &row.id, &nonce()?).into(),
                    row.id.as_str().into(),
                    row.sealed.as_str().into(),
                ])?,
            ),
            Err(_) => resealed.unopened += 1,
        }
    }
    resealed.payloads = changed(&db, statements).await?;
    Ok(resealed)
}

/// Replaces the value only if it is still the one read (an edit in between
/// wins), and leaves it under the earlier key if another live user of the
/// organization already holds the new digest (the unique index would refuse
/// the whole batch).
fn reseal_cpr(db: &Db, vault: &Vault, row: &SealedCpr, cpr: &Cpr) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "UPDATE users SET cpr_sealed = ?1, cpr_lookup = ?2 WHERE id = ?3 AND cpr_sealed = ?4 \
             AND NOT EXISTS (SELECT 1 FROM users AS other WHERE other.organization_id = users.organization_id \
               AND other.cpr_lookup = ?2 AND other.status <> 'deleted' AND other.id <> users.id)",
        )
        .bind(&[
            vault.seal_cpr(cpr, &row.id, &nonce()?).into(),
            vault.cpr_lookup(&row.organization_id, cpr).into(),
            row.id.as_str().into(),
            row.sealed.as_str().into(),
        ])?)
}

/// Runs the statements as one batch and counts the rows they changed.
async fn changed(db: &Db, statements: Vec<Statement>) -> ApiResult<usize> {
    if statements.is_empty() {
        return Ok(0);
    }
    let mut count = 0;
    for result in db.batch(statements).await? {
        count += result.meta()?.and_then(|meta| meta.changes).unwrap_or(0);
    }
    Ok(count)
}
