//! The organization's users, as its administrators see them.

use serde::Deserialize;
use steward_domain::api::{UserSummary, UsersPage};
use steward_domain::pagination::{page_size, UserCursor};
use steward_domain::user::UserStatus;
use worker::{Env, Request, Response};

use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::session::authenticate;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    after: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/users?after=&limit=`: one page of the signed-in administrator's
/// organization, in name order.
pub async fn list(req: Request, env: &Env) -> ApiResult<Response> {
    let me = authenticate(&req, env).await?;
    if !me.role.administers_users() {
        worker::console_log!("refused: user {} may not list users", me.id);
        return Err(ApiError::Forbidden);
    }
    let query: ListQuery = req.query().map_err(|error| ApiError::InvalidQuery(error.to_string()))?;
    let after = match query.after.as_deref() {
        Some(cursor) => Some(
            UserCursor::decode(cursor).ok_or_else(|| ApiError::InvalidQuery("`after` is not a cursor from this list".into()))?,
        ),
        None => None,
    };
    let limit = page_size(query.limit);
    // One row more than asked tells whether another page follows.
    let mut rows = db::users_page(&env.d1("DB")?, &me.organization.id, after.as_ref(), limit + 1).await?;
    let next = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|row| {
            UserCursor { last_name: row.last_name.clone(), first_name: row.first_name.clone(), id: row.id.clone() }.encode()
        })
    } else {
        None
    };
    let users = rows
        .into_iter()
        .map(|row| {
            let status = UserStatus::parse(&row.status)
                .ok_or_else(|| ApiError::Internal(format!("unknown status {}", row.status)))?;
            Ok(UserSummary { id: row.id, first_name: row.first_name, last_name: row.last_name, email: row.email, status })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    json(&UsersPage { users, next })
}
