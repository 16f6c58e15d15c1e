//! Every route of the API, in one place.

use worker::{Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};
use crate::{session, users};

/// The API's routes as (method, path); the dispatch below must match it.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/session"),
    ("DELETE", "/api/session"),
    ("GET", "/api/me"),
    ("GET", "/api/users"),
];

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    match (req.method(), path.as_str()) {
        (Method::Post, "/api/session") => session::sign_in(req, env).await,
        (Method::Delete, "/api/session") => session::sign_out(req, env).await,
        (Method::Get, "/api/me") => session::me(req, env).await,
        (Method::Get, "/api/users") => users::list(req, env).await,
        _ if ROUTES.iter().any(|(_, route)| *route == path) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound),
    }
}
