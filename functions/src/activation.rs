//! Activation at the edge (product.md §3): sending users to activation by
//! link or code, and the public endpoint where a person proves the link or
//! code and sets a password.

use serde::Deserialize;
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
use steward_domain::authz::UserAction;
use steward_domain::lifecycle::{HistoryAction, Transition};
use steward_domain::notification::Message;
use steward_domain::password;
use steward_domain::user::UserStatus;
use steward_domain::user_form::FieldIssue;
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::env::Env;

use crate::crypto::{new_uuid, random_bytes};
use crate::db::{self, commit, expect_status, int};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{check_origin, json, json_body, lang, no_content, now, own_origin};
use crate::notify::{self, queue_email, Outgoing};
use crate::session::authenticate_administrator;
use crate::applications::ensure_may_hand_over;
use crate::users::{find_actionable_user, organization_settings, OrganizationSettings, UserRecord};
use crate::vault::vault;

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
    let secret = match path {
        ActivationPath::Link => encode_link_token(&random_bytes()?),
        ActivationPath::Code => loop {
            if let Some(code) = generate_code(&random_bytes()?) {
                break code;
            }
        },
    };
    let statements = vec![
        db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL AND id <> ?3")
            .bind(&[user_id.into(), int(now), secret_id.into()])?,
        db.prepare(
            "INSERT OR IGNORE INTO activation_secrets (id, user_id, path, digest, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&[
            secret_id.into(),
            user_id.into(),
            path.as_str().into(),
            secret_digest(&secret).into(),
            int(now),
            int(expires_at),
        ])?,
    ];
    Ok(NewSecret { secret, statements })
}

pub fn user_lang(record: &UserRecord, settings: &OrganizationSettings) -> Lang {
    Lang::for_person(record.language.as_deref(), &settings.default_language)
}

/// Sends one user to activation (or again): a new secret replaces the old,
/// the e-mail is queued in the same batch, history records it.
pub async fn send(
    db: &Db,
    vault: &Vault,
    settings: &OrganizationSettings,
    record: &UserRecord,
    actor: &Actor,
    origin: &str,
    now: i64,
) -> ApiResult<ActivationSent> {
    let status = record.status()?;
    status.after(Transition::SendToActivation).map_err(|error| ApiError::Conflict(format!("{}.", error)))?;
    let path = record.activation_path();
    // A new registration period starts unless the user is already within one.
    let (deadline, reminders_sent) = match (status, record.registration_deadline) {
        (UserStatus::Pending, Some(deadline)) => (deadline, None),
        _ => (now + settings.registration_period_days * DAY_SECONDS, Some(0)),
    };
    let secret_id = new_uuid()?;
    let expires_at = (now + settings.activation_link_days * DAY_SECONDS).min(deadline);
    let NewSecret { secret, statements: secret_statements } = new_secret(db, &secret_id, &record.id, path, expires_at, now)?;
    let mut statements = vec![expect_status(db, &record.id, &record.status)?];
    statements.extend(secret_statements);
    statements.push(
        db.prepare(
            "UPDATE users SET status = 'pending', registration_deadline = ?2, reminders_sent = coalesce(?3, reminders_sent), updated_at = ?4 WHERE id = ?1",
        )
        .bind(&[
            record.id.as_str().into(),
            int(deadline),
            reminders_sent.map_or(wasm_bindgen::JsValue::NULL, int),
            int(now),
        ])?,
    );
    let message = match path {
        ActivationPath::Link => Message::ActivationLink {
            first_name: record.first_name.clone(),
            url: activation_url(origin, Some(&secret)),
            valid_days: settings.activation_link_days,
        },
        ActivationPath::Code => {
            Message::ActivationCodeHandedOver { first_name: record.first_name.clone(), url: activation_url(origin, None) }
        }
    };
    statements.push(queue_email(
        db,
        vault,
        Outgoing {
            organization_id: &record.organization_id,
            user_id: Some(&record.id),
            recipient: &record.email,
            lang: user_lang(record, settings),
            message: &message,
            dedup_key: format!("activation:{secret_id}"),
        },
        now,
    )?);
    let action = match (status, path) {
        (UserStatus::Pending, ActivationPath::Link) => HistoryAction::ActivationResent,
        (UserStatus::Pending, ActivationPath::Code) => HistoryAction::CodeRegenerated,
        _ => HistoryAction::SentToActivation,
    };
    statements.push(history::record(
        db,
        Event {
            organization_id: &record.organization_id,
            user_id: &record.id,
            at: now,
            actor,
            action,
            details: format!("by {}", path.as_str()),
        },
    )?);
    commit(db, statements).await?;
    Ok(ActivationSent {
        path,
        code: (path == ActivationPath::Code).then_some(secret),
        registration_deadline: deadline,
    })
}

/// `POST /api/users/{id}/activation`: send, resend (a new link) or
/// regenerate (a new code, shown once in the answer).
pub async fn send_one(req: Request, env: &Env, user_id: &str) -> ApiResult<Response> {
    check_origin(&req)?;
    let me = authenticate_administrator(&req, env).await?;
    let db = env.d1("DB")?;
    let record = find_actionable_user(&db, &me, user_id, UserAction::SendToActivation).await?;
    ensure_may_hand_over(&db, &me, &record).await?;
    let settings = organization_settings(&db, &me.organization.id).await?;
    let actor = Actor::of(&me);
    let sent = send(&db, &vault(env)?, &settings, &record, &actor, &own_origin(&req)?, now()).await?;
    json(&sent)
}

/// `POST /api/activations {user_ids}`: many link-path users at once; code-path
/// users are skipped, because each code must be handed over in person.
pub async fn send_many(mut req: Request, env: &Env) -> ApiResult<Response> {
    check_origin(&req)?;
    let me = authenticate_administrator(&req, env).await?;
    let body: BulkActivationRequest = json_body(&mut req).await?;
    if body.user_ids.len() > MAX_BULK_ACTIVATION {
        return Err(ApiError::InvalidBody(format!("at most {MAX_BULK_ACTIVATION} users at once")));
    }
    let db = env.d1("DB")?;
    let vault = vault(env)?;
    let settings = organization_settings(&db, &me.organization.id).await?;
    let actor = Actor::of(&me);
    let origin = own_origin(&req)?;
    let now = now();
    let mut result = BulkActivationResult { sent: Vec::new(), skipped: Vec::new() };
    for id in body.user_ids {
        let skip = |reason: &str| SkippedUser { id: id.clone(), reason: reason.to_owned() };
        let record = match find_actionable_user(&db, &me, &id, UserAction::SendToActivation).await {
            Ok(record) => record,
            Err(ApiError::NotFound) => {
                result.skipped.push(skip("No such user in the organization."));
                continue;
            }
            Err(ApiError::ForbiddenBecause(reason)) => {
                result.skipped.push(skip(reason));
                continue;
            }
            Err(error) => return Err(error),
        };
        if let Err(ApiError::ForbiddenBecause(reason)) = ensure_may_hand_over(&db, &me, &record).await {
            result.skipped.push(skip(reason));
            continue;
        }
        if record.activation_path() == ActivationPath::Code {
            result.skipped.push(skip("Activates by code: send this user on their own, to see the code."));
            continue;
        }
        match send(&db, &vault, &settings, &record, &actor, &origin, now).await {
            Ok(_) => result.sent.push(id),
            Err(ApiError::Conflict(reason)) => result.skipped.push(skip(&reason)),
            Err(error) => return Err(error),
        }
    }
    json(&result)
}

#[derive(Debug, Deserialize)]
struct LiveSecret {
    secret_id: String,
    user_id: String,
    organization_id: String,
    first_name: String,
    last_name: String,
    digest: String,
    birth_date: Option<String>,
}

/// `POST /api/activation`: public. The link's token, or e-mail + code +
/// birth date, and the new password. Every wrong answer is the same answer.
pub async fn activate(mut req: Request, env: &Env) -> ApiResult<Response> {
    check_origin(&req)?;
    let body: ActivateRequest = json_body(&mut req).await?;
    let lang = lang(&req);
    let password = match &body {
        ActivateRequest::Link(link) => &link.password,
        ActivateRequest::Code(code) => &code.password,
    };
    check_new_password(password).map_err(|error| {
        ApiError::Validation(vec![FieldIssue { field: "password".into(), code: error.code().into(), message: error.message(lang) }])
    })?;
    let db = env.d1("DB")?;
    let now = now();
    let proven = match &body {
        ActivateRequest::Link(link) => db
            .prepare(
                "SELECT s.id AS secret_id, s.user_id, u.organization_id, u.first_name, u.last_name, s.digest, u.birth_date \
                 FROM activation_secrets s JOIN users u ON u.id = s.user_id \
                 WHERE s.digest = ?1 AND s.path = 'link' AND s.consumed_at IS NULL AND s.expires_at > ?2 AND u.status = 'pending'",
            )
            .bind(&[secret_digest(&link.token).into(), int(now)])?
            .first::<LiveSecret>(None)
            .await?,
        ActivateRequest::Code(code) => prove_code(&db, env, code, now).await?,
    };
    let Some(proven) = proven else {
        worker::console_log!("activation refused");
        return Err(ApiError::ActivationRefused);
    };

    let salt = random_bytes()?;
    let hash = password::hash(password, &salt);
    let actor = Actor::person(&proven.user_id, &proven.first_name, &proven.last_name);
    let committed = commit(
        &db,
        vec![
            expect_status(&db, &proven.user_id, "pending")?,
            db::expect_live_secret(&db, &proven.secret_id)?,
            db.prepare(
                "UPDATE users SET status = 'active', password_hash = ?2, registration_deadline = NULL, updated_at = ?3 WHERE id = ?1 AND status = 'pending'",
            )
            .bind(&[proven.user_id.as_str().into(), hash.into(), int(now)])?,
            db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL")
                .bind(&[proven.user_id.as_str().into(), int(now)])?,
            // Reminders still queued for the registration are no longer true.
            db.prepare(
                "UPDATE outbox SET status = 'cancelled', payload = NULL WHERE user_id = ?1 AND status = 'pending' AND kind = 'registration_reminder'",
            )
            .bind(&[proven.user_id.as_str().into()])?,
            history::record(
                &db,
                Event {
                    organization_id: &proven.organization_id,
                    user_id: &proven.user_id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::Activated,
                    details: String::new(),
                },
            )?,
        ],
    )
    .await;
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
async fn prove_code(db: &Db, env: &Env, code: &CodeActivation, now: i64) -> ApiResult<Option<LiveSecret>> {
    let Ok(email) = Email::parse(&code.email) else {
        return Ok(None);
    };
    let candidates: Vec<LiveSecret> = db
        .prepare(
            "SELECT s.id AS secret_id, s.user_id, u.organization_id, u.first_name, u.last_name, s.digest, u.birth_date \
             FROM users u JOIN activation_secrets s ON s.user_id = u.id \
             WHERE u.email_normalized = ?1 AND u.status = 'pending' AND s.path = 'code' \
               AND s.consumed_at IS NULL AND s.locked_at IS NULL AND s.expires_at > ?2 LIMIT 10",
        )
        .bind(&[email.normalized().into(), int(now)])?
        .all()
        .await?
        .results()?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let ids: Vec<&str> = candidates.iter().map(|candidate| candidate.secret_id.as_str()).collect();
    let counted = db::count_code_attempts(db, &ids, MAX_CODE_ATTEMPTS, now).await?;
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
                notify::to_administrators(
                    db,
                    &vault(env)?,
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
