//! Sessions (by the digest of their token) and what signing in and
//! changing a password read and write about an account.

use serde::Deserialize;
use steward_domain::user::Role;

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::{ApiError, ApiResult};
use crate::store::ids::UserId;

/// An active account with the typed e-mail address.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    pub id: String,
    pub password_hash: Option<String>,
}

/// The active accounts with this e-mail address: usually one, but the same
/// person may belong to more than one organization.
pub async fn active_accounts_by_email(db: &Db, email_normalized: &str) -> ApiResult<Vec<Credentials>> {
    let result = db
        .prepare("SELECT id, password_hash FROM users WHERE email_normalized = ?1 AND status = 'active' LIMIT 10")
        .bind(&[email_normalized.into()])?
        .all()
        .await?;
    Ok(result.results()?)
}

/// The statement that starts a session.
pub fn insert_statement(db: &Db, digest: &str, user: UserId<'_>, now: i64, expires_at: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO sessions (token_digest, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[digest.into(), user.into(), int(now), int(expires_at)])?)
}

pub async fn insert(db: &Db, digest: &str, user: UserId<'_>, now: i64, expires_at: i64) -> ApiResult<()> {
    insert_statement(db, digest, user, now, expires_at)?.run().await?;
    Ok(())
}

pub async fn delete(db: &Db, digest: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sessions WHERE token_digest = ?1").bind(&[digest.into()])?.run().await?;
    Ok(())
}

/// Removes a user's expired sessions; run at sign-in so the table does not grow.
pub async fn delete_expired(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<()> {
    db.prepare("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2").bind(&[user.into(), int(now)])?.run().await?;
    Ok(())
}

/// The statement that ends every session of a user.
pub fn delete_all_statement(db: &Db, user: UserId<'_>) -> ApiResult<Statement> {
    Ok(db.prepare("DELETE FROM sessions WHERE user_id = ?1").bind(&[user.into()])?)
}

/// The signed-in user behind a live session.
#[derive(Debug, PartialEq)]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub organization_id: String,
    pub organization_name: String,
    pub platform_operator: bool,
    pub register_administrator: bool,
    /// Their own language, if they chose one.
    pub language: Option<String>,
    pub default_language: String,
}

/// The row as D1 answers it; parsed once into a `SessionUser`.
#[derive(Debug, Deserialize)]
struct SessionRow {
    id: String,
    email: String,
    first_name: String,
    last_name: String,
    role: String,
    organization_id: String,
    organization_name: String,
    platform_operator: i64,
    register_administrator: i64,
    language: Option<String>,
    default_language: String,
}

impl SessionRow {
    fn parse(self) -> ApiResult<SessionUser> {
        let role = Role::parse(&self.role).ok_or_else(|| ApiError::Internal(format!("unknown role {}", self.role)))?;
        Ok(SessionUser {
            id: self.id,
            email: self.email,
            first_name: self.first_name,
            last_name: self.last_name,
            role,
            organization_id: self.organization_id,
            organization_name: self.organization_name,
            platform_operator: self.platform_operator != 0,
            register_administrator: self.register_administrator != 0,
            language: self.language,
            default_language: self.default_language,
        })
    }
}

/// The signed-in user behind a session, if the session is unexpired and the
/// user may still sign in.
pub async fn session_user(db: &Db, digest: &str, now: i64) -> ApiResult<Option<SessionUser>> {
    db.prepare(
        "SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.language, o.default_language, \
                o.id AS organization_id, o.name AS organization_name, \
                EXISTS (SELECT 1 FROM platform_operators p WHERE p.user_id = u.id) AS platform_operator, \
                EXISTS (SELECT 1 FROM register_administrators r WHERE r.user_id = u.id) AS register_administrator \
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.organization_id \
         WHERE s.token_digest = ?1 AND s.expires_at > ?2 AND u.status = 'active'",
    )
    .bind(&[digest.into(), int(now)])?
    .first::<SessionRow>(None)
    .await?
    .map(SessionRow::parse)
    .transpose()
}

/// A user's stored password hash, if they have one.
pub async fn password_hash(db: &Db, user: UserId<'_>) -> ApiResult<Option<String>> {
    #[derive(Deserialize)]
    struct Hash {
        password_hash: Option<String>,
    }
    Ok(db
        .prepare("SELECT password_hash FROM users WHERE id = ?1")
        .bind(&[user.into()])?
        .first::<Hash>(None)
        .await?
        .and_then(|row| row.password_hash))
}

/// The statement that sets a user's password hash.
pub fn set_password_statement(db: &Db, user: UserId<'_>, hash: &str, now: i64) -> ApiResult<Statement> {
    Ok(db.prepare("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1").bind(&[user.into(), hash.into(), int(now)])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: &str, operator: i64) -> SessionRow {
        SessionRow {
            id: "u".into(),
            email: "a@b.example".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            role: role.into(),
            organization_id: "o".into(),
            organization_name: "Org".into(),
            platform_operator: operator,
            register_administrator: 0,
            language: None,
            default_language: "da".into(),
        }
    }

    #[test]
    fn a_session_row_is_parsed_once_into_typed_fields() {
        let user = row("organization_admin", 1).parse().unwrap();
        assert_eq!(user.role, Role::OrganizationAdmin);
        assert!(user.platform_operator);
        assert!(!user.register_administrator);
    }

    #[test]
    fn an_unknown_role_is_an_internal_error() {
        assert!(matches!(row("emperor", 0).parse(), Err(ApiError::Internal(_))));
    }
}
