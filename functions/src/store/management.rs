//! Who manages whom: the organization's management model (`shared` or
//! `owned`), the administrators users are linked to, and whom a deputy
//! stands in for; read by the users, history and audit handlers alike.

use std::collections::HashMap;

use serde::Deserialize;
use steward_domain::authz::ManagementModel;

use crate::d1::Db;
use crate::store::sql::{count, values};
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

/// The organization's management model; `shared` where none is stored.
pub async fn management_model(db: &Db, organization: OrganizationId<'_>) -> ApiResult<ManagementModel> {
    #[derive(Deserialize)]
    struct Model {
        management_model: String,
    }
    let row: Option<Model> = db
        .prepare("SELECT management_model FROM organizations WHERE id = ?1")
        .bind(&[organization.into()])?
        .first(None)
        .await?;
    Ok(row.and_then(|row| ManagementModel::parse(&row.management_model)).unwrap_or_default())
}

/// Whether the organization has this user, not deleted.
pub async fn is_live_user(db: &Db, organization: OrganizationId<'_>, user: UserId<'_>) -> ApiResult<bool> {
    Ok(count(db, "SELECT count(*) AS count FROM users WHERE id = ?1 AND organization_id = ?2 AND status <> 'deleted'", &[user.into(), organization.into()]).await? > 0)
}

/// The administrators each of `user_ids` is linked to, by user.
pub async fn managers(db: &Db, user_ids: &[String]) -> ApiResult<HashMap<String, Vec<String>>> {
    #[derive(Deserialize)]
    struct Link {
        user_id: String,
        admin_id: String,
    }
    let links: Vec<Link> = db.all_for_keys("SELECT user_id, admin_id FROM user_managers WHERE user_id IN ({keys})", &[], user_ids).await?;
    let mut managers: HashMap<String, Vec<String>> = HashMap::new();
    for link in links {
        managers.entry(link.user_id).or_default().push(link.admin_id);
    }
    Ok(managers)
}

/// The administrators `deputy` stands in for.
pub async fn represented(db: &Db, deputy: UserId<'_>) -> ApiResult<Vec<String>> {
    values(db, "SELECT administrator_id AS value FROM deputies WHERE deputy_id = ?1", vec![deputy.into()]).await
}

/// `authz::manages` in SQL for the `owned` model: the user in `user_column`
/// is linked to the administrator bound at `admin_param`, or to someone they
/// stand in for; an empty administrator means everyone is managed.
pub fn managed_by_clause(user_column: &str, admin_param: &str) -> String {
    format!(
        "({admin_param} = '' OR EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = {user_column} \
         AND (m.admin_id = {admin_param} OR m.admin_id IN (SELECT administrator_id FROM deputies WHERE deputy_id = {admin_param}))))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_managed_by_clause_binds_the_administrator_and_their_principals() {
        let clause = managed_by_clause("users.id", "?3");
        assert!(clause.starts_with("(?3 = '' OR EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = users.id "));
        assert!(clause.contains("m.admin_id = ?3 OR m.admin_id IN (SELECT administrator_id FROM deputies WHERE deputy_id = ?3)"));
    }
}
