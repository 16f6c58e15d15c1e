//! The expectations a batch starts with, each an insert into `expectations`
//! that a CHECK refuses when what the handler decided on no longer holds,
//! and `commit`, which runs a batch and answers a refused one.

use steward_domain::messages::Message;
use wasm_bindgen::JsValue;

use crate::d1::{Db, Statement};
use crate::error::{ApiError, ApiResult};
use crate::store::ids::{ActivationSecretId, ImportId, JoinRequestId, OrganizationId, RequestId, UserId};

/// Runs statements as one D1 batch: all of them or none. A batch whose
/// expectation (`expect_status`, `expect_another_organization_admin`) no
/// longer holds is rolled back and answered as a conflict; one under
/// someone else's import id (`expect_import_owner`) as not found.
pub async fn commit(db: &Db, statements: Vec<Statement>) -> ApiResult<()> {
    match db.batch(statements).await {
        Ok(_) => Ok(()),
        Err(error) => {
            let detail = error.to_string();
            Err(if detail.contains("changed_meanwhile") {
                ApiError::Conflict(Message::ChangedMeanwhile.into())
            } else if detail.contains("import_of_another") {
                // Another organization's or administrator's import id: as if it did not exist.
                ApiError::NotFound
            } else if detail.contains("last_organization_admin") {
                ApiError::Conflict(Message::LastOrganizationAdministrator.into())
            } else {
                ApiError::Internal(detail)
            })
        }
    }
}

/// The first statement of a batch decided on a user in `status`: rolls the
/// batch back if the user's status changed meanwhile (a racing delete must
/// not have personal data written back into its tombstone).
pub fn expect_status(db: &Db, user: UserId<'_>, status: &str) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = ?1 AND status = ?2)")
        .bind(&[user.into(), status.into()])?)
}

/// What waits for an administrator's decision.
pub enum Pending<'a> {
    RoleRequest(RequestId<'a>),
    JoinRequest(JoinRequestId<'a>),
}

/// Rolls the batch back unless the request is still waiting for a
/// decision: of two administrators deciding it at once, one decides.
pub fn expect_pending(db: &Db, pending: Pending<'_>) -> ApiResult<Statement> {
    let (sql, id) = match pending {
        Pending::RoleRequest(id) => (
            "INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM role_requests WHERE id = ?1 AND status = 'pending')",
            JsValue::from(id),
        ),
        Pending::JoinRequest(id) => (
            "INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM join_requests WHERE id = ?1 AND status = 'pending')",
            JsValue::from(id),
        ),
    };
    Ok(db.prepare(sql).bind(&[id])?)
}

/// Rolls the batch back unless the activation secret is still unused: of
/// two activations racing with the same link or code, one wins.
pub fn expect_live_secret(db: &Db, secret: ActivationSecretId<'_>) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT INTO expectations (unchanged) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM activation_secrets WHERE id = ?1 AND consumed_at IS NULL)")
        .bind(&[secret.into()])?)
}

/// `expect_status` for many users at once: (user id, status) pairs, as
/// many to a statement as D1's bound parameters allow.
pub fn expect_statuses(db: &Db, expected: &[(UserId<'_>, &str)]) -> ApiResult<Vec<Statement>> {
    expected
        .chunks(crate::d1::MAX_BOUND_PARAMETERS / 2)
        .map(|group| {
            let pairs: Vec<String> = (0..group.len()).map(|i| format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2)).collect();
            let binds: Vec<JsValue> = group.iter().flat_map(|(id, status)| [JsValue::from(*id), JsValue::from(*status)]).collect();
            Ok(db
                .prepare(format!(
                    "INSERT INTO expectations (unchanged) SELECT 0 FROM (VALUES {}) AS expected \
                     WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = expected.column1 AND status = expected.column2)",
                    pairs.join(", ")
                ))
                .bind(&binds)?)
        })
        .collect()
}

/// Rolls the batch back unless the import `import_id` is the one this
/// organization's administrator started (its first chunk's batch made its
/// row); answered 404.
pub fn expect_import_owner(db: &Db, import: ImportId<'_>, organization: OrganizationId<'_>, actor: UserId<'_>) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO expectations (import_owner) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM imports \
             WHERE id = ?1 AND organization_id = ?2 AND actor_id = ?3)",
        )
        .bind(&[import.into(), organization.into(), actor.into()])?)
}

/// Rolls the batch back unless the organization keeps an active
/// organization administrator other than `user_id`; decided inside the
/// batch, so that two administrators removing each other at once cannot
/// both succeed.
pub fn expect_another_organization_admin(db: &Db, organization: OrganizationId<'_>, user: UserId<'_>) -> ApiResult<Statement> {
    Ok(db
        .prepare(
            "INSERT INTO expectations (admin_remains) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM users \
             WHERE organization_id = ?1 AND id <> ?2 AND role = 'organization_admin' AND status = 'active')",
        )
        .bind(&[organization.into(), user.into()])?)
}
