//! Activation at the edge (product.md §3): sending users to activation by
//! link or code, and the public endpoint where a person proves the link or
//! code and sets a password.

use std::collections::HashMap;

use steward_domain::messages::{Arg, Message as Said, Text};
use steward_domain::activation::{
    check_new_password, encode_link_token, generate_code, normalize_code, secret_digest, ActivationPath, DAY_SECONDS,
    MAX_CODE_ATTEMPTS,
};
use steward_domain::api::{
    ActivateRequest, ActivationSent, BulkActivationRequest, BulkActivationResult, CodeActivation, SkippedUser,
    MAX_BULK_ACTIVATION,
};
use steward_domain::email::Email;
use steward_domain::fields::{parse_birth_date, Date};
use steward_domain::lang::Lang;
use steward_domain::applications::Roles;
use steward_domain::authz::UserAction;
use steward_domain::lifecycle::{HistoryAction, Transition};
use crate::users::transition_refused;
use steward_domain::notification::Message;
use steward_domain::password;
use steward_domain::user::UserStatus;
use steward_domain::user_form::FieldIssue;
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::crypto::{new_uuid, random_bytes};
use crate::store::{self, attempts, ids::{ActivationSecretId, UserId}};
use crate::store::activation::{LiveSecret, NewSecretRow};
use crate::store::guards::{commit, expect_live_secret, expect_status, expect_statuses};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{json, json_body, no_content};
use crate::notify::{self, queue_emails, Outgoing};
use crate::applications::{ensure_may_hand_over, held_roles, may_hand_over_to, Granter};
use crate::users::{find_actionable_user, find_users, may_act, organization_settings, Managed, OrganizationSettings, UserRecord};

/// The public activation page; the link's token travels in the fragment so
/// that it never reaches a server log.
pub fn activation_url(origin: &str, token: Option<&str>) -> String {
    match token {
        Some(token) => format!("{origin}/activate#token={token}"),
        None => format!("{origin}/activate"),
    }
}

/// A new one-time secret for the path: consumes the user's earlier ones.
pub struct NewSecret {
    /// The link's token or the code, to be handed out once.
    pub secret: String,
    pub statements: Vec<Statement>,
}

pub fn new_secret(
    db: &Db,
    secret_id: &str,
    user_id: &str,
    path: ActivationPath,
    expires_at: i64,
    now: i64,
) -> ApiResult<NewSecret> {
    let secret = fresh_secret(path)?;
    let statements = store::activation::replace_statements(db, secret_id, UserId(user_id), path, &secret_digest(&secret), expires_at, now)?;
    Ok(NewSecret { secret, statements })
}

/// A new link token or code, to be handed out once (only its digest is stored).
fn fresh_secret(path: ActivationPath) -> ApiResult<String> {
    Ok(match path {
        ActivationPath::Link => encode_link_token(&random_bytes()?),
        ActivationPath::Code => loop {
            if let Some(code) = generate_code(&random_bytes()?) {
                break code;
            }
        },
    })
}

pub fn user_lang(record: &UserRecord, settings: &OrganizationSettings) -> Lang {
    Lang::for_person(record.language.as_deref(), &settings.default_language)
}

/// One user's sending to activation (or again), decided before anything is
/// written: a new secret replaces the old, the e-mail is queued in the same
/// batch, history records it.
struct Sending<'a> {
    record: &'a UserRecord,
    status: UserStatus,
    path: ActivationPath,
    deadline: i64,
    /// A new registration period starts, its reminders yet to come.
    new_period: bool,
    secret_id: String,
    secret: String,
    expires_at: i64,
}

impl<'a> Sending<'a> {
    /// Refused (409) where the user's status does not allow it.
    fn decide(record: &'a UserRecord, settings: &OrganizationSettings, now: i64) -> ApiResult<Sending<'a>> {
        let status = record.status;
        status.after(Transition::SendToActivation).map_err(transition_refused)?;
        let path = record.activation_path();
        // A new registration period starts unless the user is already within one.
        let (deadline, new_period) = match (status, record.registration_deadline) {
            (UserStatus::Pending, Some(deadline)) => (deadline, false),
            _ => (now + settings.registration_period_days * DAY_SECONDS, true),
        };
        Ok(Sending {
            record,
            status,
            path,
            deadline,
            new_period,
            secret_id: new_uuid()?,
            secret: fresh_secret(path)?,
            expires_at: (now + settings.activation_link_days * DAY_SECONDS).min(deadline),
        })
    }

    fn message(&self, settings: &OrganizationSettings, origin: &str) -> Message {
        let first_name = self.record.first_name.clone();
        match self.path {
            ActivationPath::Link => Message::ActivationLink {
                first_name,
                url: activation_url(origin, Some(&self.secret)),
                valid_days: settings.activation_link_days,
            },
            ActivationPath::Code => Message::ActivationCodeHandedOver { first_name, url: activation_url(origin, None) },
        }
    }

    fn action(&self) -> HistoryAction {
        match (self.status, self.path) {
            (UserStatus::Pending, ActivationPath::Link) => HistoryAction::ActivationResent,
            (UserStatus::Pending, ActivationPath::Code) => HistoryAction::CodeRegenerated,
            _ => HistoryAction::SentToActivation,
        }
    }
}

/// The statements that send users to activation together: each kind of
/// change as a few statements for all of them (`Db::for_keys`,
/// `Db::insert_rows`), so that 500 users fit one invocation's D1 queries.
fn sending_statements(
    db: &Db,
    vault: &Vault,
    settings: &OrganizationSettings,
    sendings: &[Sending],
    actor: &Actor,
    origin: &str,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let expected: Vec<(UserId<'_>, &str)> = sendings.iter().map(|s| (UserId(&s.record.id), s.record.status.as_str())).collect();
    let mut statements = expect_statuses(db, &expected)?;
    let user_ids: Vec<String> = sendings.iter().map(|s| s.record.id.clone()).collect();
    // The secrets handed out before stop working.
    statements.extend(store::activation::consume_all_statements(db, &user_ids, now)?);
    let secrets: Vec<NewSecretRow> = sendings
        .iter()
        .map(|s| NewSecretRow {
            id: &s.secret_id,
            user: UserId(&s.record.id),
            path: s.path,
            digest: secret_digest(&s.secret),
            expires_at: s.expires_at,
        })
        .collect();
    statements.extend(store::activation::insert_statements(db, &secrets, now)?);
    for new_period in [true, false] {
        let ids: Vec<String> = sendings.iter().filter(|s| s.new_period == new_period).map(|s| s.record.id.clone()).collect();
        // A new period: its deadline, and no reminders sent yet; else both stay.
        let deadline = new_period.then_some(now + settings.registration_period_days * DAY_SECONDS);
        statements.extend(store::activation::pending_statements(db, &ids, deadline, now)?);
    }
    let messages: Vec<Message> = sendings.iter().map(|s| s.message(settings, origin)).collect();
    statements.extend(queue_emails(
        db,
        vault,
        sendings
            .iter()
            .zip(&messages)
            .map(|(s, message)| Outgoing {
                organization_id: &s.record.organization_id,
                user_id: Some(&s.record.id),
                recipient: &s.record.email,
                lang: user_lang(s.record, settings),
                message,
                dedup_key: format!("activation:{}", s.secret_id),
            })
            .collect(),
        now,
    )?);
    statements.extend(history::records(
        db,
        sendings
            .iter()
            .map(|s| Event {
                organization_id: &s.record.organization_id,
                user_id: &s.record.id,
                at: now,
                actor,
                action: s.action(),
                details: format!("by {}", s.path.as_str()),
            })
            .collect(),
    )?);
    Ok(statements)
}

/// Sends one user to activation (or again).
pub async fn send(
    db: &Db,
    vault: &Vault,
    settings: &OrganizationSettings,
    record: &UserRecord,
    actor: &Actor,
    origin: &str,
    now: i64,
) -> ApiResult<ActivationSent> {
    let sending = Sending::decide(record, settings, now)?;
    commit(db, sending_statements(db, vault, settings, std::slice::from_ref(&sending), actor, origin, now)?).await?;
    Ok(ActivationSent {
        path: sending.path,
        code: (sending.path == ActivationPath::Code).then_some(sending.secret),
        registration_deadline: sending.deadline,
    })
}

/// `POST /api/users/{id}/activation`: send, resend (a new link) or
/// regenerate (a new code, shown once in the answer).
pub async fn send_one(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::SendToActivation).await?;
    ensure_may_hand_over(&db, &me, &record).await?;
    let settings = organization_settings(&db, &me.organization.id).await?;
    let actor = Actor::of(&me);
    let sent = send(&db, &ctx.vault()?, &settings, &record, &actor, &ctx.origin.clone(), ctx.now).await?;
    json(&sent)
}

/// `POST /api/activations {user_ids}`: many link-path users at once; code-path
/// users are skipped, because each code must be handed over in person. What
/// decides is read once for all of them, and they are sent in one batch
/// (409 if any of them changed meanwhile).
pub async fn send_many(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let body: BulkActivationRequest = json_body(&mut req).await?;
    if body.user_ids.len() > MAX_BULK_ACTIVATION {
        return Err(ApiError::InvalidBody(Text::new(Said::BulkActivationLimit, vec![Arg::plain(MAX_BULK_ACTIVATION)]).into()));
    }
    let db = &ctx.db;
    let vault = ctx.vault()?;
    let settings = organization_settings(&db, &me.organization.id).await?;
    let actor = Actor::of(&me);
    let origin = ctx.origin.clone();
    let now = ctx.now;
    let lang = ctx.lang;
    let mut asked: Vec<String> = Vec::new();
    for id in body.user_ids {
        if !asked.contains(&id) {
            asked.push(id);
        }
    }
    let records: HashMap<String, UserRecord> =
        find_users(&db, &me.organization.id, &asked).await?.into_iter().map(|record| (record.id.clone(), record)).collect();
    let found: Vec<String> = records.keys().cloned().collect();
    let managed = Managed::read(&db, &me, &found).await?;
    let granter = Granter::read(&db, &me).await?;
    let held = held_roles(&db, &granter.catalog, &found).await?;
    let no_roles = Roles::new();
    let mut result = BulkActivationResult { sent: Vec::new(), skipped: Vec::new() };
    let mut sendings = Vec::new();
    for id in &asked {
        let skip = |reason: String| SkippedUser { id: id.clone(), reason };
        let Some(record) = records.get(id).filter(|record| managed.manages(&me, &record.id)) else {
            result.skipped.push(skip(Said::NoSuchUser.text(lang)));
            continue;
        };
        let allowed = may_act(&me, record, UserAction::SendToActivation)
            .and_then(|()| may_hand_over_to(&me, &granter.roles, record, held.get(id).unwrap_or(&no_roles)));
        match allowed {
            Ok(()) => {}
            Err(ApiError::ForbiddenBecause(reason)) => {
                result.skipped.push(skip(reason.text(lang)));
                continue;
            }
            Err(error) => return Err(error),
        }
        if record.activation_path() == ActivationPath::Code {
            result.skipped.push(skip(Said::ActivatesByCode.text(lang)));
            continue;
        }
        match Sending::decide(record, &settings, now) {
            Ok(sending) => sendings.push(sending),
            Err(ApiError::Conflict(reason)) => result.skipped.push(skip(reason.render(lang))),
            Err(error) => return Err(error),
        }
    }
    if !sendings.is_empty() {
        commit(&db, sending_statements(&db, &vault, &settings, &sendings, &actor, &origin, now)?).await?;
    }
    result.sent = sendings.iter().map(|sending| sending.record.id.clone()).collect();
    json(&result)
}

/// `POST /api/activation`: public. The link's token, or e-mail + code +
/// birth date, and the new password. Every wrong answer is the same answer.
pub async fn activate(mut req: Request, ctx: &Ctx<'_>) -> ApiResult<Response> {
    let body: ActivateRequest = json_body(&mut req).await?;
    let lang = ctx.lang;
    let password = match &body {
        ActivateRequest::Link(link) => &link.password,
        ActivateRequest::Code(code) => &code.password,
    };
    check_new_password(password).map_err(|error| {
        ApiError::Validation(vec![FieldIssue { field: "password".into(), code: error.code().into(), message: error.message(lang) }])
    })?;
    let db = &ctx.db;
    let now = ctx.now;
    let proven = match &body {
        ActivateRequest::Link(link) => store::activation::live_link(db, &secret_digest(&link.token), now).await?,
        ActivateRequest::Code(code) => prove_code(db, &ctx.vault()?, code, now).await?,
    };
    let Some(proven) = proven else {
        worker::console_log!("activation refused");
        return Err(ApiError::ActivationRefused);
    };

    let salt = random_bytes()?;
    let hash = password::hash(password, &salt);
    let actor = Actor::person(&proven.user_id, &proven.first_name, &proven.last_name);
    let mut statements = vec![expect_status(&db, UserId(&proven.user_id), "pending")?, expect_live_secret(&db, ActivationSecretId(&proven.secret_id))?];
    statements.extend(store::activation::activate_statements(&db, UserId(&proven.user_id), &hash, now)?);
    statements.push(history::record(
        &db,
        Event {
            organization_id: &proven.organization_id,
            user_id: &proven.user_id,
            at: now,
            actor: &actor,
            action: HistoryAction::Activated,
            details: String::new(),
        },
    )?);
    let committed = commit(&db, statements).await;
    // Another activation with the same secret, or a change of the user, came first.
    if let Err(ApiError::Conflict(_)) = committed {
        worker::console_log!("activation refused: the secret or the user changed meanwhile");
        return Err(ApiError::ActivationRefused);
    }
    committed?;
    worker::console_log!("user {} activated", proven.user_id);
    no_content()
}

/// Checks e-mail + code + birth date. Every answer counts as an attempt
/// against each live code of that address before it is compared, and is
/// compared only with the codes it was counted against; a wrong answer that
/// got a code's fifth attempt has locked it, and tells the administrators.
async fn prove_code(db: &Db, vault: &Vault, code: &CodeActivation, now: i64) -> ApiResult<Option<LiveSecret>> {
    let Ok(email) = Email::parse(&code.email) else {
        return Ok(None);
    };
    let candidates = store::activation::live_codes(db, &email.normalized(), now).await?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let ids: Vec<&str> = candidates.iter().map(|candidate| candidate.secret_id.as_str()).collect();
    let counted = attempts::count_codes(db, &ids, MAX_CODE_ATTEMPTS, now).await?;
    let digest = secret_digest(&normalize_code(&code.code));
    let birth_date = parse_birth_date(&code.birth_date, Date::from_unix_seconds(now)).ok().map(|d| d.to_string());
    let mut statements = Vec::new();
    let mut proven = None;
    for candidate in candidates {
        // A code locked or consumed since it was read is not compared.
        let Some(attempt) = counted.iter().find(|attempt| attempt.id == candidate.secret_id) else {
            continue;
        };
        if candidate.digest == digest && birth_date.is_some() && candidate.birth_date == birth_date {
            proven = Some(candidate);
            continue;
        }
        // Only the attempt that locked the code tells of it.
        if attempt.attempts == MAX_CODE_ATTEMPTS {
            let user_name = format!("{} {}", candidate.first_name, candidate.last_name);
            statements.push(history::record(
                db,
                Event {
                    organization_id: &candidate.organization_id,
                    user_id: &candidate.user_id,
                    at: now,
                    actor: &Actor { id: None, name: "Steward".into() },
                    action: HistoryAction::CodeLocked,
                    details: format!("after {MAX_CODE_ATTEMPTS} wrong attempts"),
                },
            )?);
            statements.extend(
                notify::to_administrators_of(
                    db,
                    vault,
                    &candidate.organization_id,
                    &candidate.user_id,
                    &Message::CodeLocked { user_name },
                    &format!("code_locked:{}", candidate.secret_id),
                    now,
                )
                .await?,
            );
        }
    }
    if !statements.is_empty() {
        commit(db, statements).await?;
    }
    Ok(proven)
}
