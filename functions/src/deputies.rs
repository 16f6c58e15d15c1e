//! Deputies and the management model (product.md §1): an administrator
//! registers and withdraws the administrators who stand in for them; in the
//! `owned` model a deputy manages the users of those they stand in for.

use serde::Deserialize;
use steward_domain::api::{DeputyRequest, Deputyships, ManagementModelRequest, PersonRef};
use steward_domain::authz::may_register_deputy;
use steward_domain::user::Role;
use worker::{Request, Response};
use crate::d1::Db;
use crate::context::Ctx;
use crate::guard::{Admin, OrganizationAdmin};

use crate::db::int;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, json_body, no_content};
use crate::session::enforce;
use crate::users::{find_user, management_model};

#[derive(Deserialize)]
struct PersonRow {
    id: String,
    name: String,
}

async fn people(db: &Db, sql: &str, binds: &[wasm_bindgen::JsValue]) -> ApiResult<Vec<PersonRef>> {
    Ok(db
        .prepare(sql)
        .bind(binds)?
        .all()
        .await?
        .results::<PersonRow>()?
        .into_iter()
        .map(|row| PersonRef { id: row.id, name: row.name })
        .collect())
}

/// `GET /api/deputies`
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let id = me.id.as_str();
    let org = me.organization.id.as_str();
    json(&Deputyships {
        model: management_model(&db, org).await?,
        my_deputies: people(
            &db,
            "SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM deputies d JOIN users u ON u.id = d.deputy_id \
             WHERE d.administrator_id = ?1 ORDER BY u.last_name, u.first_name",
            &[id.into()],
        )
        .await?,
        i_stand_in_for: people(
            &db,
            "SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM deputies d JOIN users u ON u.id = d.administrator_id \
             WHERE d.deputy_id = ?1 ORDER BY u.last_name, u.first_name",
            &[id.into()],
        )
        .await?,
        candidates: people(
            &db,
            "SELECT id, first_name || ' ' || last_name AS name FROM users WHERE organization_id = ?1 AND status = 'active' \
             AND role IN ('organization_admin', 'user_admin') AND id <> ?2 ORDER BY last_name, first_name",
            &[org.into(), id.into()],
        )
        .await?,
    })
}

/// `POST /api/deputies {deputy_id}`: registers a deputy for the signed-in administrator.
pub async fn register(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let body: DeputyRequest = json_body(&mut req).await?;
    let db = &ctx.db;
    let deputy = find_user(&db, &me.organization.id, &body.deputy_id).await?;
    let deputy_role = Role::parse(&deputy.role).ok_or_else(|| ApiError::Internal(format!("unknown role {}", deputy.role)))?;
    enforce(may_register_deputy(me.role, &me.id, deputy_role, &deputy.id), &me, &format!("register {} as deputy", deputy.id))?;
    db.prepare("INSERT OR IGNORE INTO deputies (organization_id, administrator_id, deputy_id, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[me.organization.id.as_str().into(), me.id.as_str().into(), deputy.id.as_str().into(), int(ctx.now)])?
        .run()
        .await?;
    worker::console_log!("user {} registered deputy {}", me.id, deputy.id);
    no_content()
}

/// `DELETE /api/deputies/{id}`: withdraws a deputy (nothing to do if none).
pub async fn withdraw(_req: Request, ctx: &Ctx<'_>, me: Admin, deputy_id: &str) -> ApiResult<Response> {
    ctx.db
        .prepare("DELETE FROM deputies WHERE administrator_id = ?1 AND deputy_id = ?2")
        .bind(&[me.id.as_str().into(), deputy_id.into()])?
        .run()
        .await?;
    no_content()
}

/// `PUT /api/organization/management-model {model}`: organization administrators only.
pub async fn set_model(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let body: ManagementModelRequest = json_body(&mut req).await?;
    ctx.db
        .prepare("UPDATE organizations SET management_model = ?2 WHERE id = ?1")
        .bind(&[me.organization.id.as_str().into(), body.model.as_str().into()])?
        .run()
        .await?;
    no_content()
}
