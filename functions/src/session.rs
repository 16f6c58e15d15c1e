//! Signing in and out, and who is signed in.

use steward_domain::messages::Message;
use steward_domain::activation::check_new_password;
use steward_domain::authz::Decision;
use steward_domain::api::{LanguageChoice, Me, OrganizationSummary, PasswordChange, SignInRequest};
use steward_domain::user_form::FieldIssue;
use steward_domain::email::Email;
use steward_domain::lang::Lang;
use steward_domain::throttle::{wait_minutes, Attempts, MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES};
use steward_domain::{password, session};
use worker::{Request, Response};
use crate::d1::Db;
use crate::context::Ctx;

use crate::crypto::random_bytes;
use crate::store::ids::UserId;
use crate::store::{attempts, sessions, users};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, no_content};

fn presented_token(req: &Request) -> ApiResult<Option<String>> {
    let header = req.headers().get("cookie")?.unwrap_or_default();
    Ok(session::token_from_cookie_header(&header).map(str::to_owned))
}

/// The user behind a session token, if the session is live.
async fn session_me(db: &Db, token: &str, now: i64) -> ApiResult<Option<Me>> {
    let Some(row) = sessions::session_user(db, &session::token_digest(token), now).await? else {
        return Ok(None);
    };
    Ok(Some(Me {
        id: row.id,
        email: row.email,
        first_name: row.first_name,
        last_name: row.last_name,
        role: row.role,
        organization: OrganizationSummary { id: row.organization_id, name: row.organization_name },
        platform_operator: row.platform_operator,
        register_administrator: row.register_administrator,
        language: Lang::for_person(row.language.as_deref(), &row.default_language),
        chosen_language: row.language.as_deref().and_then(Lang::parse),
    }))
}

/// The signed-in user behind the request's session cookie, or `Unauthenticated`.
pub async fn authenticate(req: &Request, db: &Db, now: i64) -> ApiResult<Me> {
    let token = presented_token(req)?.ok_or(ApiError::Unauthenticated)?;
    session_me(db, &token, now).await?.ok_or(ApiError::Unauthenticated)
}

/// Refuses with the rule's reason, and logs the refusal without secrets.
pub fn enforce(decision: Decision, me: &Me, what: &str) -> ApiResult<()> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Deny(reason) => {
            worker::console_log!("refused: user {} may not {what}", me.id);
            Err(ApiError::ForbiddenBecause(reason))
        }
    }
}

/// `POST /api/session`: e-mail and password in, a fresh session cookie out.
pub async fn sign_in(mut req: Request, ctx: &Ctx<'_>) -> ApiResult<Response> {
    let body: SignInRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let now = ctx.now;
    // Throttled by the client's address, then by the typed address (whether
    // or not an account has it). Each attempt is counted before the password
    // is checked, so that concurrent attempts cannot all pass one count.
    let typed = body.email.trim().to_lowercase();
    let client = req.headers().get("cf-connecting-ip")?.unwrap_or_else(|| "unknown".into());
    let address_key = format!("address:{client}");
    let email_key = format!("email:{typed}");
    let address_count = attempts::count(&db, &address_key, MAX_ADDRESS_FAILURES, now).await?;
    admit(&address_count, MAX_ADDRESS_FAILURES, now)?;
    admit(&attempts::count(&db, &email_key, MAX_ACCOUNT_FAILURES, now).await?, MAX_ACCOUNT_FAILURES, now)?;

    let candidates = match Email::parse(&body.email) {
        Ok(email) => sessions::active_accounts_by_email(&db, &email.normalized()).await?,
        Err(_) => Vec::new(),
    };
    let matched = candidates
        .iter()
        .find(|account| account.password_hash.as_deref().is_some_and(|hash| password::verify(hash, &body.password)));
    let Some(account) = matched else {
        // Cost the same time whether or not the address has an account.
        if candidates.is_empty() {
            password::verify(password::DECOY_HASH, &body.password);
        }
        worker::console_log!("sign-in refused");
        return Err(ApiError::InvalidCredentials);
    };
    // A success is no failure: the typed address starts afresh, and the
    // client's address gets its attempt back.
    attempts::forget(&db, &email_key).await?;
    attempts::give_back(&db, &address_key, &address_count, MAX_ADDRESS_FAILURES).await?;

    // A new token at every sign-in; the one the browser held (if any) ends.
    if let Some(old) = presented_token(&req)? {
        sessions::delete(&db, &session::token_digest(&old)).await?;
    }
    sessions::delete_expired(&db, UserId(&account.id), now).await?;
    let token = session::encode_token(&random_bytes()?);
    sessions::insert(&db, &session::token_digest(&token), UserId(&account.id), now, now + session::TTL_SECONDS).await?;
    worker::console_log!("sign-in accepted for user {}", account.id);

    let me = session_me(db, &token, ctx.now)
        .await?
        .ok_or_else(|| ApiError::Internal("a new session was not found".into()))?;
    let response = json(&me)?;
    response.headers().set("set-cookie", &session::set_cookie(&token))?;
    Ok(response)
}

/// Refuses an attempt whose count is past the key's limit, with the same
/// answer for every key.
fn admit(count: &Attempts, max: i64, now: i64) -> ApiResult<()> {
    count.admission(now, max).map_err(|wait| {
        worker::console_log!("sign-in refused: too many attempts");
        ApiError::TooManyAttempts(wait_minutes(wait))
    })
}

/// `DELETE /api/session`: ends the session, if any; always clears the cookie.
pub async fn sign_out(req: Request, ctx: &Ctx<'_>) -> ApiResult<Response> {
    if let Some(token) = presented_token(&req)? {
        sessions::delete(&ctx.db, &session::token_digest(&token)).await?;
    }
    let response = no_content()?;
    response.headers().set("set-cookie", &session::clear_cookie())?;
    Ok(response)
}

/// `GET /api/me`: the signed-in user and their organization.
pub async fn me(_req: Request, _ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    json(&me)
}

/// `PUT /api/me/language {language}`: the signed-in person's own language
/// (`da`, `en`, `de`), for `GET /api/me` and every later e-mail and
/// notification to them.
pub async fn set_language(mut req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let body: LanguageChoice = json_body(&mut req).await?;
    let lang = Lang::parse(&body.language).ok_or_else(|| {
        ApiError::Validation(vec![FieldIssue {
            field: "language".into(),
            code: "unknown_language".into(),
            message: Message::UnknownLanguage.text(ctx.lang),
        }])
    })?;
    users::set_language(&ctx.db, UserId(&me.id), lang).await?;
    worker::console_log!("user {} chose the language {}", me.id, lang.as_str());
    no_content()
}

/// `PUT /api/me/password`: the current password and a new one. Every session
/// of the person ends, and this browser gets a fresh one.
pub async fn change_password(mut req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let body: PasswordChange = json_body(&mut req).await?;
    let lang = ctx.lang;
    check_new_password(&body.new_password).map_err(|error| {
        ApiError::Validation(vec![FieldIssue { field: "new_password".into(), code: error.code().into(), message: error.message(lang) }])
    })?;
    let db = &ctx.db;
    // Someone holding a stolen session may guess the current password here:
    // the same count as sign-in, per person, before the password is checked.
    let key = format!("password:{}", me.id);
    admit(&attempts::count(db, &key, MAX_ACCOUNT_FAILURES, ctx.now).await?, MAX_ACCOUNT_FAILURES, ctx.now)?;
    let stored = sessions::password_hash(&db, UserId(&me.id)).await?;
    if !stored.as_deref().is_some_and(|hash| password::verify(hash, &body.current_password)) {
        worker::console_log!("password change refused for user {}", me.id);
        return Err(ApiError::Validation(vec![FieldIssue {
            field: "current_password".into(),
            code: "current_password_wrong".into(),
            message: Message::CurrentPasswordWrong.text(lang),
        }]));
    }
    attempts::forget(db, &key).await?;
    let hash = password::hash(&body.new_password, &random_bytes()?);
    let now = ctx.now;
    let token = session::encode_token(&random_bytes()?);
    let user = UserId(&me.id);
    db.batch(vec![
        sessions::set_password_statement(db, user, &hash, now)?,
        sessions::delete_all_statement(db, user)?,
        sessions::insert_statement(db, &session::token_digest(&token), user, now, now + session::TTL_SECONDS)?,
    ])
    .await?;
    worker::console_log!("password changed for user {}; every session ended", me.id);
    let response = no_content()?;
    response.headers().set("set-cookie", &session::set_cookie(&token))?;
    Ok(response)
}
