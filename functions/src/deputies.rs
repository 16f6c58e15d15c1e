//! Deputies and the management model (product.md §1): an administrator
//! registers and withdraws the administrators who stand in for them; in the
//! `owned` model a deputy manages the users of those they stand in for.

use steward_domain::api::{DeputyRequest, Deputyships, ManagementModelRequest};
use steward_domain::authz::may_register_deputy;
use worker::{Request, Response};
use crate::context::Ctx;
use crate::guard::{Admin, OrganizationAdmin};

use crate::store::{self, ids::{OrganizationId, UserId}};
use crate::error::ApiResult;
use crate::http::{json, json_body, no_content};
use crate::session::enforce;
use crate::users::{find_user, management_model};

/// `GET /api/deputies`
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let (id, org) = (UserId(&me.id), OrganizationId(&me.organization.id));
    json(&Deputyships {
        model: management_model(db, org.as_str()).await?,
        my_deputies: store::deputies::deputies_of(db, id).await?,
        i_stand_in_for: store::deputies::represented_by(db, id).await?,
        candidates: store::deputies::other_administrators(db, org, id).await?,
    })
}

/// `POST /api/deputies {deputy_id}`: registers a deputy for the signed-in administrator.
pub async fn register(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let body: DeputyRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let deputy = find_user(&db, &me.organization.id, &body.deputy_id).await?;
    let deputy_role = deputy.role;
    enforce(may_register_deputy(me.role, &me.id, deputy_role, &deputy.id), &me, &format!("register {} as deputy", deputy.id))?;
    store::deputies::register(db, OrganizationId(&me.organization.id), UserId(&me.id), UserId(&deputy.id), ctx.now).await?;
    worker::console_log!("user {} registered deputy {}", me.id, deputy.id);
    no_content()
}

/// `DELETE /api/deputies/{id}`: withdraws a deputy (nothing to do if none).
pub async fn withdraw(_req: Request, ctx: &Ctx<'_>, me: Admin, deputy_id: &str) -> ApiResult<Response> {
    store::deputies::withdraw(&ctx.db, UserId(&me.id), UserId(deputy_id)).await?;
    no_content()
}

/// `PUT /api/organization/management-model {model}`: organization administrators only.
pub async fn set_model(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let body: ManagementModelRequest = json_body(&mut req).await?;
    store::deputies::set_management_model(&ctx.db, OrganizationId(&me.organization.id), body.model).await?;
    no_content()
}
