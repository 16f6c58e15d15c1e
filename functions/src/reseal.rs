//! Re-sealing after a key rotation: values sealed under an earlier key
//! (`VAULT_SECRET_PREVIOUS`) are sealed again under the current one, a
//! bounded number per cron run, until none is left and the earlier secret can
//! be removed. A CPR number's look-up digest moves to the current key with
//! its sealed form. Nothing here is logged but counts.

use steward_domain::fields::Cpr;
use steward_domain::vault::{sealed_prefix, Vault};
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement, MAX_QUERIES_PER_INVOCATION};
use crate::env::Env;
use crate::error::{ApiError, ApiResult};
use crate::store::ids::{OutboxEntryId, UserId};
use crate::store::reseal::{self, SealedCpr};
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
    let db = env.d1("DB")?;
    // Only values under a configured earlier version are picked, so that one
    // no key opens does not take a place in every run.
    let prefixes = JsValue::from(serde_json::to_string(&previous).map_err(|error| ApiError::Internal(error.to_string()))?);

    let cprs = reseal::sealed_cprs(&db, &prefixes, per_table).await?;
    let mut statements = Vec::new();
    for row in &cprs {
        match vault.open_cpr(&row.sealed, &row.id) {
            Ok(cpr) => statements.push(reseal_cpr(&db, &vault, row, &cpr)?),
            Err(_) => resealed.unopened += 1,
        }
    }
    resealed.cprs = reseal::changed(&db, statements).await?;

    let payloads = reseal::sealed_payloads(&db, &prefixes, per_table).await?;
    let mut statements = Vec::new();
    for row in &payloads {
        match vault.open(&row.sealed, &row.id) {
            Ok(plain) => statements.push(reseal::reseal_payload_statement(
                &db,
                OutboxEntryId(&row.id),
                &vault.seal(&plain, &row.id, &nonce()?),
                &row.sealed,
            )?),
            Err(_) => resealed.unopened += 1,
        }
    }
    resealed.payloads = reseal::changed(&db, statements).await?;
    Ok(resealed)
}

/// The CPR number sealed again under the current key, with its digest.
fn reseal_cpr(db: &Db, vault: &Vault, row: &SealedCpr, cpr: &Cpr) -> ApiResult<Statement> {
    reseal::reseal_cpr_statement(
        db,
        UserId(&row.id),
        &vault.seal_cpr(cpr, &row.id, &nonce()?),
        &vault.cpr_lookup(&row.organization_id, cpr),
        &row.sealed,
    )
}
