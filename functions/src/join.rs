//! Applying to join an organization (product.md §1, §8): a public form
//! where the organization allows it; its administrators approve (the user
//! is created and sent to activation) or refuse (the person is told).

use serde::Deserialize;
use steward_domain::api::{JoinApproved, JoinDecision, JoinRequestInfo, JoinRequests, JoiningSetting};
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
use crate::db::{expect_pending, Pending, self, commit, count, flag, int};
use crate::error::{ApiError, ApiResult};
use crate::history::Actor;
use crate::http::{json, json_body, no_content};
use crate::notify::{queue_email, to_some_administrators, Outgoing};
use crate::users::{find_user, insert_statements, organization_settings, stored_conflicts, today};

#[derive(Deserialize)]
struct Organization {
    id: String,
    join_allowed: i64,
}

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
    let sent = db::count_attempt(&db, &client, MAX_PER_ADDRESS, now).await?;
    if let Err(wait) = sent.admission(now, MAX_PER_ADDRESS) {
        worker::console_log!("join application refused: too many from one address");
        return Err(ApiError::TooManyApplications(wait_minutes(wait)));
    }
    let (cvr, fields) = join::parse(&input, today(now), lang).map_err(ApiError::Validation)?;
    let organization = db
        .prepare("SELECT id, join_allowed FROM organizations WHERE cvr = ?1")
        .bind(&[cvr.as_str().into()])?
        .first::<Organization>(None)
        .await?
        .filter(|organization| organization.join_allowed != 0)
        .ok_or_else(|| {
            ApiError::Validation(vec![FieldIssue {
                field: "cvr".into(),
                code: "not_taking_applications".into(),
                message: "No organization with this CVR number takes applications through Steward. Ask the organization to create your account."
                    .into(),
            }])
        })?;
    // A full queue is said to every address alike, before anything tells known
    // addresses from unknown ones.
    let open = count(&db, "SELECT count(*) AS count FROM join_requests WHERE organization_id = ?1 AND status = 'pending'", &[organization.id.as_str().into()]).await?;
    if open >= MAX_PENDING_PER_ORGANIZATION {
        return Err(ApiError::Conflict("The organization has many applications waiting. Please try again in a few days.".into()));
    }
    let email = fields.email.normalized();
    let known = count(
        &db,
        "SELECT (SELECT count(*) FROM users WHERE organization_id = ?1 AND email_normalized = ?2 AND status <> 'deleted') \
              + (SELECT count(*) FROM join_requests WHERE organization_id = ?1 AND email_normalized = ?2 AND status = 'pending') AS count",
        &[organization.id.as_str().into(), email.as_str().into()],
    )
    .await?;
    if known > 0 {
        worker::console_log!("join application for organization {} not stored: the address is known", organization.id);
        return no_content();
    }
    let id = new_uuid()?;
    let person_name = format!("{} {}", fields.first_name.as_str(), fields.last_name.as_str());
    let mut statements = vec![db
        .prepare(
            "INSERT INTO join_requests (id, organization_id, first_name, last_name, email, email_normalized, birth_date, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            id.as_str().into(),
            organization.id.as_str().into(),
            fields.first_name.as_str().into(),
            fields.last_name.as_str().into(),
            fields.email.as_str().into(),
            email.as_str().into(),
            fields.birth_date.map(|d| d.to_string()).unwrap_or_default().into(),
            int(now),
        ])?];
    let message = Message::JoinRequested { person_name, email: fields.email.as_str().to_owned(), url: format!("{}/requests", ctx.origin.clone()) };
    // No user exists yet; the application's id stands as the notification's subject.
    // Every administrator decides applications to join; no user exists yet to be managed.
    statements.extend(to_some_administrators(&db, &ctx.vault()?, &organization.id, &id, None, &message, &format!("join:{id}"), now).await?);
    commit(&db, statements).await?;
    worker::console_log!("join application {id} for organization {}", organization.id);
    no_content()
}

#[derive(Deserialize)]
struct JoinRow {
    id: String,
    first_name: String,
    last_name: String,
    email: String,
    birth_date: String,
    created_at: i64,
}

impl JoinRow {
    fn info(self) -> JoinRequestInfo {
        JoinRequestInfo {
            id: self.id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            birth_date: self.birth_date,
            created_at: self.created_at,
        }
    }
}

/// `GET /api/join-requests`: whether the organization takes applications, and those waiting.
pub async fn pending(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let allowed = count(&db, "SELECT count(*) AS count FROM organizations WHERE id = ?1 AND join_allowed = 1", &[me.organization.id.as_str().into()]).await? > 0;
    let requests = db
        .prepare(
            "SELECT id, first_name, last_name, email, birth_date, created_at FROM join_requests \
             WHERE organization_id = ?1 AND status = 'pending' ORDER BY created_at, rowid LIMIT 200",
        )
        .bind(&[me.organization.id.as_str().into()])?
        .all()
        .await?
        .results::<JoinRow>()?
        .into_iter()
        .map(JoinRow::info)
        .collect();
    json(&JoinRequests { allowed, requests })
}

/// `POST /api/join-requests/{id}/decision {approve}`: approving creates the
/// user (managed by the approver) and sends them to activation by e-mail.
pub async fn decide(mut req: Request, ctx: &Ctx<'_>, me: Admin, request_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let row = db
        .prepare(
            "SELECT id, first_name, last_name, email, birth_date, created_at FROM join_requests \
             WHERE id = ?1 AND organization_id = ?2 AND status = 'pending'",
        )
        .bind(&[request_id.into(), me.organization.id.as_str().into()])?
        .first::<JoinRow>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
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
                expect_pending(db, Pending::JoinRequest, request_id)?,
                db.prepare("UPDATE join_requests SET status = 'refused', decided_by = ?2, decided_at = ?3 WHERE id = ?1 AND status = 'pending'")
                    .bind(&[request_id.into(), me.id.as_str().into(), int(now)])?,
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
        return Err(ApiError::Conflict(format!(
            "A user of the organization already has the e-mail address {}; refuse this application or change that user.",
            row.email
        )));
    }
    let user_id = new_uuid()?;
    let mut statements = vec![expect_pending(db, Pending::JoinRequest, request_id)?];
    statements.extend(insert_statements(&db, &vault, &me.organization.id, &user_id, &fields, &actor, "approved application to join".into(), now)?);
    statements.push(
        db.prepare("UPDATE join_requests SET status = 'approved', decided_by = ?2, decided_at = ?3, user_id = ?4 WHERE id = ?1 AND status = 'pending'")
            .bind(&[request_id.into(), me.id.as_str().into(), int(now), user_id.as_str().into()])?,
    );
    commit(&db, statements).await?;
    let record = find_user(&db, &me.organization.id, &user_id).await?;
    let activation = activation::send(&db, &vault, &settings, &record, &actor, &ctx.origin.clone(), now).await?;
    worker::console_log!("user {} approved join application {request_id} as user {user_id}", me.id);
    json(&JoinApproved { user: find_user(&db, &me.organization.id, &user_id).await?.detail()?, activation })
}

/// `PUT /api/organization/joining {allowed}`: organization administrators only.
pub async fn set_allowed(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let body: JoiningSetting = json_body(&mut req).await?;
    ctx.db
        .prepare("UPDATE organizations SET join_allowed = ?2 WHERE id = ?1")
        .bind(&[me.organization.id.as_str().into(), flag(body.allowed)])?
        .run()
        .await?;
    no_content()
}
