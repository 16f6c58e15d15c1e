//! Notifications: e-mails queued in the outbox, administrators' in-app
//! notifications, and each administrator's choice of channel.

use serde::Deserialize;
use steward_domain::api::NotificationItem;
use steward_domain::lang::Lang;
use steward_domain::notification::{Channel, Rendered};
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::store::sql::{count, int, opt_text, values};
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

/// One e-mail for the outbox, its payload already sealed to its row's id.
pub struct QueuedEmail<'a> {
    pub id: String,
    pub dedup_key: String,
    pub organization: OrganizationId<'a>,
    /// The user the message is about, so that deleting them cancels it.
    pub user: Option<UserId<'a>>,
    pub recipient: &'a str,
    pub lang: Lang,
    pub kind: &'a str,
    pub sealed_payload: String,
}

/// The statements that queue e-mails, due now: a few multi-row inserts; an
/// e-mail whose dedup key is queued already is not queued again.
pub fn queue_statements(db: &Db, emails: Vec<QueuedEmail<'_>>, now: i64) -> ApiResult<Vec<Statement>> {
    let rows = emails
        .into_iter()
        .map(|email| {
            vec![
                email.id.into(),
                email.dedup_key.into(),
                email.organization.into(),
                opt_text(email.user.map(UserId::as_str)),
                email.recipient.into(),
                email.lang.as_str().into(),
                email.kind.into(),
                email.sealed_payload.into(),
                int(now),
                int(now),
            ]
        })
        .collect::<Vec<Vec<JsValue>>>();
    Ok(db.insert_rows(
        "INSERT OR IGNORE INTO outbox (id, dedup_key, organization_id, user_id, recipient, language, kind, payload, next_attempt_at, created_at) VALUES",
        rows,
    )?)
}

/// The active administrators who manage the user `subject` (`authz::manages`:
/// organization administrators; user administrators in the `shared` model,
/// or in the `owned` model those linked to the user and their deputies).
pub async fn managing_administrators(db: &Db, organization: OrganizationId<'_>, subject: UserId<'_>) -> ApiResult<Vec<String>> {
    values(
        db,
        "SELECT u.id AS value FROM users u JOIN organizations o ON o.id = u.organization_id \
         WHERE u.organization_id = ?1 AND u.status = 'active' AND (u.role = 'organization_admin' OR (u.role = 'user_admin' \
           AND (o.management_model = 'shared' OR EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = ?2 \
             AND (m.admin_id = u.id OR m.admin_id IN (SELECT administrator_id FROM deputies WHERE deputy_id = u.id)))))) ",
        vec![organization.into(), subject.into()],
    )
    .await
}

/// An active administrator as notifications need them: where and how they are told.
#[derive(Debug)]
pub struct Recipient {
    pub id: String,
    pub email: String,
    pub channel: Channel,
    pub lang: Lang,
}

/// The organization's active administrators.
pub async fn administrators(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<Recipient>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        email: String,
        language: Option<String>,
        notify_channel: String,
        default_language: String,
    }
    Ok(db
        .prepare(
            "SELECT u.id, u.email, u.language, u.notify_channel, o.default_language FROM users u \
             JOIN organizations o ON o.id = u.organization_id \
             WHERE u.organization_id = ?1 AND u.status = 'active' AND u.role IN ('organization_admin', 'user_admin')",
        )
        .bind(&[organization.into()])?
        .all()
        .await?
        .results::<Row>()?
        .into_iter()
        .map(|row| Recipient {
            channel: Channel::parse(&row.notify_channel).unwrap_or_default(),
            lang: Lang::for_person(row.language.as_deref(), &row.default_language),
            id: row.id,
            email: row.email,
        })
        .collect())
}

/// The statement that writes an in-app notification (once per dedup key).
pub fn in_app_statement(db: &Db, id: &str, recipient: UserId<'_>, dedup_key: &str, kind: &str, rendered: Rendered, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT OR IGNORE INTO notifications (id, recipient_id, dedup_key, kind, subject, body, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(&[id.into(), recipient.into(), dedup_key.into(), kind.into(), rendered.subject.into(), rendered.text.into(), int(now)])?)
}

/// An administrator's latest 50 notifications, newest first.
pub async fn latest(db: &Db, recipient: UserId<'_>) -> ApiResult<Vec<NotificationItem>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        kind: String,
        subject: String,
        body: String,
        created_at: i64,
        read_at: Option<i64>,
    }
    Ok(db
        .prepare(
            "SELECT id, kind, subject, body, created_at, read_at FROM notifications \
             WHERE recipient_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT 50",
        )
        .bind(&[recipient.into()])?
        .all()
        .await?
        .results::<Row>()?
        .into_iter()
        .map(|row| NotificationItem {
            id: row.id,
            kind: row.kind,
            subject: row.subject,
            body: row.body,
            created_at: row.created_at,
            read: row.read_at.is_some(),
        })
        .collect())
}

pub async fn unread_count(db: &Db, recipient: UserId<'_>) -> ApiResult<u32> {
    count(db, "SELECT count(*) AS count FROM notifications WHERE recipient_id = ?1 AND read_at IS NULL", &[recipient.into()]).await
}

/// The user's channel; the default if none is known.
pub async fn channel(db: &Db, user: UserId<'_>) -> ApiResult<Channel> {
    #[derive(Deserialize)]
    struct Row {
        notify_channel: String,
    }
    Ok(db
        .prepare("SELECT notify_channel FROM users WHERE id = ?1")
        .bind(&[user.into()])?
        .first::<Row>(None)
        .await?
        .and_then(|row| Channel::parse(&row.notify_channel))
        .unwrap_or_default())
}

pub async fn mark_read(db: &Db, recipient: UserId<'_>, now: i64) -> ApiResult<()> {
    db.prepare("UPDATE notifications SET read_at = ?2 WHERE recipient_id = ?1 AND read_at IS NULL").bind(&[recipient.into(), int(now)])?.run().await?;
    Ok(())
}

pub async fn set_channel(db: &Db, user: UserId<'_>, channel: Channel) -> ApiResult<()> {
    db.prepare("UPDATE users SET notify_channel = ?2 WHERE id = ?1").bind(&[user.into(), channel.as_str().into()])?.run().await?;
    Ok(())
}
