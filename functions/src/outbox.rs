//! Delivery of the outbox: due entries are claimed with a lease (so that two
//! runs never send the same one), sent, and marked sent with their sealed
//! payload erased; failures are retried with backoff and given up at last.

use serde::Deserialize;
use steward_domain::lang::Lang;
use steward_domain::notification::{retry_delay, Message};
use crate::env::Env;

use crate::db::{self, int};
use crate::error::{ApiError, ApiResult};
use crate::mailer::Mailer;
use crate::vault::vault;

/// How long a claimed entry is left to its sender before another run may try.
const LEASE_SECONDS: i64 = 120;
/// Entries one run delivers; the rest wait for the next run.
const BATCH: i64 = 50;

/// An entry as its claim left it: what to send, and the attempts so far.
#[derive(Debug, Deserialize)]
struct ClaimedEntry {
    recipient: String,
    language: String,
    payload: Option<String>,
    attempts: i64,
}

#[derive(Debug, Default, PartialEq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

pub async fn deliver_due(env: &Env, now: i64) -> ApiResult<Delivery> {
    let db = env.d1("DB")?;
    let due: Vec<String> = db::values(
        &db,
        "SELECT id AS value FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 AND lease_until <= ?1 \
         ORDER BY next_attempt_at LIMIT ?2",
        vec![int(now), int(BATCH)],
    )
    .await?;
    let mut delivery = Delivery::default();
    if due.is_empty() {
        return Ok(delivery);
    }
    let vault = vault(env)?;
    let mailer = Mailer::from_env(env).map_err(ApiError::Internal);
    for id in due {
        // The claim checks again everything that made the entry due: another
        // run may have sent it, or failed it and set its next attempt later,
        // since it was selected. What to send is taken from the claim.
        let claimed: Option<ClaimedEntry> = db
            .prepare(
                "UPDATE outbox SET lease_until = ?2 \
                 WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?3 AND lease_until <= ?3 \
                 RETURNING recipient, language, payload, attempts",
            )
            .bind(&[id.as_str().into(), int(now + LEASE_SECONDS), int(now)])?
            .first(None)
            .await?;
        let Some(entry) = claimed else {
            continue;
        };
        let outcome = match &mailer {
            Err(error) => Err(error.to_string()),
            Ok(mailer) => {
                let message = entry
                    .payload
                    .as_deref()
                    .and_then(|sealed| vault.open(sealed, &id).ok())
                    .and_then(|plain| serde_json::from_slice::<Message>(&plain).ok());
                match message {
                    None => Err("the payload could not be opened".to_owned()),
                    Some(message) => {
                        let rendered = message.render(Lang::parse(&entry.language).unwrap_or_default());
                        mailer.send(&entry.recipient, &rendered).await
                    }
                }
            }
        };
        let attempts = entry.attempts + 1;
        match outcome {
            Ok(()) => {
                db.prepare(
                    "UPDATE outbox SET status = 'sent', sent_at = ?2, attempts = ?3, payload = NULL, last_error = NULL WHERE id = ?1",
                )
                .bind(&[id.as_str().into(), int(now), int(attempts)])?
                .run()
                .await?;
                delivery.sent += 1;
            }
            Err(error) => {
                worker::console_warn!("outbox entry {id} failed (attempt {attempts}): {error}");
                let statement = match retry_delay(attempts) {
                    Some(delay) => db
                        .prepare("UPDATE outbox SET attempts = ?2, next_attempt_at = ?3, lease_until = 0, last_error = ?4 WHERE id = ?1")
                        .bind(&[id.as_str().into(), int(attempts), int(now + delay), error.as_str().into()])?,
                    None => db
                        .prepare("UPDATE outbox SET status = 'failed', attempts = ?2, payload = NULL, last_error = ?3 WHERE id = ?1")
                        .bind(&[id.as_str().into(), int(attempts), error.as_str().into()])?,
                };
                statement.run().await?;
                delivery.failed += 1;
            }
        }
    }
    Ok(delivery)
}
