//! Notifications (product.md §8): queued in the outbox or written in-app in
//! the same batch as the change that causes them; administrators' in-app
//! list, unread count and choice of channel.

use serde::Deserialize;
use steward_domain::api::{NotificationItem, NotificationPreference, Notifications};
use steward_domain::lang::Lang;
use steward_domain::notification::{Channel, Message};
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::crypto::new_uuid;
use crate::db::{values, count, int};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, no_content};
use crate::vault::nonce;

/// An e-mail to queue for one address.
pub struct Outgoing<'a> {
    pub organization_id: &'a str,
    /// The user the message is about, so that deleting them cancels it.
    pub user_id: Option<&'a str>,
    pub recipient: &'a str,
    pub lang: Lang,
    pub message: &'a Message,
    /// Makes the same message for the same subject and day exist once.
    pub dedup_key: String,
}

/// The statement that queues `outgoing`; its payload is sealed to its row.
pub fn queue_email(db: &Db, vault: &Vault, outgoing: Outgoing<'_>, now: i64) -> ApiResult<Statement> {
    queue_emails(db, vault, vec![outgoing], now)?.pop().ok_or_else(|| ApiError::Internal("no statement for one e-mail".into()))
}

/// The statements that queue many e-mails: a few multi-row inserts.
pub fn queue_emails(db: &Db, vault: &Vault, outgoing: Vec<Outgoing<'_>>, now: i64) -> ApiResult<Vec<Statement>> {
    let rows = outgoing
        .into_iter()
        .map(|outgoing| {
            let id = new_uuid()?;
            let payload = serde_json::to_vec(outgoing.message).map_err(|error| ApiError::Internal(error.to_string()))?;
            let sealed = vault.seal(&payload, &id, &nonce()?);
            Ok(vec![
                id.into(),
                outgoing.dedup_key.into(),
                outgoing.organization_id.into(),
                outgoing.user_id.map_or(wasm_bindgen::JsValue::NULL, Into::into),
                outgoing.recipient.into(),
                outgoing.lang.as_str().into(),
                outgoing.message.kind().into(),
                sealed.into(),
                int(now),
                int(now),
            ])
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(db.insert_rows(
        "INSERT OR IGNORE INTO outbox (id, dedup_key, organization_id, user_id, recipient, language, kind, payload, next_attempt_at, created_at) VALUES",
        rows,
    )?)
}

#[derive(Debug, Deserialize)]
struct Administrator {
    id: String,
    email: String,
    language: Option<String>,
    notify_channel: String,
    default_language: String,
}

/// Statements that tell the active administrators who manage the user
/// `subject_user_id` (`authz::manages`: in the `owned` model, the user's own
/// administrators, their deputies and the organization administrators), in
/// app and/or by e-mail as each has chosen: a notice names the user, and
/// must not reach an administrator who may not see them.
pub async fn to_administrators_of(
    db: &Db,
    vault: &Vault,
    organization_id: &str,
    subject_user_id: &str,
    message: &Message,
    dedup_base: &str,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let managing: Vec<String> = values(
        db,
        "SELECT u.id AS value FROM users u JOIN organizations o ON o.id = u.organization_id \
         WHERE u.organization_id = ?1 AND u.status = 'active' AND (u.role = 'organization_admin' OR (u.role = 'user_admin' \
           AND (o.management_model = 'shared' OR EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = ?2 \
             AND (m.admin_id = u.id OR m.admin_id IN (SELECT administrator_id FROM deputies WHERE deputy_id = u.id)))))) ",
        vec![organization_id.into(), subject_user_id.into()],
    )
    .await?;
    let only: Vec<&str> = managing.iter().map(String::as_str).collect();
    to_some_administrators(db, vault, organization_id, subject_user_id, Some(&only), message, dedup_base, now).await
}

/// Statements that tell the organization's active administrators (only
/// those in `only`, if given), in app and/or by e-mail as each has chosen.
#[allow(clippy::too_many_arguments)]
pub async fn to_some_administrators(
    db: &Db,
    vault: &Vault,
    organization_id: &str,
    subject_user_id: &str,
    only: Option<&[&str]>,
    message: &Message,
    dedup_base: &str,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let administrators: Vec<Administrator> = db
        .prepare(
            "SELECT u.id, u.email, u.language, u.notify_channel, o.default_language FROM users u \
             JOIN organizations o ON o.id = u.organization_id \
             WHERE u.organization_id = ?1 AND u.status = 'active' AND u.role IN ('organization_admin', 'user_admin')",
        )
        .bind(&[organization_id.into()])?
        .all()
        .await?
        .results()?;
    let mut statements = Vec::new();
    for admin in administrators.iter().filter(|admin| only.is_none_or(|only| only.contains(&admin.id.as_str()))) {
        let channel = Channel::parse(&admin.notify_channel).unwrap_or_default();
        let lang = Lang::for_person(admin.language.as_deref(), &admin.default_language);
        let dedup_key = format!("{dedup_base}:{}", admin.id);
        if channel.in_app() {
            let rendered = message.render(lang);
            statements.push(
                db.prepare(
                    "INSERT OR IGNORE INTO notifications (id, recipient_id, dedup_key, kind, subject, body, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .bind(&[
                    new_uuid()?.into(),
                    admin.id.as_str().into(),
                    dedup_key.as_str().into(),
                    message.kind().into(),
                    rendered.subject.into(),
                    rendered.text.into(),
                    int(now),
                ])?,
            );
        }
        if channel.email() {
            statements.push(queue_email(
                db,
                vault,
                Outgoing {
                    organization_id,
                    user_id: Some(subject_user_id),
                    recipient: &admin.email,
                    lang,
                    message,
                    dedup_key,
                },
                now,
            )?);
        }
    }
    Ok(statements)
}

#[derive(Debug, Deserialize)]
struct NotificationRow {
    id: String,
    kind: String,
    subject: String,
    body: String,
    created_at: i64,
    read_at: Option<i64>,
}

/// `GET /api/notifications`: the latest 50, the unread count and the channel.
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let items = db
        .prepare(
            "SELECT id, kind, subject, body, created_at, read_at FROM notifications \
             WHERE recipient_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 50",
        )
        .bind(&[me.id.as_str().into()])?
        .all()
        .await?
        .results::<NotificationRow>()?
        .into_iter()
        .map(|row| NotificationItem {
            id: row.id,
            kind: row.kind,
            subject: row.subject,
            body: row.body,
            created_at: row.created_at,
            read: row.read_at.is_some(),
        })
        .collect();
    let unread = count(&db, "SELECT count(*) AS count FROM notifications WHERE recipient_id = ?1 AND read_at IS NULL", &[me.id.as_str().into()]).await?;
    #[derive(Deserialize)]
    struct ChannelRow {
        notify_channel: String,
    }
    let channel = db
        .prepare("SELECT notify_channel FROM users WHERE id = ?1")
        .bind(&[me.id.as_str().into()])?
        .first::<ChannelRow>(None)
        .await?
        .and_then(|row| Channel::parse(&row.notify_channel))
        .unwrap_or_default();
    json(&Notifications { items, unread, channel })
}

/// `POST /api/notifications/read`: marks all of the administrator's as read.
pub async fn mark_read(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    ctx.db
        .prepare("UPDATE notifications SET read_at = ?2 WHERE recipient_id = ?1 AND read_at IS NULL")
        .bind(&[me.id.as_str().into(), int(ctx.now)])?
        .run()
        .await?;
    no_content()
}

/// `PUT /api/notifications/preference`: in-app, e-mail or both.
pub async fn set_preference(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let body: NotificationPreference = json_body(&mut req).await?;
    ctx.db
        .prepare("UPDATE users SET notify_channel = ?2 WHERE id = ?1")
        .bind(&[me.id.as_str().into(), body.channel.as_str().into()])?
        .run()
        .await?;
    no_content()
}
