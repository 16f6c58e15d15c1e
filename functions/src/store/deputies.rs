//! Deputies (`deputies`: who stands in for whom) and the organization's
//! management model.

use serde::Deserialize;
use steward_domain::api::PersonRef;
use steward_domain::authz::ManagementModel;
use wasm_bindgen::JsValue;

use crate::d1::Db;
use crate::store::sql::int;
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

async fn people(db: &Db, sql: &str, binds: &[JsValue]) -> ApiResult<Vec<PersonRef>> {
    #[derive(Deserialize)]
    struct PersonRow {
        id: String,
        name: String,
    }
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

/// Who stands in for the administrator, by name.
pub async fn deputies_of(db: &Db, administrator: UserId<'_>) -> ApiResult<Vec<PersonRef>> {
    people(
        db,
        "SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM deputies d JOIN users u ON u.id = d.deputy_id \
         WHERE d.administrator_id = ?1 ORDER BY u.last_name, u.first_name",
        &[administrator.into()],
    )
    .await
}

/// Whom the deputy stands in for, by name.
pub async fn represented_by(db: &Db, deputy: UserId<'_>) -> ApiResult<Vec<PersonRef>> {
    people(
        db,
        "SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM deputies d JOIN users u ON u.id = d.administrator_id \
         WHERE d.deputy_id = ?1 ORDER BY u.last_name, u.first_name",
        &[deputy.into()],
    )
    .await
}

/// The organization's active administrators other than `except`, by name.
pub async fn other_administrators(db: &Db, organization: OrganizationId<'_>, except: UserId<'_>) -> ApiResult<Vec<PersonRef>> {
    people(
        db,
        "SELECT id, first_name || ' ' || last_name AS name FROM users WHERE organization_id = ?1 AND status = 'active' \
         AND role IN ('organization_admin', 'user_admin') AND id <> ?2 ORDER BY last_name, first_name",
        &[organization.into(), except.into()],
    )
    .await
}

/// Registers `deputy` for `administrator` (nothing if registered already).
pub async fn register(db: &Db, organization: OrganizationId<'_>, administrator: UserId<'_>, deputy: UserId<'_>, now: i64) -> ApiResult<()> {
    db.prepare("INSERT OR IGNORE INTO deputies (organization_id, administrator_id, deputy_id, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[organization.into(), administrator.into(), deputy.into(), int(now)])?
        .run()
        .await?;
    Ok(())
}

pub async fn withdraw(db: &Db, administrator: UserId<'_>, deputy: UserId<'_>) -> ApiResult<()> {
    db.prepare("DELETE FROM deputies WHERE administrator_id = ?1 AND deputy_id = ?2").bind(&[administrator.into(), deputy.into()])?.run().await?;
    Ok(())
}

pub async fn set_management_model(db: &Db, organization: OrganizationId<'_>, model: ManagementModel) -> ApiResult<()> {
    db.prepare("UPDATE organizations SET management_model = ?2 WHERE id = ?1").bind(&[organization.into(), model.as_str().into()])?.run().await?;
    Ok(())
}
