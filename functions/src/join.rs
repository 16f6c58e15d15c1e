//! Applying to join an organization (product.md §1, §8): a public form
//! where the organization allows it; its administrators approve (the user
//! is created and sent to activation) or refuse (the person is told).

use steward_domain::messages::{Arg, Message as Said};
use steward_domain::api::{JoinApproved, JoinDecision, JoinRequests, JoiningSetting};
use steward_domain::join::{self, JoinInput, MAX_PENDING_PER_ORGANIZATION, MAX_PER_ADDRESS};
use steward_domain::throttle::wait_minutes;
use steward_domain::lang::Lang;
use steward_domain::notification::Message;
use steward_domain::fields::Date;
use steward_domain::user_form::FieldIssue;
use worker::{Request, Response};
use crate::context::Ctx;
use crate::guard::{Admin, OrganizationAdmin};

use crate::activation;
use crate::crypto::new_uuid;
use crate::store::guards::{expect_pending, Pending, commit};
use crate::store::ids::{JoinRequestId, OrganizationId, UserId};
use crate::store::join_requests::{self, NewJoinRequest};
use crate::store::attempts;
use crate::error::{ApiError, ApiResult};
use crate::history::Actor;
use crate::http::{json, json_body, no_content};
use crate::notify::{queue_email, to_some_administrators, Outgoing};
use crate::users::{find_user, insert_statements, organization_settings, stored_conflicts, today};

/// `POST /api/join {cvr, first_name, last_name, email, birth_date}`: public.
/// The answer is the same whether or not the address already has an
/// account or an open application, so that it reveals neither.
pub async fn apply(mut req: Request, ctx: &Ctx<'_>) -> ApiResult<Response> {
    let input: JoinInput = json_body(&mut req).await?;
    let lang = ctx.lang;
    let now = ctx.now;
    let db = &ctx.db;
    // Every application counts against the client's address, stored or not;
    // counted before anything else, so that concurrent ones cannot all pass.
    let client = format!("join:{}", req.headers().get("cf-connecting-ip")?.unwrap_or_else(|| "unknown".into()));
    let sent = attempts::count(&db, &client, MAX_PER_ADDRESS, now).await?;
    if let Err(wait) = sent.admission(now, MAX_PER_ADDRESS) {
        worker::console_log!("join application refused: too many from one address");
        return Err(ApiError::TooManyApplications(wait_minutes(wait)));
    }
    let (cvr, fields) = join::parse(&input, today(now), lang).map_err(ApiError::Validation)?;
    let organization_id = join_requests::organization_taking_applications(&db, cvr.as_str())
        .await?
        .ok_or_else(|| {
            ApiError::Validation(vec![FieldIssue {
                field: "cvr".into(),
                code: "not_taking_applications".into(),
                message: Said::NotTakingApplications.text(lang),
            }])
        })?;
    // A full queue is said to every address alike, before anything tells known
    // addresses from unknown ones.
    let organization = OrganizationId(&organization_id);
    let open = join_requests::count_pending(&db, organization).await?;
    if open >= MAX_PENDING_PER_ORGANIZATION {
        return Err(ApiError::Conflict(Said::JoinQueueFull.into()));
    }
    let email = fields.email.normalized();
    let known = join_requests::count_known(&db, organization, &email).await?;
    if known > 0 {
        worker::console_log!("join application for organization {organization} not stored: the address is known");
        return no_content();
    }
    let id = new_uuid()?;
    let person_name = format!("{} {}", fields.first_name.as_str(), fields.last_name.as_str());
    let birth_date = fields.birth_date.map(|d| d.to_string()).unwrap_or_default();
    let mut statements = vec![join_requests::insert(
        &db,
        NewJoinRequest {
            id: JoinRequestId(&id),
            organization,
            first_name: fields.first_name.as_str(),
            last_name: fields.last_name.as_str(),
            email: fields.email.as_str(),
            email_normalized: &email,
            birth_date: &birth_date,
            created_at: now,
        },
    )?];
    let message = Message::JoinRequested { person_name, email: fields.email.as_str().to_owned(), url: format!("{}/requests", ctx.origin.clone()) };
    // No user exists yet; the application's id stands as the notification's subject.
    // Every administrator decides applications to join; no user exists yet to be managed.
    statements.extend(to_some_administrators(&db, &ctx.vault()?, &organization_id, &id, None, &message, &format!("join:{id}"), now).await?);
    commit(&db, statements).await?;
    worker::console_log!("join application {id} for organization {organization}");
    no_content()
}

/// `GET /api/join-requests`: whether the organization takes applications, and those waiting.
pub async fn pending(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let organization = OrganizationId(&me.organization.id);
    let allowed = join_requests::allowed(&db, organization).await?;
    let requests = join_requests::pending(&db, organization).await?;
    json(&JoinRequests { allowed, requests })
}

/// `POST /api/join-requests/{id}/decision {approve}`: approving creates the
/// user (managed by the approver) and sends them to activation by e-mail.
pub async fn decide(mut req: Request, ctx: &Ctx<'_>, me: Admin, request_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let row = join_requests::find_pending(&db, OrganizationId(&me.organization.id), JoinRequestId(request_id)).await?.ok_or(ApiError::NotFound)?;
    let body: JoinDecision = json_body(&mut req).await?;
    let now = ctx.now;
    let vault = ctx.vault()?;
    let settings = organization_settings(&db, &me.organization.id).await?;
    let actor = Actor::of(&me);
    if !body.approve {
        let message = Message::JoinRefused { first_name: row.first_name.clone(), organization: me.organization.name.clone() };
        commit(
            &db,
            vec![
                expect_pending(db, Pending::JoinRequest(JoinRequestId(request_id)))?,
                join_requests::refuse(&db, JoinRequestId(request_id), UserId(&me.id), now)?,
                queue_email(
                    &db,
                    &vault,
                    Outgoing {
                        organization_id: &me.organization.id,
                        user_id: None,
                        recipient: &row.email,
                        lang: Lang::for_person(None, &settings.default_language),
                        message: &message,
                        dedup_key: format!("join-refused:{request_id}"),
                    },
                    now,
                )?,
            ],
        )
        .await?;
        worker::console_log!("user {} refused join application {request_id}", me.id);
        return no_content();
    }
    let lang = ctx.lang;
    let input = join::applicant_input(&row.first_name, &row.last_name, &row.email, &row.birth_date);
    let fields = join::parse_person(&input, Date::from_unix_seconds(row.created_at), lang).map_err(ApiError::Validation)?;
    let conflicts = stored_conflicts(&db, &vault, &me.organization.id, &fields, None, lang).await?;
    if !conflicts.is_empty() {
        return Err(ApiError::conflict(Said::JoinEmailTaken, vec![Arg::plain(&row.email)]));
    }
    let user_id = new_uuid()?;
    let mut statements = vec![expect_pending(db, Pending::JoinRequest(JoinRequestId(request_id)))?];
    statements.extend(insert_statements(&db, &vault, &me.organization.id, &user_id, &fields, &actor, "approved application to join".into(), now)?);
    statements.push(join_requests::approve(&db, JoinRequestId(request_id), UserId(&me.id), now, UserId(&user_id))?);
    commit(&db, statements).await?;
    let record = find_user(&db, &me.organization.id, &user_id).await?;
    let activation = activation::send(&db, &vault, &settings, &record, &actor, &ctx.origin.clone(), now).await?;
    worker::console_log!("user {} approved join application {request_id} as user {user_id}", me.id);
    json(&JoinApproved { user: find_user(&db, &me.organization.id, &user_id).await?.detail()?, activation })
}

/// `PUT /api/organization/joining {allowed}`: organization administrators only.
pub async fn set_allowed(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let body: JoiningSetting = json_body(&mut req).await?;
    join_requests::set_allowed(&ctx.db, OrganizationId(&me.organization.id), body.allowed).await?;
    no_content()
}
