//! Applications to join an organization, and the organization's setting
//! that takes them.

use serde::Deserialize;
use steward_domain::api::JoinRequestInfo;

use crate::d1::{Db, Statement};
use crate::store::sql::{count, flag, int};
use crate::error::ApiResult;
use crate::store::ids::{JoinRequestId, OrganizationId, UserId};

/// The organization with a CVR number, if it takes applications.
pub async fn organization_taking_applications(db: &Db, cvr: &str) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Organization {
        id: String,
        join_allowed: i64,
    }
    Ok(db
        .prepare("SELECT id, join_allowed FROM organizations WHERE cvr = ?1")
        .bind(&[cvr.into()])?
        .first::<Organization>(None)
        .await?
        .filter(|organization| organization.join_allowed != 0)
        .map(|organization| organization.id))
}

/// Whether the organization takes applications.
pub async fn allowed(db: &Db, organization: OrganizationId<'_>) -> ApiResult<bool> {
    Ok(count(db, "SELECT count(*) AS count FROM organizations WHERE id = ?1 AND join_allowed = 1", &[organization.into()]).await? > 0)
}

pub async fn set_allowed(db: &Db, organization: OrganizationId<'_>, allowed: bool) -> ApiResult<()> {
    db.prepare("UPDATE organizations SET join_allowed = ?2 WHERE id = ?1").bind(&[organization.into(), flag(allowed)])?.run().await?;
    Ok(())
}

/// How many applications wait for a decision.
pub async fn count_pending(db: &Db, organization: OrganizationId<'_>) -> ApiResult<u32> {
    count(db, "SELECT count(*) AS count FROM join_requests WHERE organization_id = ?1 AND status = 'pending'", &[organization.into()]).await
}

/// How many live users and waiting applications have this address.
pub async fn count_known(db: &Db, organization: OrganizationId<'_>, email_normalized: &str) -> ApiResult<u32> {
    count(
        db,
        "SELECT (SELECT count(*) FROM users WHERE organization_id = ?1 AND email_normalized = ?2 AND status <> 'deleted') \
              + (SELECT count(*) FROM join_requests WHERE organization_id = ?1 AND email_normalized = ?2 AND status = 'pending') AS count",
        &[organization.into(), email_normalized.into()],
    )
    .await
}

/// A new application, as the form gave it (checked).
pub struct NewJoinRequest<'a> {
    pub id: JoinRequestId<'a>,
    pub organization: OrganizationId<'a>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub email: &'a str,
    pub email_normalized: &'a str,
    /// `YYYY-MM-DD`, or empty.
    pub birth_date: &'a str,
    pub created_at: i64,
}

pub fn insert(db: &Db, new: NewJoinRequest<'_>) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO join_requests (id, organization_id, first_name, last_name, email, email_normalized, birth_date, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            new.id.into(),
            new.organization.into(),
            new.first_name.into(),
            new.last_name.into(),
            new.email.into(),
            new.email_normalized.into(),
            new.birth_date.into(),
            int(new.created_at),
        ])?)
}

/// The organization's waiting applications, oldest first (at most 200).
pub async fn pending(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<JoinRequestInfo>> {
    Ok(db
        .prepare(
            "SELECT id, first_name, last_name, email, birth_date, created_at FROM join_requests \
             WHERE organization_id = ?1 AND status = 'pending' ORDER BY created_at, rowid LIMIT 200",
        )
        .bind(&[organization.into()])?
        .all()
        .await?
        .results()?)
}

/// One of the organization's waiting applications.
pub async fn find_pending(db: &Db, organization: OrganizationId<'_>, id: JoinRequestId<'_>) -> ApiResult<Option<JoinRequestInfo>> {
    Ok(db
        .prepare(
            "SELECT id, first_name, last_name, email, birth_date, created_at FROM join_requests \
             WHERE id = ?1 AND organization_id = ?2 AND status = 'pending'",
        )
        .bind(&[id.into(), organization.into()])?
        .first(None)
        .await?)
}

pub fn refuse(db: &Db, id: JoinRequestId<'_>, decided_by: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE join_requests SET status = 'refused', decided_by = ?2, decided_at = ?3 WHERE id = ?1 AND status = 'pending'")
        .bind(&[id.into(), decided_by.into(), int(now)])?)
}

pub fn approve(db: &Db, id: JoinRequestId<'_>, decided_by: UserId<'_>, now: i64, user: UserId<'_>) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE join_requests SET status = 'approved', decided_by = ?2, decided_at = ?3, user_id = ?4 WHERE id = ?1 AND status = 'pending'")
        .bind(&[id.into(), decided_by.into(), int(now), user.into()])?)
}
