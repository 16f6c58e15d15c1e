//! Users' requests for applications (`role_requests`), and whom a request
//! is told to: the organization's administrators and who manages whom.

use serde::Deserialize;
use steward_domain::api::RequestStatus;
use steward_domain::user::Role;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::store::management::managed_by_clause;
use crate::store::sql::{count, int, values};
use crate::error::ApiResult;
use crate::store::ids::{or_everyone, ApplicationId, OrganizationId, RequestId, UserId};

#[derive(Deserialize)]
struct Row {
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

/// A request as read, with the names of its requester, application and decider.
#[derive(Debug, PartialEq)]
pub struct RequestRow {
    pub id: String,
    pub user_id: String,
    pub user_name: String,
    pub application_id: String,
    pub application_name: String,
    pub reason: String,
    pub status: RequestStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
}

/// A request's status as stored; anything but granted or refused is pending.
fn status(text: &str) -> RequestStatus {
    match text {
        "granted" => RequestStatus::Granted,
        "refused" => RequestStatus::Refused,
        _ => RequestStatus::Pending,
    }
}

impl Row {
    fn typed(self) -> RequestRow {
        RequestRow {
            status: status(&self.status),
            id: self.id,
            user_id: self.user_id,
            user_name: self.user_name,
            application_id: self.application_id,
            application_name: self.application_name,
            reason: self.reason,
            created_at: self.created_at,
            decided_at: self.decided_at,
            decided_by: self.decided_by,
        }
    }
}

const REQUEST_COLUMNS: &str = "SELECT r.id, r.user_id, u.first_name || ' ' || u.last_name AS user_name, r.application_id, \
     a.name AS application_name, r.reason, r.status, r.created_at, r.decided_at, d.first_name || ' ' || d.last_name AS decided_by \
     FROM role_requests r JOIN users u ON u.id = r.user_id JOIN applications a ON a.id = r.application_id \
     LEFT JOIN users d ON d.id = r.decided_by";

async fn select(db: &Db, filter: &str, binds: &[JsValue]) -> ApiResult<Vec<RequestRow>> {
    let rows: Vec<Row> = db.prepare(format!("{REQUEST_COLUMNS} {filter}")).bind(binds)?.all().await?.results()?;
    Ok(rows.into_iter().map(Row::typed).collect())
}

/// A user's own latest 50 requests, newest first.
pub async fn of_user(db: &Db, user: UserId<'_>) -> ApiResult<Vec<RequestRow>> {
    select(db, "WHERE r.user_id = ?1 ORDER BY r.created_at DESC, r.rowid DESC LIMIT 50", &[user.into()]).await
}

/// The organization's open requests of users `managed_by` manages (`None`:
/// everyone's), oldest first, at most 200.
pub async fn pending(db: &Db, organization: OrganizationId<'_>, managed_by: Option<UserId<'_>>) -> ApiResult<Vec<RequestRow>> {
    let filter = format!(
        "WHERE r.organization_id = ?1 AND r.status = 'pending' AND u.status <> 'deleted' AND {} \
         ORDER BY r.created_at, r.rowid LIMIT 200",
        managed_by_clause("r.user_id", "?2")
    );
    select(db, &filter, &[organization.into(), or_everyone(managed_by)]).await
}

/// One request of the organization.
pub async fn find_in(db: &Db, organization: OrganizationId<'_>, request: RequestId<'_>) -> ApiResult<Option<RequestRow>> {
    Ok(select(db, "WHERE r.id = ?1 AND r.organization_id = ?2", &[request.into(), organization.into()]).await?.pop())
}

/// One request, by its id alone (one just decided).
pub async fn find(db: &Db, request: RequestId<'_>) -> ApiResult<Option<RequestRow>> {
    Ok(select(db, "WHERE r.id = ?1", &[request.into()]).await?.pop())
}

/// Whether the user has an open request for the application.
pub async fn has_pending(db: &Db, user: UserId<'_>, application: ApplicationId<'_>) -> ApiResult<bool> {
    Ok(count(
        db,
        "SELECT count(*) AS count FROM role_requests WHERE user_id = ?1 AND application_id = ?2 AND status = 'pending'",
        &[user.into(), application.into()],
    )
    .await?
        > 0)
}

/// The scope a user's account is given for (empty if none).
pub async fn scope(db: &Db, user: UserId<'_>) -> ApiResult<String> {
    Ok(values::<Vec<String>>(db, "SELECT scope AS value FROM users WHERE id = ?1", vec![user.into()]).await?.pop().unwrap_or_default())
}

/// A new open request.
pub struct NewRequest<'a> {
    pub id: RequestId<'a>,
    pub organization: OrganizationId<'a>,
    pub user: UserId<'a>,
    pub application: ApplicationId<'a>,
    pub reason: &'a str,
}

pub fn insert_statement(db: &Db, request: NewRequest<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO role_requests (id, organization_id, user_id, application_id, reason, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
        )
        .bind(&[request.id.into(), request.organization.into(), request.user.into(), request.application.into(), request.reason.into(), int(now)])?)
}

/// Refuses a request that is still open.
pub fn refuse_statement(db: &Db, request: RequestId<'_>, decided_by: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE role_requests SET status = 'refused', decided_by = ?2, decided_at = ?3 WHERE id = ?1 AND status = 'pending'")
        .bind(&[request.into(), decided_by.into(), int(now)])?)
}

/// An active administrator of the organization; `role` none if it is not one Steward knows.
pub struct Administrator {
    pub id: String,
    pub role: Option<Role>,
}

pub async fn active_administrators(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<Administrator>> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        role: String,
    }
    Ok(db
        .prepare("SELECT id, role FROM users WHERE organization_id = ?1 AND status = 'active' AND role IN ('organization_admin', 'user_admin')")
        .bind(&[organization.into()])?
        .all()
        .await?
        .results::<Row>()?
        .into_iter()
        .map(|row| Administrator { role: Role::parse(&row.role), id: row.id })
        .collect())
}

/// The administrators a user is linked to (`user_managers`).
pub async fn managers_of(db: &Db, user: UserId<'_>) -> ApiResult<Vec<String>> {
    values(db, "SELECT admin_id AS value FROM user_managers WHERE user_id = ?1", vec![user.into()]).await
}

/// That `deputy_id` stands in for `administrator_id`.
#[derive(Deserialize)]
pub struct DeputyLink {
    pub administrator_id: String,
    pub deputy_id: String,
}

pub async fn deputy_links(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<DeputyLink>> {
    Ok(db
        .prepare("SELECT administrator_id, deputy_id FROM deputies WHERE organization_id = ?1")
        .bind(&[organization.into()])?
        .all()
        .await?
        .results()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_status_is_parsed_once() {
        assert_eq!(status("granted"), RequestStatus::Granted);
        assert_eq!(status("refused"), RequestStatus::Refused);
        assert_eq!(status("pending"), RequestStatus::Pending);
    }
}
