//! History: every change to a user is an event (product.md §4). Events carry
//! names, codes and changed field names, never values of secrets or CPR.

use serde::Deserialize;
use steward_domain::api::{HistoryEntry, HistoryPage, HISTORY_LIMIT};
use steward_domain::fields::Date;
use steward_domain::lifecycle::HistoryAction;
use worker::{D1Database, D1PreparedStatement, Env, Request, Response};

use crate::crypto::new_uuid;
use crate::db::{int, opt_text};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, query};
use crate::session::authenticate_administrator;
use crate::users::find_user;

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
pub fn record(db: &D1Database, event: Event<'_>) -> ApiResult<D1PreparedStatement> {
    record_with_id(db, &new_uuid()?, event)
}

/// Records an event under a fixed id, once: the scheduler uses ids made of
/// the subject and the day, so that running twice records once.
pub fn record_with_id(db: &D1Database, id: &str, event: Event<'_>) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT OR IGNORE INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&[
            id.into(),
            event.organization_id.into(),
            event.user_id.into(),
            int(event.at),
            opt_text(event.actor.id.as_deref()),
            event.actor.name.as_str().into(),
            event.action.as_str().into(),
            event.action.label().into(),
            event.details.into(),
        ])?)
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
pub async fn list(req: Request, env: &Env, user_id: &str) -> ApiResult<Response> {
    let me = authenticate_administrator(&req, env).await?;
    let db = env.d1("DB")?;
    find_user(&db, &me.organization.id, user_id).await?;
    let query: HistoryQuery = query(&req)?;
    let from = day_bound(query.from.as_deref(), "from")?.unwrap_or(0);
    let to = day_bound(query.to.as_deref(), "to")?.map_or(i64::MAX / 2, |start| start + 86_400);
    let needle = query.q.unwrap_or_default().trim().to_lowercase();
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
