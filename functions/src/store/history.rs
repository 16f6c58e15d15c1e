//! History events (product.md §4): the statements that record them, to go
//! in the batch of the change, and the reads of a user's history and of the
//! organization's audit log.

use serde::Deserialize;
use steward_domain::api::{AuditEntry, HistoryEntry, Me};
use steward_domain::lifecycle::HistoryAction;
use wasm_bindgen::JsValue;

use crate::crypto::new_uuid;
use crate::d1::{Db, Statement};
use crate::store::management::managed_by_clause;
use crate::store::sql::{int, opt_text};
use crate::error::ApiResult;
use crate::store::ids::{OrganizationId, UserId};

/// Who did it: a signed-in person, the person activating, or the scheduler.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<String>,
    pub name: String,
}

impl Actor {
    pub fn person(id: &str, first_name: &str, last_name: &str) -> Actor {
        Actor { id: Some(id.to_owned()), name: format!("{first_name} {last_name}") }
    }

    /// The signed-in person.
    pub fn of(me: &Me) -> Actor {
        Actor::person(&me.id, &me.first_name, &me.last_name)
    }

    pub fn scheduler() -> Actor {
        Actor { id: None, name: "Steward (scheduled)".to_owned() }
    }
}

pub struct Event<'a> {
    pub organization_id: &'a str,
    pub user_id: &'a str,
    pub at: i64,
    pub actor: &'a Actor,
    pub action: HistoryAction,
    pub details: String,
}

/// The statement that records `event`, to go in the batch of the change.
pub fn record(db: &Db, event: Event<'_>) -> ApiResult<Statement> {
    record_with_id(db, &new_uuid()?, event)
}

/// Records an event under a fixed id, once: the scheduler uses ids made of
/// the subject and the day, so that running twice records once.
pub fn record_with_id(db: &Db, id: &str, event: Event<'_>) -> ApiResult<Statement> {
    Ok(db.prepare(format!("{INSERT_EVENTS} (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")).bind(&event_row(id, event))?)
}

/// The statements that record many events: a few multi-row inserts.
pub fn records(db: &Db, events: Vec<Event<'_>>) -> ApiResult<Vec<Statement>> {
    let rows = events.into_iter().map(|event| Ok(event_row(&new_uuid()?, event))).collect::<ApiResult<Vec<_>>>()?;
    Ok(db.insert_rows(INSERT_EVENTS, rows)?)
}

const INSERT_EVENTS: &str =
    "INSERT OR IGNORE INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) VALUES";

fn event_row(id: &str, event: Event<'_>) -> Vec<JsValue> {
    vec![
        id.into(),
        event.organization_id.into(),
        event.user_id.into(),
        int(event.at),
        opt_text(event.actor.id.as_deref()),
        event.actor.name.as_str().into(),
        event.action.as_str().into(),
        event.action.label().into(),
        event.details.into(),
    ]
}

/// What a history or audit read is narrowed to.
pub struct Filters {
    /// Seconds since the epoch, inclusive.
    pub from: i64,
    /// Seconds since the epoch, exclusive.
    pub to: i64,
    /// Lower-case text searched in the action, its label, the details and
    /// the actor's name; empty: everything.
    pub needle: String,
    /// The action codes whose label in the reader's language contains the
    /// needle, as a JSON array: history stores the English label, and a
    /// Danish reader searches for "aktivering".
    pub actions: String,
}

#[derive(Debug, Deserialize)]
struct HistoryRow {
    at: i64,
    actor_name: String,
    action: String,
    label: String,
    details: String,
}

/// A user's latest `limit` events matching `filters`, newest first.
pub async fn user_history(db: &Db, user: UserId<'_>, filters: &Filters, limit: u32) -> ApiResult<Vec<HistoryEntry>> {
    Ok(db
        .prepare(
            "SELECT at, actor_name, action, label, details FROM history \
             WHERE user_id = ?1 AND at >= ?2 AND at < ?3 \
               AND (?4 = '' OR instr(lower(action || ' ' || label || ' ' || details || ' ' || actor_name), ?4) > 0 \
                    OR action IN (SELECT value FROM json_each(?6))) \
             ORDER BY at DESC, rowid DESC LIMIT ?5",
        )
        .bind(&[
            user.into(),
            int(filters.from),
            int(filters.to),
            filters.needle.as_str().into(),
            int(limit.into()),
            filters.actions.as_str().into(),
        ])?
        .all()
        .await?
        .results::<HistoryRow>()?
        .into_iter()
        .map(|row| HistoryEntry { at: row.at, actor_name: row.actor_name, action: row.action, label: row.label, details: row.details })
        .collect())
}

#[derive(Debug, Deserialize)]
struct AuditRow {
    at: i64,
    actor_name: String,
    action: String,
    label: String,
    subject_id: String,
    subject_name: Option<String>,
    details: String,
}

/// The organization's latest `limit` events matching `filters`, newest
/// first. With `managed_by` (the `owned` model), only the events of the
/// users that administrator manages, and of their own imports.
/// What the audit log calls a subject that has no name to show, in the
/// reader's language.
pub struct SubjectLabels<'a> {
    pub deleted_user: &'a str,
    pub import: &'a str,
}

pub async fn audit(
    db: &Db,
    organization: OrganizationId<'_>,
    filters: &Filters,
    limit: u32,
    managed_by: Option<UserId<'_>>,
    labels: SubjectLabels<'_>,
) -> ApiResult<Vec<AuditEntry>> {
    let visible = format!(
        "({} OR (h.actor_id = ?6 AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = h.user_id)))",
        managed_by_clause("h.user_id", "?6")
    );
    let sql = format!(
        "SELECT h.at, h.actor_name, h.action, h.label, h.user_id AS subject_id, \
                CASE WHEN u.status = 'deleted' THEN ?8 ELSE u.first_name || ' ' || u.last_name END AS subject_name, h.details \
         FROM history h LEFT JOIN users u ON u.id = h.user_id \
         WHERE h.organization_id = ?1 AND h.at >= ?2 AND h.at < ?3 \
           AND (?4 = '' OR instr(lower(h.action || ' ' || h.label || ' ' || h.details || ' ' || h.actor_name), ?4) > 0 \
                OR h.action IN (SELECT value FROM json_each(?7))) \
           AND {visible} \
         ORDER BY h.at DESC, h.rowid DESC LIMIT ?5"
    );
    Ok(db
        .prepare(sql)
        .bind(&[
            organization.into(),
            int(filters.from),
            int(filters.to),
            filters.needle.as_str().into(),
            int(limit.into()),
            managed_by.map_or("", UserId::as_str).into(),
            filters.actions.as_str().into(),
            labels.deleted_user.into(),
        ])?
        .all()
        .await?
        .results::<AuditRow>()?
        .into_iter()
        .map(|row| AuditEntry {
            at: row.at,
            actor_name: row.actor_name,
            action: row.action,
            label: row.label,
            subject_name: row.subject_name.unwrap_or_else(|| labels.import.to_owned()),
            subject_id: row.subject_id,
            details: row.details,
        })
        .collect())
}
