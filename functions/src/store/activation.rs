//! Activation secrets: new ones replacing the old, the live ones a link or
//! a code proves, and the statements that activate a user.

use serde::Deserialize;
use steward_domain::activation::ActivationPath;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::ApiResult;
use crate::store::ids::UserId;

/// The statement that consumes every live secret of a user: their links and
/// codes stop working.
pub fn consume_all_statement(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL").bind(&[user.into(), int(now)])?)
}

/// The statements that store one new secret (its digest) for a user and
/// consume the user's earlier ones; a secret id stored already is kept.
pub fn replace_statements(
    db: &Db,
    secret_id: &str,
    user: UserId<'_>,
    path: ActivationPath,
    digest: &str,
    expires_at: i64,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL AND id <> ?3")
            .bind(&[user.into(), int(now), secret_id.into()])?,
        db.prepare(
            "INSERT OR IGNORE INTO activation_secrets (id, user_id, path, digest, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&[secret_id.into(), user.into(), path.as_str().into(), digest.into(), int(now), int(expires_at)])?,
    ])
}

/// The statements that consume the live secrets of all of `user_ids`.
pub fn consume_all_statements(db: &Db, user_ids: &[String], now: i64) -> ApiResult<Vec<Statement>> {
    Ok(db.for_keys("UPDATE activation_secrets SET consumed_at = ?1 WHERE consumed_at IS NULL AND user_id IN ({keys})", &[int(now)], user_ids)?)
}

/// A new secret to store: only its digest.
pub struct NewSecretRow<'a> {
    pub id: &'a str,
    pub user: UserId<'a>,
    pub path: ActivationPath,
    pub digest: String,
    pub expires_at: i64,
}

/// The statements that store new secrets, as few as D1's bound parameters allow.
pub fn insert_statements(db: &Db, secrets: &[NewSecretRow<'_>], now: i64) -> ApiResult<Vec<Statement>> {
    Ok(db.insert_rows(
        "INSERT INTO activation_secrets (id, user_id, path, digest, created_at, expires_at) VALUES",
        secrets
            .iter()
            .map(|s| vec![s.id.into(), s.user.into(), s.path.as_str().into(), s.digest.as_str().into(), int(now), int(s.expires_at)])
            .collect(),
    )?)
}

/// The statements that make `user_ids` pending: with a new registration
/// period (`deadline`, no reminders sent yet), or keeping theirs (none).
pub fn pending_statements(db: &Db, user_ids: &[String], deadline: Option<i64>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(db.for_keys(
        "UPDATE users SET status = 'pending', registration_deadline = coalesce(?1, registration_deadline), \
           reminders_sent = CASE WHEN ?1 IS NULL THEN reminders_sent ELSE 0 END, updated_at = ?2 WHERE id IN ({keys})",
        &[deadline.map_or(JsValue::NULL, int), int(now)],
        user_ids,
    )?)
}

/// A live secret of a pending user, with what proving it needs.
#[derive(Debug, Deserialize)]
pub struct LiveSecret {
    pub secret_id: String,
    pub user_id: String,
    pub organization_id: String,
    pub first_name: String,
    pub last_name: String,
    pub digest: String,
    pub birth_date: Option<String>,
}

/// The live, unexpired link whose token has this digest.
pub async fn live_link(db: &Db, digest: &str, now: i64) -> ApiResult<Option<LiveSecret>> {
    Ok(db
        .prepare(
            "SELECT s.id AS secret_id, s.user_id, u.organization_id, u.first_name, u.last_name, s.digest, u.birth_date \
             FROM activation_secrets s JOIN users u ON u.id = s.user_id \
             WHERE s.digest = ?1 AND s.path = 'link' AND s.consumed_at IS NULL AND s.expires_at > ?2 AND u.status = 'pending'",
        )
        .bind(&[digest.into(), int(now)])?
        .first::<LiveSecret>(None)
        .await?)
}

/// The live, unlocked, unexpired codes of pending users with this e-mail address.
pub async fn live_codes(db: &Db, email_normalized: &str, now: i64) -> ApiResult<Vec<LiveSecret>> {
    Ok(db
        .prepare(
            "SELECT s.id AS secret_id, s.user_id, u.organization_id, u.first_name, u.last_name, s.digest, u.birth_date \
             FROM users u JOIN activation_secrets s ON s.user_id = u.id \
             WHERE u.email_normalized = ?1 AND u.status = 'pending' AND s.path = 'code' \
               AND s.consumed_at IS NULL AND s.locked_at IS NULL AND s.expires_at > ?2 LIMIT 10",
        )
        .bind(&[email_normalized.into(), int(now)])?
        .all()
        .await?
        .results()?)
}

/// The statements that activate a pending user with a password hash: their
/// secrets are consumed and the reminders still queued cancelled.
pub fn activate_statements(db: &Db, user: UserId<'_>, password_hash: &str, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare(
            "UPDATE users SET status = 'active', password_hash = ?2, registration_deadline = NULL, updated_at = ?3 WHERE id = ?1 AND status = 'pending'",
        )
        .bind(&[user.into(), password_hash.into(), int(now)])?,
        consume_all_statement(db, user, now)?,
        // Reminders still queued for the registration are no longer true.
        db.prepare(
            "UPDATE outbox SET status = 'cancelled', payload = NULL WHERE user_id = ?1 AND status = 'pending' AND kind = 'registration_reminder'",
        )
        .bind(&[user.into()])?,
    ])
}
