//! Transfer of responsibility (product.md §1): when an administrator leaves,
//! a platform operator moves every user they manage to another
//! administrator of the same organization; both are told, and each user's
//! history records it.

use serde::Deserialize;
use steward_domain::messages::Message as Said;
use steward_domain::api::{OrganizationAdministrators, OrganizationSummary, TransferRequest, TransferResult};
use steward_domain::lifecycle::HistoryAction;
use steward_domain::notification::Message;
use steward_domain::user::Role;
use worker::{Request, Response};
use crate::context::Ctx;
use crate::guard::Operator;

use crate::store::guards::commit;
use crate::store::{self, ids::{OrganizationId, UserId}, transfers::{Administrator, Mover}};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, query};
use crate::notify::to_some_administrators;

/// `POST /api/platform/transfers {from_administrator_id, to_administrator_id}`
pub async fn transfer(mut req: Request, ctx: &Ctx<'_>, me: Operator) -> ApiResult<Response> {
    let body: TransferRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let from = store::transfers::administrator(db, UserId(&body.from_administrator_id)).await?.ok_or(ApiError::NotFound)?;
    let to = store::transfers::administrator(db, UserId(&body.to_administrator_id)).await?.ok_or(ApiError::NotFound)?;
    let administers = |admin: &Administrator| admin.role.is_some_and(Role::administers_users);
    if from.organization_id != to.organization_id || from.id == to.id || !administers(&to) {
        return Err(ApiError::Conflict(Said::TransferWithinOrganization.into()));
    }
    let count = store::transfers::managed_count(db, UserId(&from.id)).await?;
    let now = ctx.now;
    let actor_name = format!("{} {} (platform)", me.first_name, me.last_name);
    let details = format!("from {} to {}", from.name, to.name);
    let mover = Mover {
        actor: UserId(&me.id),
        actor_name: &actor_name,
        action: HistoryAction::ResponsibilityTransferred.as_str(),
        label: HistoryAction::ResponsibilityTransferred.label(),
        details: &details,
    };
    let mut statements =
        store::transfers::move_statements(db, OrganizationId(&from.organization_id), UserId(&from.id), UserId(&to.id), mover, now)?;
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
    let organization = store::transfers::organization_by_cvr(db, cvr.trim()).await?.ok_or(ApiError::NotFound)?;
    let administrators = store::transfers::administrators(db, OrganizationId(&organization.id)).await?;
    json(&OrganizationAdministrators { organization: OrganizationSummary { id: organization.id, name: organization.name }, administrators })
}
