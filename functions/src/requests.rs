//! Requests from users (product.md §1, §8): a person asks for a further
//! application; the administrators who manage them are told and grant or
//! refuse it; the person hears back by e-mail and sees it on their account.

use serde::Deserialize;
use steward_domain::api::{ApplicationInfo, Me, MyApplications, NewRoleRequest, PersonRef, RequestDecision, RequestStatus, RoleRequestInfo, RoleRequests};
use steward_domain::applications::{may_revoke, parse_reason, request_refusal};
use steward_domain::authz::{manages, manages_everyone, UserAction};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::notification::Message;
use steward_domain::user::Role;
use worker::{Request, Response};
use crate::d1::Db;
use crate::context::Ctx;
use crate::guard::Admin;

use crate::applications::{application_in_body, catalog, grant_statements, held, Granter};
use crate::crypto::new_uuid;
use crate::db::{commit, count, expect_pending, int, managed_by_clause, values, Pending};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body};
use crate::notify::{queue_email, to_some_administrators, Outgoing};
use crate::session::enforce;
use crate::users::{find_actionable_user, management_model, organization_settings};

#[derive(Deserialize)]
struct RequestRow {
    id: String,
    user_id: String,
    user_name: String,
    application_id: String,
    application_name: String,
    reason: String,
    status: String,
    created_at: i64,
    decided_at: Option<i64>,
    decided_by: Option<String>,
}

const REQUEST_COLUMNS: &str = "SELECT r.id, r.user_id, u.first_name || ' ' || u.last_name AS user_name, r.application_id, \
     a.name AS application_name, r.reason, r.status, r.created_at, r.decided_at, d.first_name || ' ' || d.last_name AS decided_by \
     FROM role_requests r JOIN users u ON u.id = r.user_id JOIN applications a ON a.id = r.application_id \
     LEFT JOIN users d ON d.id = r.decided_by";

fn info(row: RequestRow, applications: &[ApplicationInfo]) -> RoleRequestInfo {
    let application = applications
        .iter()
        .find(|a| a.id == row.application_id)
        .cloned()
        .unwrap_or(ApplicationInfo { id: row.application_id, name: row.application_name, roles: Vec::new() });
    RoleRequestInfo {
        id: row.id,
        requester: PersonRef { id: row.user_id, name: row.user_name },
        application,
        reason: row.reason,
        status: match row.status.as_str() {
            "granted" => RequestStatus::Granted,
            "refused" => RequestStatus::Refused,
            _ => RequestStatus::Pending,
        },
        created_at: row.created_at,
        decided_at: row.decided_at,
        decided_by: row.decided_by,
    }
}

/// The requests `sql` selects, their applications as in `catalog`.
async fn requests(db: &Db, catalog: &[ApplicationInfo], sql: &str, binds: &[wasm_bindgen::JsValue]) -> ApiResult<Vec<RoleRequestInfo>> {
    let rows: Vec<RequestRow> = db.prepare(sql).bind(binds)?.all().await?.results()?;
    Ok(rows.into_iter().map(|row| info(row, catalog)).collect())
}

/// `GET /api/me/applications`: what I hold, what I asked for, what I may ask for.
pub async fn mine(_req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let db = &ctx.db;
    let scope = values::<Vec<String>>(&db, "SELECT scope AS value FROM users WHERE id = ?1", vec![me.id.as_str().into()]).await?.pop().unwrap_or_default();
    let catalog = catalog(&db, &me.organization.id).await?;
    let held = held(&db, &catalog, &me.id).await?;
    let requests = requests(
        &db,
        &catalog,
        &format!("{REQUEST_COLUMNS} WHERE r.user_id = ?1 ORDER BY r.created_at DESC, r.rowid DESC LIMIT 50"),
        &[me.id.as_str().into()],
    )
    .await?;
    let requestable = catalog
        .into_iter()
        .filter(|application| {
            let holds = held.iter().any(|h| h.application.id == application.id);
            let pending = requests.iter().any(|r| r.status == RequestStatus::Pending && r.application.id == application.id);
            request_refusal(holds, pending).is_none()
        })
        .collect();
    json(&MyApplications { scope, held, requests, requestable })
}

/// The administrators who manage `user_id`, by `authz::manages`; `None` when
/// every administrator does.
async fn managing_administrators(db: &Db, organization_id: &str, user_id: &str) -> ApiResult<Option<Vec<String>>> {
    let model = management_model(db, organization_id).await?;
    #[derive(Deserialize)]
    struct Admin {
        id: String,
        role: String,
    }
    #[derive(Deserialize)]
    struct Link {
        administrator_id: String,
        deputy_id: String,
    }
    let admins: Vec<Admin> = db
        .prepare("SELECT id, role FROM users WHERE organization_id = ?1 AND status = 'active' AND role IN ('organization_admin', 'user_admin')")
        .bind(&[organization_id.into()])?
        .all()
        .await?
        .results()?;
    if admins.iter().all(|admin| Role::parse(&admin.role).is_some_and(|role| manages_everyone(model, role))) {
        return Ok(None);
    }
    let managers: Vec<String> = values(db, "SELECT admin_id AS value FROM user_managers WHERE user_id = ?1", vec![user_id.into()]).await?;
    let links: Vec<Link> = db
        .prepare("SELECT administrator_id, deputy_id FROM deputies WHERE organization_id = ?1")
        .bind(&[organization_id.into()])?
        .all()
        .await?
        .results()?;
    Ok(Some(
        admins
            .into_iter()
            .filter(|admin| {
                let represented: Vec<String> =
                    links.iter().filter(|link| link.deputy_id == admin.id).map(|link| link.administrator_id.clone()).collect();
                Role::parse(&admin.role).is_some_and(|role| manages(model, role, &admin.id, &managers, &represented))
            })
            .map(|admin| admin.id)
            .collect(),
    ))
}

/// `POST /api/me/requests {application_id, reason}`: asks for an application.
pub async fn request(mut req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let body: NewRoleRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let reason = parse_reason(&body.reason).map_err(|issue| ApiError::Validation(vec![issue]))?;
    let catalog = catalog(&db, &me.organization.id).await?;
    let application = application_in_body(&catalog, &body.application_id)?;
    let holds = held(&db, &catalog, &me.id).await?.iter().any(|h| h.application.id == application.id);
    let pending = count(
        &db,
        "SELECT count(*) AS count FROM role_requests WHERE user_id = ?1 AND application_id = ?2 AND status = 'pending'",
        &[me.id.as_str().into(), application.id.as_str().into()],
    )
    .await?
        > 0;
    if let Some(refusal) = request_refusal(holds, pending) {
        return Err(ApiError::Conflict(refusal.to_owned()));
    }
    let id = new_uuid()?;
    let now = ctx.now;
    let user_name = format!("{} {}", me.first_name, me.last_name);
    let actor = Actor::of(&me);
    let mut statements = vec![
        db.prepare(
            "INSERT INTO role_requests (id, organization_id, user_id, application_id, reason, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
        )
        .bind(&[
            id.as_str().into(),
            me.organization.id.as_str().into(),
            me.id.as_str().into(),
            application.id.as_str().into(),
            reason.as_str().into(),
            int(now),
        ])?,
        history::record(
            &db,
            Event {
                organization_id: &me.organization.id,
                user_id: &me.id,
                at: now,
                actor: &actor,
                action: HistoryAction::ApplicationRequested,
                details: application.name.clone(),
            },
        )?,
    ];
    let managing = managing_administrators(&db, &me.organization.id, &me.id).await?;
    let only: Option<Vec<&str>> = managing.as_ref().map(|ids| ids.iter().map(String::as_str).filter(|admin| *admin != me.id).collect());
    let message = Message::ApplicationRequested {
        user_name: user_name.clone(),
        application: application.name.clone(),
        reason: reason.clone(),
        url: format!("{}/requests", ctx.origin.clone()),
    };
    statements.extend(
        to_some_administrators(&db, &ctx.vault()?, &me.organization.id, &me.id, only.as_deref(), &message, &format!("request:{id}"), now).await?,
    );
    commit(&db, statements).await?;
    worker::console_log!("user {} requested application {}", me.id, application.id);
    created(&RoleRequestInfo {
        id,
        requester: PersonRef { id: me.id.clone(), name: user_name },
        application,
        reason,
        status: RequestStatus::Pending,
        created_at: now,
        decided_at: None,
        decided_by: None,
    })
}

/// `GET /api/requests`: open requests of the users this administrator manages.
pub async fn pending(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let model = management_model(&db, &me.organization.id).await?;
    let managed_by = if manages_everyone(model, me.role) { "" } else { me.id.as_str() };
    let sql = format!(
        "{REQUEST_COLUMNS} WHERE r.organization_id = ?1 AND r.status = 'pending' AND u.status <> 'deleted' AND {} \
         ORDER BY r.created_at, r.rowid LIMIT 200",
        managed_by_clause("r.user_id", "?2")
    );
    let catalog = catalog(&db, &me.organization.id).await?;
    json(&RoleRequests { requests: requests(&db, &catalog, &sql, &[me.organization.id.as_str().into(), managed_by.into()]).await? })
}

/// `POST /api/requests/{id}/decision {grant}`: grants (only what the
/// administrator may grant) or refuses; the person is told by e-mail.
pub async fn decide(mut req: Request, ctx: &Ctx<'_>, me: Admin, request_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let granter = Granter::read(&db, &me).await?;
    let found = requests(
        &db,
        &granter.catalog,
        &format!("{REQUEST_COLUMNS} WHERE r.id = ?1 AND r.organization_id = ?2"),
        &[request_id.into(), me.organization.id.as_str().into()],
    )
    .await?
    .pop()
    .ok_or(ApiError::NotFound)?;
    // Granting or refusing changes what the requester holds: an administrator's requests are decided by organization administrators.
    let requester = find_actionable_user(db, &me, &found.requester.id, UserAction::ChangeAccess).await?;
    let body: RequestDecision = json_body(&mut req).await?;
    if found.status != RequestStatus::Pending {
        return Err(ApiError::Conflict("This request has already been decided.".into()));
    }
    let now = ctx.now;
    let mut statements = vec![expect_pending(db, Pending::RoleRequest, request_id)?];
    statements.extend(if body.grant {
        enforce(granter.may_grant(&me, &requester.id, &found.application), &me, &format!("grant request {request_id}"))?;
        grant_statements(&db, &me, &requester.id, &found.application, now)?
    } else {
        enforce(may_revoke(me.role, me.id == requester.id), &me, &format!("refuse request {request_id}"))?;
        let actor = Actor::of(&me);
        vec![
            db.prepare("UPDATE role_requests SET status = 'refused', decided_by = ?2, decided_at = ?3 WHERE id = ?1 AND status = 'pending'")
                .bind(&[request_id.into(), me.id.as_str().into(), int(now)])?,
            history::record(
                &db,
                Event {
                    organization_id: &me.organization.id,
                    user_id: &requester.id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::RequestRefused,
                    details: found.application.name.clone(),
                },
            )?,
        ]
    });
    let settings = organization_settings(&db, &me.organization.id).await?;
    let message = Message::RequestDecided {
        first_name: requester.first_name.clone(),
        application: found.application.name.clone(),
        granted: body.grant,
        url: format!("{}/account", ctx.origin.clone()),
    };
    statements.push(queue_email(
        &db,
        &ctx.vault()?,
        Outgoing {
            organization_id: &me.organization.id,
            user_id: Some(&requester.id),
            recipient: &requester.email,
            lang: Lang::for_person(requester.language.as_deref(), &settings.default_language),
            message: &message,
            dedup_key: format!("request-decided:{request_id}"),
        },
        now,
    )?);
    commit(&db, statements).await?;
    worker::console_log!("user {} {} request {request_id}", me.id, if body.grant { "granted" } else { "refused" });
    let decided = requests(&db, &granter.catalog, &format!("{REQUEST_COLUMNS} WHERE r.id = ?1"), &[request_id.into()]).await?.pop().ok_or(ApiError::NotFound)?;
    json(&decided)
}
