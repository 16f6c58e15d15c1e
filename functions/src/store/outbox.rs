//! The outbox's delivery: which entries are due, claiming one with a lease,
//! and marking it sent, to be retried, or failed.

use serde::Deserialize;

use crate::d1::Db;
use crate::store::sql::{int, values};
use crate::error::ApiResult;
use crate::store::ids::OutboxEntryId;

/// The ids of up to `limit` entries due at `now`, the longest waiting first.
pub async fn due(db: &Db, now: i64, limit: i64) -> ApiResult<Vec<String>> {
    values(
        db,
        "SELECT id AS value FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 AND lease_until <= ?1 \
         ORDER BY next_attempt_at LIMIT ?2",
        vec![int(now), int(limit)],
    )
    .await
}

/// An entry as its claim left it: what to send, and the attempts so far.
#[derive(Debug, Deserialize)]
pub struct ClaimedEntry {
    pub recipient: String,
    pub language: String,
    pub payload: Option<String>,
    pub attempts: i64,
}

/// Claims the entry until `lease_until` if it is still due at `now`.
pub async fn claim(db: &Db, id: OutboxEntryId<'_>, lease_until: i64, now: i64) -> ApiResult<Option<ClaimedEntry>> {
    Ok(db
        .prepare(
            "UPDATE outbox SET lease_until = ?2 \
             WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?3 AND lease_until <= ?3 \
             RETURNING recipient, language, payload, attempts",
        )
        .bind(&[id.into(), int(lease_until), int(now)])?
        .first(None)
        .await?)
}

/// Sent: the sealed payload is erased.
pub async fn mark_sent(db: &Db, id: OutboxEntryId<'_>, now: i64, attempts: i64) -> ApiResult<()> {
    db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?2, attempts = ?3, payload = NULL, last_error = NULL WHERE id = ?1")
        .bind(&[id.into(), int(now), int(attempts)])?
        .run()
        .await?;
    Ok(())
}

/// Failed this time: tried again from `next_attempt_at`.
pub async fn retry(db: &Db, id: OutboxEntryId<'_>, attempts: i64, next_attempt_at: i64, error: &str) -> ApiResult<()> {
    db.prepare("UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, lease_until = 0, last_error = ?4 WHERE id = ?1")
        .bind(&[id.into(), int(attempts), int(next_attempt_at), error.into()])?
        .run()
        .await?;
    Ok(())
}

/// Given up: failed for good, the sealed payload erased.
pub async fn give_up(db: &Db, id: OutboxEntryId<'_>, attempts: i64, error: &str) -> ApiResult<()> {
    db.prepare("UPDATE outbox SET status = 'failed', attempts = ?2, payload = NULL, last_error = ?3 WHERE id = ?1")
        .bind(&[id.into(), int(attempts), error.into()])?
        .run()
        .await?;
    Ok(())
}
