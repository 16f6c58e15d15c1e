//! What a transfer of responsibility reads and moves: administrators, their
//! links to the users they manage (`user_managers`) and their deputies.

use serde::Deserialize;
use steward_domain::api::AdministratorRef;
use steward_domain::user::Role;

use crate::d1::{Db, Statement};
use crate::store::sql::{count, int};
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

/// A not-deleted user who may be an administrator; `role` none if it is
/// not one Steward knows.
#[derive(Debug)]
pub struct Administrator {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub role: Option<Role>,
}

pub async fn administrator(db: &Db, user: UserId<'_>) -> ApiResult<Option<Administrator>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        organization_id: String,
        name: String,
        role: String,
    }
    Ok(db
        .prepare(
            "SELECT id, organization_id, first_name || ' ' || last_name AS name, role FROM users \
             WHERE id = ?1 AND status <> 'deleted'",
        )
        .bind(&[user.into()])?
        .first::<Row>(None)
        .await?
        .map(|row| Administrator { role: Role::parse(&row.role), id: row.id, organization_id: row.organization_id, name: row.name }))
}

/// How many users are linked to the administrator.
pub async fn managed_count(db: &Db, administrator: UserId<'_>) -> ApiResult<u32> {
    count(db, "SELECT count(*) AS count FROM user_managers WHERE admin_id = ?1", &[administrator.into()]).await
}

/// Who moves the users, and what each one's history says of it.
pub struct Mover<'a> {
    pub actor: UserId<'a>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub label: &'a str,
    pub details: &'a str,
}

/// The statements that move every user linked to `from` to `to`: each
/// moved user's history first (before the links move), then the links;
/// nobody stands in for `from` any more.
pub fn move_statements(db: &Db, organization: OrganizationId<'_>, from: UserId<'_>, to: UserId<'_>, mover: Mover<'_>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             SELECT lower(hex(randomblob(16))), ?2, user_id, ?3, ?4, ?5, ?6, ?7, ?8 FROM user_managers WHERE admin_id = ?1",
        )
        .bind(&[
            from.into(),
            organization.into(),
            int(now),
            mover.actor.into(),
            mover.actor_name.into(),
            mover.action.into(),
            mover.label.into(),
            mover.details.into(),
        ])?,
        db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) SELECT user_id, ?2 FROM user_managers WHERE admin_id = ?1")
            .bind(&[from.into(), to.into()])?,
        db.prepare("DELETE FROM user_managers WHERE admin_id = ?1").bind(&[from.into()])?,
        db.prepare("DELETE FROM deputies WHERE administrator_id = ?1").bind(&[from.into()])?,
    ])
}

#[derive(Deserialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
}

pub async fn organization_by_cvr(db: &Db, cvr: &str) -> ApiResult<Option<Organization>> {
    Ok(db.prepare("SELECT id, name FROM organizations WHERE cvr = ?1").bind(&[cvr.into()])?.first::<Organization>(None).await?)
}

/// The organization's not-deleted administrators by name, with how many
/// users each is linked to; any of a role Steward does not know is left out.
pub async fn administrators(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<AdministratorRef>> {
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
        .bind(&[organization.into()])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .filter_map(|row| Some(AdministratorRef { role: Role::parse(&row.role)?, id: row.id, name: row.name, manages: row.manages }))
        .collect())
}
