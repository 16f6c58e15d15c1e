//! Throttle counts under a key (`address:…`, `email:…`, `password:…`,
//! `join:…`): counted atomically, given back, forgotten; and the attempts
//! against activation codes.

use serde::Deserialize;
use steward_domain::throttle::{Attempts, WINDOW_SECONDS};
use wasm_bindgen::JsValue;

use crate::d1::Db;
use crate::store::sql::int;
use crate::error::{ApiError, ApiResult};

/// Counts one attempt under `key` and answers the count it got, in one
/// statement, so that concurrent attempts each get their own number (SQLite
/// computes every SET from the row as it was). A window that has ended and
/// is not held by a lock starts again at 1; the attempt that reaches `max`
/// sets the lock. `throttle::Attempts::admission` judges the answer.
pub async fn count(db: &Db, key: &str, max: i64, now: i64) -> ApiResult<Attempts> {
    const NEW_WINDOW: &str = "(locked_until <= ?2 AND ?2 - window_start >= ?4)";
    db.prepare(format!(
        "INSERT INTO sign_in_attempts (key, failures, window_start, locked_until) \
         VALUES (?1, 1, ?2, CASE WHEN ?3 <= 1 THEN ?2 + ?4 ELSE 0 END) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN {NEW_WINDOW} THEN 1 ELSE failures + 1 END, \
           window_start = CASE WHEN {NEW_WINDOW} THEN ?2 ELSE window_start END, \
           locked_until = CASE WHEN (CASE WHEN {NEW_WINDOW} THEN 1 ELSE failures + 1 END) = ?3 THEN ?2 + ?4 \
                               WHEN {NEW_WINDOW} THEN 0 ELSE locked_until END \
         RETURNING failures, window_start, locked_until"
    ))
    .bind(&[key.into(), int(now), int(max), int(WINDOW_SECONDS)])?
    .first(None)
    .await?
    .ok_or_else(|| ApiError::Internal("counting an attempt returned no row".into()))
}

/// Gives back the attempt that got `counted`, because it succeeded: unless
/// its window has since ended. A count back under `max` holds no lock.
pub async fn give_back(db: &Db, key: &str, counted: &Attempts, max: i64) -> ApiResult<()> {
    db.prepare(
        "UPDATE sign_in_attempts SET failures = failures - 1, \
           locked_until = CASE WHEN failures <= ?3 THEN 0 ELSE locked_until END \
         WHERE key = ?1 AND window_start = ?2 AND failures > 0",
    )
    .bind(&[key.into(), int(counted.window_start), int(max)])?
    .run()
    .await?;
    Ok(())
}

/// Forgets every attempt under `key`.
pub async fn forget(db: &Db, key: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sign_in_attempts WHERE key = ?1").bind(&[key.into()])?.run().await?;
    Ok(())
}

/// An activation code's attempt counted by `count_codes`.
#[derive(Debug, Deserialize)]
pub struct CodeAttempt {
    pub id: String,
    pub attempts: i64,
}

/// Counts one attempt against each of the codes `secret_ids` that is still
/// open, in one statement, before the guess is compared; the attempt that
/// reaches `max` locks the code. Answers the codes counted, each with the
/// number its attempt got: only those may be compared, so concurrent
/// guesses cannot all slip in before the lock.
pub async fn count_codes(db: &Db, secret_ids: &[&str], max: i64, now: i64) -> ApiResult<Vec<CodeAttempt>> {
    let placeholders = (3..3 + secret_ids.len()).map(|n| format!("?{n}")).collect::<Vec<_>>().join(", ");
    let mut binds = vec![int(max), int(now)];
    binds.extend(secret_ids.iter().map(|&id| JsValue::from(id)));
    Ok(db
        .prepare(format!(
            "UPDATE activation_secrets SET attempts = attempts + 1, \
               locked_at = CASE WHEN attempts + 1 >= ?1 THEN ?2 ELSE locked_at END \
             WHERE id IN ({placeholders}) AND locked_at IS NULL AND consumed_at IS NULL AND expires_at > ?2 \
             RETURNING id, attempts"
        ))
        .bind(&binds)?
        .all()
        .await?
        .results()?)
}
