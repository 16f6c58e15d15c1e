//! Pending registrations the cron run acts on: those due for a reminder or
//! their lapse, and the statements of each.

use serde::Deserialize;

use crate::d1::{Db, Statement};
use crate::store::sql::int;
use crate::error::ApiResult;
use crate::store::ids::UserId;

/// A pending user with a reminder or the lapse due, and what telling them needs.
#[derive(Debug, PartialEq)]
pub struct PendingUser {
    pub id: String,
    pub organization_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub language: Option<String>,
    pub default_language: String,
    pub registration_deadline: i64,
    pub reminders_sent: i64,
    pub has_cpr: bool,
    pub activation_link_days: i64,
}

/// The row as D1 answers it; parsed once into a `PendingUser`.
#[derive(Debug, Deserialize)]
struct PendingRow {
    id: String,
    organization_id: String,
    first_name: String,
    last_name: String,
    email: String,
    language: Option<String>,
    default_language: String,
    registration_deadline: i64,
    reminders_sent: i64,
    has_cpr: i64,
    activation_link_days: i64,
}

impl PendingRow {
    fn parse(self) -> PendingUser {
        PendingUser {
            id: self.id,
            organization_id: self.organization_id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            language: self.language,
            default_language: self.default_language,
            registration_deadline: self.registration_deadline,
            reminders_sent: self.reminders_sent,
            has_cpr: self.has_cpr != 0,
            activation_link_days: self.activation_link_days,
        }
    }
}

/// At most `limit` pending users, earliest deadline first, with something
/// due at `now`: the lapse (deadline passed), the first reminder (deadline
/// before `first_reminder_by`) not yet sent, or the second (deadline before
/// `last_reminder_by`) not yet sent.
pub async fn due(db: &Db, now: i64, first_reminder_by: i64, last_reminder_by: i64, limit: u32) -> ApiResult<Vec<PendingUser>> {
    let rows: Vec<PendingRow> = db
        .prepare(
            "SELECT u.id, u.organization_id, u.first_name, u.last_name, u.email, u.language, o.default_language, \
               u.registration_deadline, u.reminders_sent, u.cpr_sealed IS NOT NULL AS has_cpr, o.activation_link_days \
             FROM users u JOIN organizations o ON o.id = u.organization_id \
             WHERE u.status = 'pending' AND u.registration_deadline <= ?1 \
               AND (u.registration_deadline <= ?3 OR u.reminders_sent < 1 OR (u.reminders_sent < 2 AND u.registration_deadline <= ?4)) \
             ORDER BY u.registration_deadline LIMIT ?2",
        )
        .bind(&[int(first_reminder_by), int(limit.into()), int(now), int(last_reminder_by)])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(PendingRow::parse).collect())
}

/// Records reminder `stage` as sent, unless a run already sent it.
pub fn reminder_sent_statement(db: &Db, user: UserId<'_>, stage: i64) -> ApiResult<Statement> {
    Ok(db.prepare("UPDATE users SET reminders_sent = ?2 WHERE id = ?1 AND reminders_sent < ?2").bind(&[user.into(), int(stage)])?)
}

/// A lapse: the user, if still pending, lapses, and their unused
/// activation secrets are consumed.
pub fn lapse_statements(db: &Db, user: UserId<'_>, now: i64) -> ApiResult<[Statement; 2]> {
    Ok([
        db.prepare("UPDATE users SET status = 'lapsed', updated_at = ?2 WHERE id = ?1 AND status = 'pending'")
            .bind(&[user.into(), int(now)])?,
        db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL")
            .bind(&[user.into(), int(now)])?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whether_a_cpr_is_sealed_is_parsed_once_into_a_flag() {
        let row = |has_cpr| PendingRow {
            id: "u".into(),
            organization_id: "o".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            email: "a@b.dk".into(),
            language: None,
            default_language: "da".into(),
            registration_deadline: 10,
            reminders_sent: 1,
            has_cpr,
            activation_link_days: 7,
        };
        assert!(row(1).parse().has_cpr);
        assert!(!row(0).parse().has_cpr);
    }
}
