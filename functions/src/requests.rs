//! Requests from users (product.md §1, §8): a person asks for a further
//! application; the administrators who manage them are told and grant or
//! refuse it; the person hears back by e-mail and sees it on their account.

use steward_domain::messages::Message as Said;
use steward_domain::api::{ApplicationInfo, Me, MyApplications, NewRoleRequest, PersonRef, RequestDecision, RequestStatus, RoleRequestInfo, RoleRequests};
use steward_domain::applications::{may_revoke, parse_reason, request_refusal};
use steward_domain::authz::{manages, manages_everyone, UserAction};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::notification::Message;
use worker::{Request, Response};
use crate::d1::Db;
use crate::context::Ctx;
use crate::guard::Admin;

use crate::applications::{application_in_body, catalog, grant_statements, held, Granter};
use crate::crypto::new_uuid;
use crate::store::guards::{commit, expect_pending, Pending};
use crate::store::{self, ids::{ApplicationId, OrganizationId, RequestId, UserId}, requests::{NewRequest, RequestRow}};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body};
use crate::notify::{queue_email, to_some_administrators, Outgoing};
use crate::session::enforce;
use crate::users::{find_actionable_user, management_model, organization_settings};

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
        status: row.status,
        created_at: row.created_at,
        decided_at: row.decided_at,
        decided_by: row.decided_by,
    }
}

/// Requests as read, their applications as in `catalog`.
fn infos(rows: Vec<RequestRow>, catalog: &[ApplicationInfo]) -> Vec<RoleRequestInfo> {
    rows.into_iter().map(|row| info(row, catalog)).collect()
}

/// `GET /api/me/applications`: what I hold, what I asked for, what I may ask for.
pub async fn mine(_req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let db = &ctx.db;
    let scope = store::requests::scope(db, UserId(&me.id)).await?;
    let catalog = catalog(&db, &me.organization.id).await?;
    let held = held(&db, &catalog, &me.id).await?;
    let requests = infos(store::requests::of_user(db, UserId(&me.id)).await?, &catalog);
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
    let admins = store::requests::active_administrators(db, OrganizationId(organization_id)).await?;
    if admins.iter().all(|admin| admin.role.is_some_and(|role| manages_everyone(model, role))) {
        return Ok(None);
    }
    let managers = store::requests::managers_of(db, UserId(user_id)).await?;
    let links = store::requests::deputy_links(db, OrganizationId(organization_id)).await?;
    Ok(Some(
        admins
            .into_iter()
            .filter(|admin| {
                let represented: Vec<String> =
                    links.iter().filter(|link| link.deputy_id == admin.id).map(|link| link.administrator_id.clone()).collect();
                admin.role.is_some_and(|role| manages(model, role, &admin.id, &managers, &represented))
            })
            .map(|admin| admin.id)
            .collect(),
    ))
}

/// `POST /api/me/requests {application_id, reason}`: asks for an application.
pub async fn request(mut req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    let body: NewRoleRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let reason = parse_reason(&body.reason, ctx.lang).map_err(|issue| ApiError::Validation(vec![issue]))?;
    let catalog = catalog(&db, &me.organization.id).await?;
    let application = application_in_body(&catalog, &body.application_id, ctx.lang)?;
    let holds = held(&db, &catalog, &me.id).await?.iter().any(|h| h.application.id == application.id);
    let pending = store::requests::has_pending(db, UserId(&me.id), ApplicationId(&application.id)).await?;
    if let Some(refusal) = request_refusal(holds, pending) {
        return Err(ApiError::Conflict(refusal.into()));
    }
    let id = new_uuid()?;
    let now = ctx.now;
    let user_name = format!("{} {}", me.first_name, me.last_name);
    let actor = Actor::of(&me);
    let mut statements = vec![
        store::requests::insert_statement(
            db,
            NewRequest {
                id: RequestId(&id),
                organization: OrganizationId(&me.organization.id),
                user: UserId(&me.id),
                application: ApplicationId(&application.id),
                reason: reason.as_str(),
            },
            now,
        )?,
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
    let managed_by = if manages_everyone(model, me.role) { None } else { Some(UserId(&me.id)) };
    let rows = store::requests::pending(db, OrganizationId(&me.organization.id), managed_by).await?;
    let catalog = catalog(&db, &me.organization.id).await?;
    json(&RoleRequests { requests: infos(rows, &catalog) })
}

/// `POST /api/requests/{id}/decision {grant}`: grants (only what the
/// administrator may grant) or refuses; the person is told by e-mail.
pub async fn decide(mut req: Request, ctx: &Ctx<'_>, me: Admin, request_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let granter = Granter::read(&db, &me).await?;
    let found = store::requests::find_in(db, OrganizationId(&me.organization.id), RequestId(request_id))
        .await?
        .map(|row| info(row, &granter.catalog))
        .ok_or(ApiError::NotFound)?;
    // Granting or refusing changes what the requester holds: an administrator's requests are decided by organization administrators.
    let requester = find_actionable_user(db, &me, &found.requester.id, UserAction::ChangeAccess).await?;
    let body: RequestDecision = json_body(&mut req).await?;
    if found.status != RequestStatus::Pending {
        return Err(ApiError::Conflict(Said::RequestAlreadyDecided.into()));
    }
    let now = ctx.now;
    let mut statements = vec![expect_pending(db, Pending::RoleRequest(RequestId(request_id)))?];
    statements.extend(if body.grant {
        enforce(granter.may_grant(&me, &requester.id, &found.application), &me, &format!("grant request {request_id}"))?;
        grant_statements(&db, &me, &requester.id, &found.application, now)?
    } else {
        enforce(may_revoke(me.role, me.id == requester.id), &me, &format!("refuse request {request_id}"))?;
        let actor = Actor::of(&me);
        vec![
            store::requests::refuse_statement(db, RequestId(request_id), UserId(&me.id), now)?,
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
    let decided = store::requests::find(db, RequestId(request_id)).await?.map(|row| info(row, &granter.catalog)).ok_or(ApiError::NotFound)?;
    json(&decided)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(application_id: &str) -> RequestRow {
        RequestRow {
            id: "r".into(),
            user_id: "u".into(),
            user_name: "Ada Lund".into(),
            application_id: application_id.into(),
            application_name: "Payroll".into(),
            reason: "month end".into(),
            status: RequestStatus::Granted,
            created_at: 1,
            decided_at: Some(2),
            decided_by: Some("Bo Berg".into()),
        }
    }

    #[test]
    fn a_request_shows_its_application_as_the_catalog_has_it() {
        let catalog = vec![ApplicationInfo { id: "a".into(), name: "Payroll".into(), roles: vec!["clerk".into()] }];
        let known = info(row("a"), &catalog);
        assert_eq!(known.application.roles, vec!["clerk"]);
        assert_eq!(known.requester, PersonRef { id: "u".into(), name: "Ada Lund".into() });
        assert_eq!(known.status, RequestStatus::Granted);
        // An application no longer in the catalog keeps its name, with no roles.
        let gone = info(row("b"), &catalog);
        assert_eq!(gone.application, ApplicationInfo { id: "b".into(), name: "Payroll".into(), roles: Vec::new() });
    }
}
