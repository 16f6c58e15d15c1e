//! Deactivation periods: the users whose period starts or ends today, and
//! the statements that start, end or drop one.

use serde::Deserialize;
use steward_domain::user::{Role, UserStatus};

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::{ApiError, ApiResult};
use crate::store::ids::UserId;

/// A user whose deactivation period starts or ends on `day` or before.
#[derive(Debug, PartialEq)]
pub struct PeriodUser {
    pub id: String,
    pub organization_id: String,
    pub role: Role,
    pub status: UserStatus,
    pub day: String,
}

/// The row as D1 answers it; parsed once into a `PeriodUser`.
#[derive(Debug, Deserialize)]
struct PeriodRow {
    id: String,
    organization_id: String,
    role: String,
    status: String,
    day: String,
}

impl PeriodRow {
    fn parse(self) -> ApiResult<PeriodUser> {
        let role = Role::parse(&self.role).ok_or_else(|| ApiError::Internal(format!("unknown role {}", self.role)))?;
        let status = UserStatus::parse(&self.status).ok_or_else(|| ApiError::Internal(format!("unknown status {}", self.status)))?;
        Ok(PeriodUser { id: self.id, organization_id: self.organization_id, role, status, day: self.day })
    }
}

async fn read(db: &Db, sql: &str, today: &str, limit: u32) -> ApiResult<Vec<PeriodUser>> {
    let rows: Vec<PeriodRow> = db.prepare(sql).bind(&[today.into(), int(limit.into())])?.all().await?.results()?;
    rows.into_iter().map(PeriodRow::parse).collect()
}

/// At most `limit` users whose period starts on `today` (a date) or before.
pub async fn starting(db: &Db, today: &str, limit: u32) -> ApiResult<Vec<PeriodUser>> {
    read(db, "SELECT id, organization_id, role, status, deactivate_from AS day FROM users WHERE deactivate_from <= ?1 LIMIT ?2", today, limit).await
}

/// At most `limit` users whose period, already started, ends on `today` or before.
pub async fn ending(db: &Db, today: &str, limit: u32) -> ApiResult<Vec<PeriodUser>> {
    read(
        db,
        "SELECT id, organization_id, role, status, deactivate_until AS day FROM users \
         WHERE deactivate_until <= ?1 AND deactivate_from IS NULL LIMIT ?2",
        today,
        limit,
    )
    .await
}

/// Starts the period: an active user is deactivated.
pub fn start_statement(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE users SET deactivate_from = NULL, status = CASE WHEN status = 'active' THEN 'deactivated' ELSE status END, updated_at = ?2 WHERE id = ?1")
        .bind(&[user.into(), int(now)])?)
}

/// Ends the period: a deactivated user is active again.
pub fn end_statement(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE users SET deactivate_until = NULL, status = CASE WHEN status = 'deactivated' THEN 'active' ELSE status END, updated_at = ?2 WHERE id = ?1")
        .bind(&[user.into(), int(now)])?)
}

/// Drops the period altogether (its start and its end).
pub async fn drop(db: &Db, user: UserId<'_>) -> ApiResult<()> {
    db.prepare("UPDATE users SET deactivate_from = NULL, deactivate_until = NULL WHERE id = ?1").bind(&[user.into()])?.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: &str, status: &str) -> PeriodRow {
        PeriodRow { id: "u".into(), organization_id: "o".into(), role: role.into(), status: status.into(), day: "2026-12-02".into() }
    }

    #[test]
    fn a_period_row_is_parsed_once_into_a_role_and_a_status() {
        let user = row("organization_admin", "deactivated").parse().unwrap();
        assert_eq!((user.role, user.status, user.day.as_str()), (Role::OrganizationAdmin, UserStatus::Deactivated, "2026-12-02"));
        assert!(matches!(row("owner", "active").parse(), Err(ApiError::Internal(_))));
        assert!(matches!(row("user", "asleep").parse(), Err(ApiError::Internal(_))));
    }
}
