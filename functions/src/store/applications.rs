//! Applications, their roles, and who holds them: directly
//! (`user_applications`) or through a custom group.

use serde::Deserialize;
use steward_domain::api::ApplicationInfo;

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::ApiResult;
use crate::store::ids::{ApplicationId, OrganizationId, UserId};

#[derive(Deserialize)]
struct ApplicationRow {
    id: String,
    name: String,
    roles: Option<String>,
}

impl ApplicationRow {
    fn info(self) -> ApplicationInfo {
        ApplicationInfo { id: self.id, name: self.name, roles: roles(self.roles) }
    }
}

/// An application's roles from their space-separated concatenation, sorted.
fn roles(concatenated: Option<String>) -> Vec<String> {
    let mut roles: Vec<String> = concatenated.unwrap_or_default().split(' ').filter(|r| !r.is_empty()).map(str::to_owned).collect();
    roles.sort();
    roles
}

/// The organization's applications in name order.
pub async fn catalog(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Vec<ApplicationInfo>> {
    Ok(db
        .prepare(
            "SELECT a.id, a.name, group_concat(r.role, ' ') AS roles FROM applications a \
             LEFT JOIN application_roles r ON r.application_id = a.id \
             WHERE a.organization_id = ?1 GROUP BY a.id ORDER BY a.name",
        )
        .bind(&[organization.into()])?
        .all()
        .await?
        .results::<ApplicationRow>()?
        .into_iter()
        .map(ApplicationRow::info)
        .collect())
}

/// One application of the organization; another organization's is none.
pub async fn find(db: &Db, organization: OrganizationId<'_>, application: ApplicationId<'_>) -> ApiResult<Option<ApplicationInfo>> {
    Ok(db
        .prepare(
            "SELECT a.id, a.name, group_concat(r.role, ' ') AS roles FROM applications a \
             LEFT JOIN application_roles r ON r.application_id = a.id \
             WHERE a.id = ?1 AND a.organization_id = ?2 GROUP BY a.id",
        )
        .bind(&[application.into(), organization.into()])?
        .first::<ApplicationRow>(None)
        .await?
        .map(ApplicationRow::info))
}

/// An application a user holds: directly (`via_group` none) or through the
/// group so named.
#[derive(Deserialize)]
pub struct Held {
    pub application_id: String,
    pub via_group: Option<String>,
}

/// What a user holds: direct grants first, then what their groups give, by group name.
pub async fn held(db: &Db, user: UserId<'_>) -> ApiResult<Vec<Held>> {
    Ok(db
        .prepare(
            "SELECT application_id, NULL AS via_group, 0 AS source FROM user_applications WHERE user_id = ?1 \
             UNION ALL SELECT ga.application_id, g.name AS via_group, 1 AS source FROM group_members gm \
             JOIN user_groups g ON g.id = gm.group_id JOIN group_applications ga ON ga.group_id = g.id WHERE gm.user_id = ?1 \
             ORDER BY source, via_group",
        )
        .bind(&[user.into()])?
        .all()
        .await?
        .results()?)
}

/// One application one of many users holds, directly or through a group.
#[derive(Deserialize)]
pub struct Holding {
    pub user_id: String,
    pub application_id: String,
}

/// What each of `user_ids` holds (as `held`), read at once.
pub async fn holdings(db: &Db, user_ids: &[String]) -> ApiResult<Vec<Holding>> {
    Ok(db
        .all_for_keys(
            "SELECT user_id, application_id FROM user_applications WHERE user_id IN ({keys}) \
             UNION ALL SELECT gm.user_id, ga.application_id FROM group_members gm \
             JOIN user_groups g ON g.id = gm.group_id JOIN group_applications ga ON ga.group_id = g.id WHERE gm.user_id IN ({keys})",
            &[],
            user_ids,
        )
        .await?)
}

/// How many people hold an application directly, and how many groups give it.
#[derive(Deserialize)]
pub struct Uses {
    pub holders: u32,
    pub groups: u32,
}

pub async fn uses(db: &Db, application: ApplicationId<'_>) -> ApiResult<Option<Uses>> {
    Ok(db
        .prepare(
            "SELECT (SELECT count(*) FROM user_applications WHERE application_id = ?1) AS holders, \
                    (SELECT count(*) FROM group_applications WHERE application_id = ?1) AS groups",
        )
        .bind(&[application.into()])?
        .first::<Uses>(None)
        .await?)
}

/// The statements that define an application with its roles.
pub fn define_statements(
    db: &Db,
    application: ApplicationId<'_>,
    organization: OrganizationId<'_>,
    name: &str,
    roles: impl IntoIterator<Item = impl AsRef<str>>,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let mut statements = vec![db
        .prepare("INSERT INTO applications (id, organization_id, name, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[application.into(), organization.into(), name.into(), int(now)])?];
    for role in roles {
        statements.push(
            db.prepare("INSERT INTO application_roles (application_id, role) VALUES (?1, ?2)").bind(&[application.into(), role.as_ref().into()])?,
        );
    }
    Ok(statements)
}

pub async fn delete(db: &Db, application: ApplicationId<'_>) -> ApiResult<()> {
    db.prepare("DELETE FROM applications WHERE id = ?1").bind(&[application.into()])?.run().await?;
    Ok(())
}

/// The statements that grant an application to a user directly, and grant
/// a pending request of theirs for it.
pub fn grant_statements(db: &Db, user: UserId<'_>, application: ApplicationId<'_>, granted_by: UserId<'_>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare("INSERT OR IGNORE INTO user_applications (user_id, application_id, granted_by, granted_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&[user.into(), application.into(), granted_by.into(), int(now)])?,
        db.prepare(
            "UPDATE role_requests SET status = 'granted', decided_by = ?3, decided_at = ?4 \
             WHERE user_id = ?1 AND application_id = ?2 AND status = 'pending'",
        )
        .bind(&[user.into(), application.into(), granted_by.into(), int(now)])?,
    ])
}

/// The statement that takes a direct grant away.
pub fn revoke_statement(db: &Db, user: UserId<'_>, application: ApplicationId<'_>) -> ApiResult<Statement> {
    Ok(db.prepare("DELETE FROM user_applications WHERE user_id = ?1 AND application_id = ?2").bind(&[user.into(), application.into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_split_and_sorted_once() {
        assert_eq!(roles(Some("writer reader".into())), vec!["reader", "writer"]);
        assert_eq!(roles(Some(String::new())), Vec::<String>::new());
        assert_eq!(roles(None), Vec::<String>::new());
    }
}
