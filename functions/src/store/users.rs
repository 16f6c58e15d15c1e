//! Users' rows: read once into a typed `UserRecord`, the organization's
//! settings and registers that saving a user checks, and the statements
//! that create, edit, deactivate, reactivate, re-role and delete a user.

use std::collections::HashSet;

use serde::Deserialize;
use steward_domain::fields::IdentityMeans;
use steward_domain::lang::Lang;
use steward_domain::user::{Role, UserStatus};
use steward_domain::user_form::UserFields;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::store::sql::{flag, int, opt_text, stored_flag, values};
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

/// A user's stored record, parsed once as D1 answers it: role and status
/// into their enums (an unknown one is an error), SQLite's 0/1 into bools.
#[derive(Debug, PartialEq, Deserialize)]
pub struct UserRecord {
    pub id: String,
    pub organization_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub cpr_sealed: Option<String>,
    pub cpr_masked: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub p_number: Option<String>,
    pub se_number: Option<String>,
    pub identity_means: String,
    #[serde(deserialize_with = "stored_flag")]
    pub anonymous: bool,
    #[serde(deserialize_with = "stored_flag")]
    pub may_sign: bool,
    #[serde(deserialize_with = "stored_flag")]
    pub may_seal: bool,
    pub scope: String,
    pub free1: String,
    pub free2: String,
    pub free3: String,
    pub role: Role,
    pub status: UserStatus,
    pub language: Option<String>,
    pub registration_deadline: Option<i64>,
    pub deactivate_from: Option<String>,
    pub deactivate_until: Option<String>,
    #[serde(deserialize_with = "stored_flag")]
    pub code_locked: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const RECORD_COLUMNS: &str = "id, organization_id, first_name, last_name, email, cpr_sealed, cpr_masked, birth_date, phone, \
     p_number, se_number, identity_means, anonymous, may_sign, may_seal, scope, free1, free2, free3, role, status, language, \
     registration_deadline, deactivate_from, deactivate_until, created_at, updated_at, \
     EXISTS (SELECT 1 FROM activation_secrets s WHERE s.user_id = users.id AND s.consumed_at IS NULL AND s.locked_at IS NOT NULL) AS code_locked";

/// A user of the organization that is not deleted, if there is one.
pub async fn find(db: &Db, organization: OrganizationId<'_>, user: UserId<'_>) -> ApiResult<Option<UserRecord>> {
    Ok(db.prepare(format!("SELECT {RECORD_COLUMNS} FROM users WHERE id = ?1 AND organization_id = ?2 AND status <> 'deleted'"))
        .bind(&[user.into(), organization.into()])?
        .first::<UserRecord>(None)
        .await?)
}

/// The organization's live users among `user_ids`, read at once.
pub async fn find_many(db: &Db, organization: OrganizationId<'_>, user_ids: &[String]) -> ApiResult<Vec<UserRecord>> {
    Ok(db.all_for_keys::<UserRecord>(
        &format!("SELECT {RECORD_COLUMNS} FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id IN ({{keys}})"),
        &[organization.into()],
        user_ids,
    )
    .await?)
}

/// The organization's settings that users' handlers read.
#[derive(Debug, Deserialize)]
pub struct OrganizationSettings {
    pub activation_link_days: i64,
    pub registration_period_days: i64,
    pub default_language: String,
    pub identity_means: String,
}

pub async fn organization_settings(db: &Db, organization: OrganizationId<'_>) -> ApiResult<Option<OrganizationSettings>> {
    Ok(db
        .prepare("SELECT activation_link_days, registration_period_days, default_language, identity_means FROM organizations WHERE id = ?1")
        .bind(&[organization.into()])?
        .first(None)
        .await?)
}

/// A column that no two live users of an organization share.
#[derive(Clone, Copy, Debug)]
pub enum Unique {
    Email,
    CprLookup,
}

impl Unique {
    fn column(self) -> &'static str {
        match self {
            Unique::Email => "email_normalized",
            Unique::CprLookup => "cpr_lookup",
        }
    }
}

/// D1 binds at most 100 parameters per statement.
const IN_LIST: usize = 90;

/// Which of `keys` are in `column` for another live user of the organization
/// than `except` (none: any user).
pub async fn taken(db: &Db, organization: OrganizationId<'_>, column: Unique, keys: &[String], except: Option<UserId<'_>>) -> ApiResult<HashSet<String>> {
    let column = column.column();
    let mut found = HashSet::new();
    for group in keys.chunks(IN_LIST) {
        let placeholders: Vec<String> = (0..group.len()).map(|i| format!("?{}", i + 3)).collect();
        let sql = format!(
            "SELECT {column} AS value FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id <> ?2 AND {column} IN ({})",
            placeholders.join(", ")
        );
        let mut binds: Vec<JsValue> = vec![organization.into(), except.map_or("", UserId::as_str).into()];
        binds.extend(group.iter().map(|key| JsValue::from(key.as_str())));
        found.extend(values::<Vec<String>>(db, &sql, binds).await?);
    }
    Ok(found)
}

/// The organization's production unit (P) numbers.
pub async fn p_numbers(db: &Db, organization: OrganizationId<'_>) -> ApiResult<HashSet<String>> {
    values(db, "SELECT p_number AS value FROM production_units WHERE organization_id = ?1", vec![organization.into()]).await
}

/// The organization's SE numbers.
pub async fn se_numbers(db: &Db, organization: OrganizationId<'_>) -> ApiResult<HashSet<String>> {
    values(db, "SELECT se_number AS value FROM se_numbers WHERE organization_id = ?1", vec![organization.into()]).await
}

/// A CPR number as stored: sealed, its lookup and its masked form.
pub struct CprColumns<'a> {
    pub sealed: Option<&'a str>,
    pub lookup: Option<&'a str>,
    pub masked: Option<&'a str>,
}

/// The statement that creates a user in status `created`.
#[allow(clippy::too_many_arguments)]
pub fn insert_statement(
    db: &Db,
    organization: OrganizationId<'_>,
    user: UserId<'_>,
    fields: &UserFields,
    cpr: CprColumns<'_>,
    search_text: &str,
    created_by: Option<UserId<'_>>,
    now: i64,
) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO users (id, organization_id, first_name, last_name, email, email_normalized, role, status, \
               cpr_sealed, cpr_lookup, cpr_masked, birth_date, phone, p_number, se_number, identity_means, anonymous, \
               may_sign, may_seal, scope, free1, free2, free3, search_text, created_by, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'user', 'created', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
               ?19, ?20, ?21, ?22, ?23, ?24, ?24)",
        )
        .bind(&[
            user.into(),
            organization.into(),
            fields.first_name.as_str().into(),
            fields.last_name.as_str().into(),
            fields.email.as_str().into(),
            fields.email.normalized().into(),
            opt_text(cpr.sealed),
            opt_text(cpr.lookup),
            opt_text(cpr.masked),
            opt_text(fields.birth_date.map(|d| d.to_string()).as_deref()),
            opt_text(fields.phone.as_deref()),
            opt_text(fields.p_number.as_deref()),
            opt_text(fields.se_number.as_deref()),
            IdentityMeans::list_text(&fields.identity_means).into(),
            flag(fields.anonymous),
            flag(fields.may_sign),
            flag(fields.may_seal),
            fields.scope.as_str().into(),
            fields.free[0].as_str().into(),
            fields.free[1].as_str().into(),
            fields.free[2].as_str().into(),
            search_text.into(),
            opt_text(created_by.map(UserId::as_str)),
            int(now),
        ])?)
}

/// The statements that make the creator, and those the creator stands in
/// for, managers of the user.
pub fn creator_manages_statements(db: &Db, user: UserId<'_>, creator: UserId<'_>) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) VALUES (?1, ?2)").bind(&[user.into(), creator.into()])?,
        db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) SELECT ?1, administrator_id FROM deputies WHERE deputy_id = ?2")
            .bind(&[user.into(), creator.into()])?,
    ])
}

/// The statement that stores the edited form of a user; a CPR lookup left
/// out (none, with a sealed CPR kept) stays as it is.
pub fn update_statement(db: &Db, user: UserId<'_>, fields: &UserFields, cpr: CprColumns<'_>, search_text: &str, now: i64) -> ApiResult<Statement> {
    let birth_date = fields.birth_date.map(|d| d.to_string());
    let identity_means = IdentityMeans::list_text(&fields.identity_means);
    Ok(db
        .prepare(
            "UPDATE users SET first_name = ?2, last_name = ?3, email = ?4, email_normalized = ?5, cpr_sealed = ?6, \
               cpr_lookup = CASE WHEN ?7 IS NULL AND ?6 IS NOT NULL THEN cpr_lookup ELSE ?7 END, cpr_masked = ?8, \
               birth_date = ?9, phone = ?10, p_number = ?11, se_number = ?12, identity_means = ?13, may_sign = ?14, \
               may_seal = ?15, scope = ?16, free1 = ?17, free2 = ?18, free3 = ?19, search_text = ?20, updated_at = ?21 \
             WHERE id = ?1",
        )
        .bind(&[
            user.into(),
            fields.first_name.as_str().into(),
            fields.last_name.as_str().into(),
            fields.email.as_str().into(),
            fields.email.normalized().into(),
            opt_text(cpr.sealed),
            opt_text(cpr.lookup),
            opt_text(cpr.masked),
            opt_text(birth_date.as_deref()),
            opt_text(fields.phone.as_deref()),
            opt_text(fields.p_number.as_deref()),
            opt_text(fields.se_number.as_deref()),
            identity_means.as_str().into(),
            flag(fields.may_sign),
            flag(fields.may_seal),
            fields.scope.as_str().into(),
            fields.free[0].as_str().into(),
            fields.free[1].as_str().into(),
            fields.free[2].as_str().into(),
            search_text.into(),
            int(now),
        ])?)
}

/// A pending user back to `created`: live links and codes stop working and
/// queued activation e-mails and reminders are not sent.
pub fn withdraw_activation_statements(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare("UPDATE users SET status = 'created', registration_deadline = NULL WHERE id = ?1 AND status = 'pending'")
            .bind(&[user.into()])?,
        crate::store::activation::consume_all_statement(db, user, now)?,
        db.prepare(
            "UPDATE outbox SET status = 'cancelled', payload = NULL, recipient = '' WHERE user_id = ?1 AND status = 'pending' \
             AND kind IN ('activation_link', 'activation_code', 'registration_reminder')",
        )
        .bind(&[user.into()])?,
    ])
}

/// The statements that erase a user's personal data, leaving the tombstone:
/// sessions end, secrets are consumed and queued e-mails cancelled.
pub fn delete_statements(db: &Db, user: UserId<'_>, deleted_by: Option<UserId<'_>>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare(
            "UPDATE users SET status = 'deleted', first_name = '', last_name = '', email = '', email_normalized = '', \
               password_hash = NULL, cpr_sealed = NULL, cpr_lookup = NULL, cpr_masked = NULL, birth_date = NULL, phone = NULL, \
               p_number = NULL, se_number = NULL, scope = '', free1 = '', free2 = '', free3 = '', search_text = '', \
               registration_deadline = NULL, deactivate_from = NULL, deactivate_until = NULL, language = NULL, \
               deleted_at = ?2, deleted_by = ?3, updated_at = ?2 WHERE id = ?1",
        )
        .bind(&[user.into(), int(now), opt_text(deleted_by.map(UserId::as_str))])?,
        crate::store::sessions::delete_all_statement(db, user)?,
        crate::store::activation::consume_all_statement(db, user, now)?,
        db.prepare("UPDATE outbox SET status = 'cancelled', payload = NULL, recipient = '' WHERE user_id = ?1 AND status = 'pending'")
            .bind(&[user.into()])?,
    ])
}

/// The statement that deactivates a user now, until a day or until reactivated.
pub fn deactivate_statement(db: &Db, user: UserId<'_>, until: Option<&str>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE users SET status = 'deactivated', deactivate_from = NULL, deactivate_until = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(&[user.into(), opt_text(until), int(now)])?)
}

/// The statement that schedules a user's deactivation from a day.
pub fn schedule_deactivation_statement(db: &Db, user: UserId<'_>, from: &str, until: Option<&str>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE users SET deactivate_from = ?2, deactivate_until = ?3, updated_at = ?4 WHERE id = ?1")
        .bind(&[user.into(), from.into(), opt_text(until), int(now)])?)
}

/// The statement that reactivates a user, dropping any deactivation period.
pub fn reactivate_statement(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("UPDATE users SET status = 'active', deactivate_from = NULL, deactivate_until = NULL, updated_at = ?2 WHERE id = ?1")
        .bind(&[user.into(), int(now)])?)
}

/// The statement that gives a user a role.
pub fn set_role_statement(db: &Db, user: UserId<'_>, role: Role, now: i64) -> ApiResult<Statement> {
    Ok(db.prepare("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1").bind(&[user.into(), role.as_str().into(), int(now)])?)
}

/// Stores the language a person chose for themself: what Steward's
/// e-mails and notifications to them are written in from now on.
pub async fn set_language(db: &Db, user: UserId<'_>, lang: Lang) -> ApiResult<()> {
    // Only a live account keeps a language: a deletion racing this leaves no trace of it.
    db.prepare("UPDATE users SET language = ?2 WHERE id = ?1 AND status <> 'deleted'").bind(&[user.into(), lang.as_str().into()])?.run().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    /// A stored row as D1 answers it, read as the store reads it; a value
    /// that does not deserialize is an internal error, as on the D1 path.
    fn parsed(role: &str, status: &str) -> ApiResult<UserRecord> {
        serde_json::from_value(serde_json::json!({
            "id": "u", "organization_id": "o", "first_name": "A", "last_name": "B", "email": "a@b.example",
            "cpr_sealed": null, "cpr_masked": null, "birth_date": null, "phone": null, "p_number": null, "se_number": null,
            "identity_means": "", "anonymous": 1, "may_sign": 0, "may_seal": 1, "scope": "", "free1": "", "free2": "", "free3": "",
            "role": role, "status": status, "language": null, "registration_deadline": null, "deactivate_from": null,
            "deactivate_until": null, "code_locked": 1, "created_at": 1, "updated_at": 2
        }))
        .map_err(|error| ApiError::Internal(error.to_string()))
    }

    #[test]
    fn a_user_row_is_parsed_once_into_typed_fields() {
        let user = parsed("user_admin", "deactivated").unwrap();
        assert_eq!(user.role, Role::UserAdmin);
        assert_eq!(user.status, UserStatus::Deactivated);
        assert!(user.anonymous);
        assert!(!user.may_sign);
        assert!(user.may_seal);
        assert!(user.code_locked);
    }

    #[test]
    fn every_stored_status_and_role_parses() {
        for status in ["created", "pending", "active", "deactivated"] {
            assert_eq!(parsed("user", status).unwrap().status.as_str(), status);
        }
        for role in ["user", "user_admin", "organization_admin"] {
            assert_eq!(parsed(role, "active").unwrap().role.as_str(), role);
        }
    }

    #[test]
    fn an_unknown_role_or_status_is_an_internal_error() {
        assert!(matches!(parsed("emperor", "active"), Err(ApiError::Internal(_))));
        assert!(matches!(parsed("user", "asleep"), Err(ApiError::Internal(_))));
    }
}
