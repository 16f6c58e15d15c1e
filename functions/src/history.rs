//! History: every change to a user is an event (product.md §4). Events carry
//! names, codes and changed field names, never values of secrets or CPR.

use serde::Deserialize;
use steward_domain::api::{AuditEntry, Me, AuditPage, HistoryEntry, HistoryPage, AUDIT_EXPORT_LIMIT, HISTORY_LIMIT};
use steward_domain::bulk::report::csv_line;
use steward_domain::fields::Date;
use steward_domain::authz::manages_everyone;
use steward_domain::lifecycle::HistoryAction;
use wasm_bindgen::JsValue;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::crypto::new_uuid;
use crate::db::{int, managed_by_clause, opt_text};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, query};
use crate::users::{find_managed_user, management_model};

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryQuery {
    /// `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    to: Option<String>,
    /// Text searched in the action, its label, the details and the actor's name.
    q: Option<String>,
    /// `csv` for the audit log's export.
    format: Option<String>,
}

/// The filters both history and the audit log take, as SQL bounds.
struct Filters {
    from: i64,
    to: i64,
    needle: String,
}

fn filters(query: &HistoryQuery) -> ApiResult<Filters> {
    Ok(Filters {
        from: day_bound(query.from.as_deref(), "from")?.unwrap_or(0),
        to: day_bound(query.to.as_deref(), "to")?.map_or(i64::MAX / 2, |start| start + 86_400),
        needle: query.q.as_deref().unwrap_or_default().trim().to_lowercase(),
    })
}

fn day_bound(text: Option<&str>, name: &str) -> ApiResult<Option<i64>> {
    text.filter(|text| !text.is_empty())
        .map(|text| {
            Date::parse_iso(text)
                .map(Date::unix_seconds)
                .ok_or_else(|| ApiError::InvalidQuery(format!("`{name}` must be a date YYYY-MM-DD")))
        })
        .transpose()
}

/// `GET /api/users/{id}/history?from=&to=&q=`: the latest 200 events.
pub async fn list(req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    find_managed_user(&db, &me, user_id).await?;
    let query: HistoryQuery = query(&req)?;
    if query.format.is_some() {
        return Err(ApiError::InvalidQuery("`format` is for the audit log".into()));
    }
    let Filters { from, to, needle } = filters(&query)?;
    let rows: Vec<HistoryEntry> = db
        .prepare(
            "SELECT at, actor_name, action, label, details FROM history \
             WHERE user_id = ?1 AND at >= ?2 AND at < ?3 \
               AND (?4 = '' OR instr(lower(action || ' ' || label || ' ' || details || ' ' || actor_name), ?4) > 0) \
             ORDER BY at DESC, rowid DESC LIMIT ?5",
        )
        .bind(&[user_id.into(), int(from), int(to), needle.as_str().into(), int(HISTORY_LIMIT.into())])?
        .all()
        .await?
        .results::<HistoryRow>()?
        .into_iter()
        .map(|row| HistoryEntry {
            at: row.at,
            actor_name: row.actor_name,
            action: row.action,
            label: row.label,
            details: row.details,
        })
        .collect();
    json(&HistoryPage { entries: rows })
}

#[derive(Debug, Deserialize)]
struct HistoryRow {
    at: i64,
    actor_name: String,
    action: String,
    label: String,
    details: String,
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

/// `GET /api/audit?from=&to=&q=&format=csv`: the organization's events,
/// newest first: the latest 200, or up to 10,000 as a CSV file.
pub async fn audit(req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let query: HistoryQuery = query(&req)?;
    let csv = match query.format.as_deref() {
        None => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::InvalidQuery("`format` may only be csv".into())),
    };
    let Filters { from, to, needle } = filters(&query)?;
    let limit = if csv { AUDIT_EXPORT_LIMIT } else { HISTORY_LIMIT };
    let db = &ctx.db;
    // In the `owned` model a user administrator sees the events of the users
    // they manage, and their own imports, like every other read.
    let managed_by = if manages_everyone(management_model(&db, &me.organization.id).await?, me.role) { "" } else { me.id.as_str() };
    let visible = format!(
        "({} OR (h.actor_id = ?6 AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = h.user_id)))",
        managed_by_clause("h.user_id", "?6")
    );
    let sql = format!(
            "SELECT h.at, h.actor_name, h.action, h.label, h.user_id AS subject_id, \
                    CASE WHEN u.status = 'deleted' THEN '(deleted user)' ELSE u.first_name || ' ' || u.last_name END AS subject_name, h.details \
             FROM history h LEFT JOIN users u ON u.id = h.user_id \
             WHERE h.organization_id = ?1 AND h.at >= ?2 AND h.at < ?3 \
               AND (?4 = '' OR instr(lower(h.action || ' ' || h.label || ' ' || h.details || ' ' || h.actor_name), ?4) > 0) \
               AND {visible} \
             ORDER BY h.at DESC, h.rowid DESC LIMIT ?5"
    );
    let entries: Vec<AuditEntry> = db
        .prepare(sql)
        .bind(&[me.organization.id.as_str().into(), int(from), int(to), needle.as_str().into(), int(limit.into()), managed_by.into()])?
        .all()
        .await?
        .results::<AuditRow>()?
        .into_iter()
        .map(|row| AuditEntry {
            at: row.at,
            actor_name: row.actor_name,
            action: row.action,
            label: row.label,
            subject_name: row.subject_name.unwrap_or_else(|| "(import)".into()),
            subject_id: row.subject_id,
            details: row.details,
        })
        .collect();
    if !csv {
        return json(&AuditPage { entries });
    }
    let mut text = String::from("\u{feff}");
    text.push_str(&csv_line(&["time (UTC)", "actor", "action", "subject", "subject id", "details"]));
    for entry in &entries {
        let at = Date::from_unix_seconds(entry.at);
        let seconds = entry.at.rem_euclid(86_400);
        let time = format!("{at} {:02}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60);
        text.push_str(&csv_line(&[&time, &entry.actor_name, &entry.label, &entry.subject_name, &entry.subject_id, &entry.details]));
    }
    let response = Response::ok(text)?;
    response.headers().set("content-type", "text/csv; charset=utf-8")?;
    response.headers().set("content-disposition", "attachment; filename=\"steward-audit-log.csv\"")?;
    Ok(response)
}
