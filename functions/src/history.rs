//! History: every change to a user is an event (product.md §4). Events carry
//! names, codes and changed field names, never values of secrets or CPR.
//! The events are recorded and read by `store::history`; this module
//! answers the history and audit-log routes.

use serde::Deserialize;
use steward_domain::messages::{Arg, AuditColumn, Message, Text};
use steward_domain::api::{AuditEntry, AuditPage, HistoryPage, Me, AUDIT_EXPORT_LIMIT, HISTORY_LIMIT};
use steward_domain::authz::{manages, manages_everyone};
use steward_domain::bulk::report::csv_line;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use worker::{Request, Response};
use crate::context::Ctx;
use crate::d1::Db;
use crate::guard::Admin;

use crate::error::{ApiError, ApiResult};
use crate::http::{json, query};
use crate::store::history::{self as events, Filters, SubjectLabels};
use crate::store::ids::{OrganizationId, UserId};
use crate::store::management;

pub use crate::store::history::{record, record_with_id, records, Actor, Event};

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

/// The filters both history and the audit log take, as SQL bounds; the
/// text also finds the actions whose label in `lang` contains it.
fn filters(query: &HistoryQuery, lang: Lang) -> ApiResult<Filters> {
    let needle = query.q.as_deref().unwrap_or_default().trim().to_lowercase();
    let actions: Vec<&str> = HistoryAction::ALL
        .into_iter()
        .filter(|action| !needle.is_empty() && Message::History(*action).text(lang).to_lowercase().contains(&needle))
        .map(HistoryAction::as_str)
        .collect();
    Ok(Filters {
        from: day_bound(query.from.as_deref(), "from")?.unwrap_or(0),
        to: day_bound(query.to.as_deref(), "to")?.map_or(i64::MAX / 2, |start| start + 86_400),
        actions: serde_json::to_string(&actions).map_err(|error| ApiError::Internal(error.to_string()))?,
        needle,
    })
}

/// An event's label in `lang`: history stores the English one beside the
/// code, and the code decides.
fn label_in(action: &str, stored: String, lang: Lang) -> String {
    HistoryAction::parse(action).map_or(stored, |action| Message::History(action).text(lang))
}

fn day_bound(text: Option<&str>, name: &str) -> ApiResult<Option<i64>> {
    text.filter(|text| !text.is_empty())
        .map(|text| {
            Date::parse_iso(text)
                .map(Date::unix_seconds)
                .ok_or_else(|| ApiError::InvalidQuery(Text::new(Message::QueryDate, vec![Arg::plain(name)]).into()))
        })
        .transpose()
}

/// The user is the organization's, not deleted, and managed by the
/// signed-in administrator (`authz::manages`); anything else is 404, like
/// another organization's user. The same reads as `users::find_managed_user`.
async fn ensure_managed(db: &Db, me: &Me, user_id: &str) -> ApiResult<()> {
    let organization = OrganizationId(&me.organization.id);
    if !management::is_live_user(db, organization, UserId(user_id)).await? {
        return Err(ApiError::NotFound);
    }
    let model = management::management_model(db, organization).await?;
    let (managers, represented) = if manages_everyone(model, me.role) {
        Default::default()
    } else {
        (management::managers(db, &[user_id.to_owned()]).await?, management::represented(db, UserId(&me.id)).await?)
    };
    if manages(model, me.role, &me.id, managers.get(user_id).map_or(&[][..], Vec::as_slice), &represented) {
        Ok(())
    } else {
        worker::console_log!("refused: user {} does not manage user {user_id}", me.id);
        Err(ApiError::NotFound)
    }
}

/// `GET /api/users/{id}/history?from=&to=&q=`: the latest 200 events.
pub async fn list(req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    ensure_managed(db, &me, user_id).await?;
    let query: HistoryQuery = query(&req)?;
    if query.format.is_some() {
        return Err(ApiError::InvalidQuery(Message::QueryFormatAuditOnly.into()));
    }
    let mut entries = events::user_history(db, UserId(user_id), &filters(&query, ctx.lang)?, HISTORY_LIMIT).await?;
    for entry in &mut entries {
        entry.label = label_in(&entry.action, std::mem::take(&mut entry.label), ctx.lang);
    }
    json(&HistoryPage { entries })
}

/// `GET /api/audit?from=&to=&q=&format=csv`: the organization's events,
/// newest first: the latest 200, or up to 10,000 as a CSV file.
pub async fn audit(req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let query: HistoryQuery = query(&req)?;
    let csv = match query.format.as_deref() {
        None => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::InvalidQuery(Message::QueryFormatCsvOnly.into())),
    };
    let lang = ctx.lang;
    let filters = filters(&query, lang)?;
    let limit = if csv { AUDIT_EXPORT_LIMIT } else { HISTORY_LIMIT };
    let db = &ctx.db;
    let organization = OrganizationId(&me.organization.id);
    // In the `owned` model a user administrator sees the events of the users
    // they manage, and their own imports, like every other read.
    let managed_by = (!manages_everyone(management::management_model(db, organization).await?, me.role)).then_some(UserId(&me.id));
    let (deleted_user, import) = (Message::DeletedUser.text(lang), Message::ImportSubject.text(lang));
    let labels = SubjectLabels { deleted_user: &deleted_user, import: &import };
    let mut entries: Vec<AuditEntry> = events::audit(db, organization, &filters, limit, managed_by, labels).await?;
    for entry in &mut entries {
        entry.label = label_in(&entry.action, std::mem::take(&mut entry.label), lang);
    }
    if !csv {
        return json(&AuditPage { entries });
    }
    let mut text = String::from("\u{feff}");
    let header = AuditColumn::ALL.map(|column| Message::AuditHeader(column).text(lang));
    text.push_str(&csv_line(&header));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>, q: Option<&str>) -> HistoryQuery {
        HistoryQuery { from: from.map(Into::into), to: to.map(Into::into), q: q.map(Into::into), format: None }
    }

    #[test]
    fn days_bound_the_filters_inclusively_and_the_text_is_lower_cased() {
        let filters = filters(&query(Some("2026-01-02"), Some("2026-01-02"), Some("  Sent To ")), Lang::En).unwrap();
        assert_eq!(filters.from, Date::parse_iso("2026-01-02").unwrap().unix_seconds());
        assert_eq!(filters.to, filters.from + 86_400);
        assert_eq!(filters.needle, "sent to");
    }

    #[test]
    fn no_bounds_take_everything_and_a_bad_date_is_refused() {
        let filters = filters(&query(None, Some(""), None), Lang::En).unwrap();
        assert_eq!((filters.from, filters.to, filters.needle.as_str()), (0, i64::MAX / 2, ""));
        assert!(matches!(super::filters(&query(Some("02-01-2026"), None, None), Lang::En), Err(ApiError::InvalidQuery(_))));
    }
}
