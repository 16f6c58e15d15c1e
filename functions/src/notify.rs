//! Notifications (product.md §8): queued in the outbox or written in-app in
//! the same batch as the change that causes them; administrators' in-app
//! list, unread count and choice of channel.

use steward_domain::api::{NotificationPreference, Notifications};
use steward_domain::lang::Lang;
use steward_domain::notification::Message;
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::crypto::new_uuid;
use crate::store::{self, ids::{OrganizationId, UserId}, notifications::QueuedEmail};
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
    let emails = outgoing
        .into_iter()
        .map(|outgoing| {
            let id = new_uuid()?;
            let payload = serde_json::to_vec(outgoing.message).map_err(|error| ApiError::Internal(error.to_string()))?;
            let sealed_payload = vault.seal(&payload, &id, &nonce()?);
            Ok(QueuedEmail {
                id,
                dedup_key: outgoing.dedup_key,
                organization: OrganizationId(outgoing.organization_id),
                user: outgoing.user_id.map(UserId),
                recipient: outgoing.recipient,
                lang: outgoing.lang,
                kind: outgoing.message.kind(),
                sealed_payload,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    store::notifications::queue_statements(db, emails, now)
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
    let managing = store::notifications::managing_administrators(db, OrganizationId(organization_id), UserId(subject_user_id)).await?;
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
    let administrators = store::notifications::administrators(db, OrganizationId(organization_id)).await?;
    let mut statements = Vec::new();
    for admin in administrators.iter().filter(|admin| only.is_none_or(|only| only.contains(&admin.id.as_str()))) {
        let (channel, lang) = (admin.channel, admin.lang);
        let dedup_key = format!("{dedup_base}:{}", admin.id);
        if channel.in_app() {
            statements.push(store::notifications::in_app_statement(
                db,
                &new_uuid()?,
                UserId(&admin.id),
                &dedup_key,
                message.kind(),
                message.render(lang),
                now,
            )?);
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

/// `GET /api/notifications`: the latest 50, the unread count and the channel.
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let (db, me_id) = (&ctx.db, UserId(&me.id));
    let items = store::notifications::latest(db, me_id).await?;
    let unread = store::notifications::unread_count(db, me_id).await?;
    let channel = store::notifications::channel(db, me_id).await?;
    json(&Notifications { items, unread, channel })
}

/// `POST /api/notifications/read`: marks all of the administrator's as read.
pub async fn mark_read(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    store::notifications::mark_read(&ctx.db, UserId(&me.id), ctx.now).await?;
    no_content()
}

/// `PUT /api/notifications/preference`: in-app, e-mail or both.
pub async fn set_preference(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let body: NotificationPreference = json_body(&mut req).await?;
    store::notifications::set_channel(&ctx.db, UserId(&me.id), body.channel).await?;
    no_content()
}
