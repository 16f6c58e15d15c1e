//! Transfer of responsibility (product.md §1): when an administrator leaves,
//! a platform operator moves every user they manage to another
//! administrator of the same organization; both are told, and each user's
//! history records it.

use serde::Deserialize;
use steward_domain::api::{AdministratorRef, OrganizationAdministrators, OrganizationSummary, TransferRequest, TransferResult};
use steward_domain::lifecycle::HistoryAction;
use steward_domain::notification::Message;
use steward_domain::user::Role;
use worker::{Request, Response};
use crate::context::Ctx;
use crate::guard::Operator;

use crate::db::{commit, count, int};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, query};
use crate::notify::to_some_administrators;

#[derive(Debug, Deserialize)]
struct Administrator {
    id: String,
    organization_id: String,
    name: String,
    role: String,
}

/// `POST /api/platform/transfers {from_administrator_id, to_administrator_id}`
pub async fn transfer(mut req: Request, ctx: &Ctx<'_>, me: Operator) -> ApiResult<Response> {
    let body: TransferRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let administrator = |id: String| {
        let statement = db
            .prepare(
                "SELECT id, organization_id, first_name || ' ' || last_name AS name, role FROM users \
                 WHERE id = ?1 AND status <> 'deleted'",
            )
            .bind(&[id.into()]);
        async move { ApiResult::Ok(statement?.first::<Administrator>(None).await?) }
    };
    let from = administrator(body.from_administrator_id).await?.ok_or(ApiError::NotFound)?;
    let to = administrator(body.to_administrator_id).await?.ok_or(ApiError::NotFound)?;
    let administers = |admin: &Administrator| Role::parse(&admin.role).is_some_and(Role::administers_users);
    if from.organization_id != to.organization_id || from.id == to.id || !administers(&to) {
        return Err(ApiError::Conflict(
            "Responsibility moves to another administrator of the same organization.".into(),
        ));
    }
    let count = count(&db, "SELECT count(*) AS count FROM user_managers WHERE admin_id = ?1", &[from.id.as_str().into()]).await?;
    let now = ctx.now;
    let actor_name = format!("{} {} (platform)", me.first_name, me.last_name);
    let details = format!("from {} to {}", from.name, to.name);
    let mut statements = vec![
        // Each moved user's history, written before the links move.
        db.prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             SELECT lower(hex(randomblob(16))), ?2, user_id, ?3, ?4, ?5, ?6, ?7, ?8 FROM user_managers WHERE admin_id = ?1",
        )
        .bind(&[
            from.id.as_str().into(),
            from.organization_id.as_str().into(),
            int(now),
            me.id.as_str().into(),
            actor_name.as_str().into(),
            HistoryAction::ResponsibilityTransferred.as_str().into(),
            HistoryAction::ResponsibilityTransferred.label().into(),
            details.as_str().into(),
        ])?,
        db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) SELECT user_id, ?2 FROM user_managers WHERE admin_id = ?1")
            .bind(&[from.id.as_str().into(), to.id.as_str().into()])?,
        db.prepare("DELETE FROM user_managers WHERE admin_id = ?1").bind(&[from.id.as_str().into()])?,
        // Nobody stands in for the person who left any more.
        db.prepare("DELETE FROM deputies WHERE administrator_id = ?1").bind(&[from.id.as_str().into()])?,
    ];
    let message = Message::ResponsibilityTransferred { from_name: from.name.clone(), to_name: to.name.clone(), count };
    statements.extend(
        to_some_administrators(
            &db,
            &ctx.vault()?,
            &from.organization_id,
            &to.id,
            Some(&[from.id.as_str(), to.id.as_str()]),
            &message,
            &format!("transfer:{}:{}:{now}", from.id, to.id),
            now,
        )
        .await?,
    );
    commit(&db, statements).await?;
    worker::console_log!("user {} transferred {count} users from {} to {}", me.id, from.id, to.id);
    json(&TransferResult { moved: count })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdministratorsQuery {
    cvr: String,
}

/// `GET /api/platform/administrators?cvr=`: the administrators of the
/// organization with that CVR number, for platform operators only.
pub async fn administrators(req: Request, ctx: &Ctx<'_>, _me: Operator) -> ApiResult<Response> {
    let AdministratorsQuery { cvr } = query(&req)?;
    let db = &ctx.db;
    #[derive(Deserialize)]
    struct Organization {
        id: String,
        name: String,
    }
    let organization = db
        .prepare("SELECT id, name FROM organizations WHERE cvr = ?1")
        .bind(&[cvr.trim().into()])?
        .first::<Organization>(None)
        .await?
        .ok_or(ApiError::NotFound)?;
    #[derive(Deserialize)]
    struct Row {
        id: String,
        name: String,
        role: String,
        manages: u32,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT u.id, u.first_name || ' ' || u.last_name AS name, u.role, \
             (SELECT count(*) FROM user_managers m WHERE m.admin_id = u.id) AS manages FROM users u \
             WHERE u.organization_id = ?1 AND u.status <> 'deleted' AND u.role IN ('organization_admin', 'user_admin') \
             ORDER BY u.last_name, u.first_name",
        )
        .bind(&[organization.id.as_str().into()])?
        .all()
        .await?
        .results()?;
    let administrators = rows
        .into_iter()
        .filter_map(|row| Some(AdministratorRef { role: Role::parse(&row.role)?, id: row.id, name: row.name, manages: row.manages }))
        .collect();
    json(&OrganizationAdministrators { organization: OrganizationSummary { id: organization.id, name: organization.name }, administrators })
}
