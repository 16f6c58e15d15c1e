//! Delivery of the outbox: due entries are claimed with a lease (so that two
//! runs never send the same one), sent, and marked sent with their sealed
//! payload erased; failures are retried with backoff and given up at last.

use steward_domain::lang::Lang;
use steward_domain::notification::{retry_delay, Message};
use crate::env::Env;

use crate::store::ids::OutboxEntryId;
use crate::store::outbox::{self, ClaimedEntry};
use crate::error::{ApiError, ApiResult};
use crate::mailer::Mailer;
use crate::vault::vault;

/// How long a claimed entry is left to its sender before another run may try.
const LEASE_SECONDS: i64 = 120;
/// Entries one run delivers; the rest wait for the next run.
const BATCH: i64 = 50;

#[derive(Debug, Default, PartialEq)]
pub struct Delivery {
    pub sent: usize,
    pub failed: usize,
}

pub async fn deliver_due(env: &Env, now: i64) -> ApiResult<Delivery> {
    let db = env.d1("DB")?;
    let due = outbox::due(&db, now, BATCH).await?;
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
        let claimed: Option<ClaimedEntry> = outbox::claim(&db, OutboxEntryId(&id), now + LEASE_SECONDS, now).await?;
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
                outbox::mark_sent(&db, OutboxEntryId(&id), now, attempts).await?;
                delivery.sent += 1;
            }
            Err(error) => {
                worker::console_warn!("outbox entry {id} failed (attempt {attempts}): {error}");
                match retry_delay(attempts) {
                    Some(delay) => outbox::retry(&db, OutboxEntryId(&id), attempts, now + delay, &error).await?,
                    None => outbox::give_up(&db, OutboxEntryId(&id), attempts, &error).await?,
                }
                delivery.failed += 1;
            }
        }
    }
    Ok(delivery)
}
