//! Every route of the API, in one place.

use worker::{Method, Request, Response};
use crate::env::Env;

use crate::error::{ApiError, ApiResult};
use crate::{activation, applications, deputies, groups, history, imports, join, notify, requests, session, transfers, users};

/// The API's routes as (method, path pattern); `{id}` is one path segment.
/// The dispatch below must match it; the authorization matrix test reads it.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/session"),
    ("DELETE", "/api/session"),
    ("GET", "/api/me"),
    ("PUT", "/api/me/password"),
    ("GET", "/api/me/applications"),
    ("POST", "/api/me/requests"),
    ("GET", "/api/users"),
    ("POST", "/api/users"),
    ("GET", "/api/users/{id}"),
    ("PATCH", "/api/users/{id}"),
    ("DELETE", "/api/users/{id}"),
    ("POST", "/api/users/{id}/activation"),
    ("POST", "/api/users/{id}/deactivation"),
    ("POST", "/api/users/{id}/reactivation"),
    ("PUT", "/api/users/{id}/role"),
    ("GET", "/api/users/{id}/history"),
    ("GET", "/api/users/{id}/applications"),
    ("POST", "/api/users/{id}/applications"),
    ("DELETE", "/api/users/{id}/applications/{id}"),
    ("GET", "/api/applications"),
    ("POST", "/api/applications"),
    ("DELETE", "/api/applications/{id}"),
    ("GET", "/api/requests"),
    ("POST", "/api/requests/{id}/decision"),
    ("GET", "/api/groups"),
    ("POST", "/api/groups"),
    ("GET", "/api/groups/{id}"),
    ("DELETE", "/api/groups/{id}"),
    ("POST", "/api/groups/{id}/members"),
    ("DELETE", "/api/groups/{id}/members/{id}"),
    ("POST", "/api/activations"),
    ("POST", "/api/activation"),
    ("POST", "/api/imports/{id}/chunks/{id}"),
    ("GET", "/api/audit"),
    ("GET", "/api/deputies"),
    ("POST", "/api/deputies"),
    ("DELETE", "/api/deputies/{id}"),
    ("PUT", "/api/organization/management-model"),
    ("PUT", "/api/organization/joining"),
    ("POST", "/api/join"),
    ("GET", "/api/join-requests"),
    ("POST", "/api/join-requests/{id}/decision"),
    ("POST", "/api/platform/transfers"),
    ("GET", "/api/platform/administrators"),
    ("GET", "/api/notifications"),
    ("POST", "/api/notifications/read"),
    ("PUT", "/api/notifications/preference"),
];

fn matches(pattern: &str, path: &str) -> bool {
    let mut parts = path.split('/');
    pattern.split('/').all(|expected| match parts.next() {
        Some(part) => expected == part || (expected == "{id}" && !part.is_empty()),
        None => false,
    }) && parts.next().is_none()
}

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Post, ["api", "session"]) => session::sign_in(req, env).await,
        (Method::Delete, ["api", "session"]) => session::sign_out(req, env).await,
        (Method::Get, ["api", "me"]) => session::me(req, env).await,
        (Method::Put, ["api", "me", "password"]) => session::change_password(req, env).await,
        (Method::Get, ["api", "me", "applications"]) => requests::mine(req, env).await,
        (Method::Post, ["api", "me", "requests"]) => requests::request(req, env).await,
        (Method::Get, ["api", "users"]) => users::list(req, env).await,
        (Method::Post, ["api", "users"]) => users::create(req, env).await,
        (Method::Get, ["api", "users", id]) => users::show(req, env, id).await,
        (Method::Patch, ["api", "users", id]) => users::update(req, env, id).await,
        (Method::Delete, ["api", "users", id]) => users::delete(req, env, id).await,
        (Method::Post, ["api", "users", id, "activation"]) => activation::send_one(req, env, id).await,
        (Method::Post, ["api", "users", id, "deactivation"]) => users::deactivate(req, env, id).await,
        (Method::Post, ["api", "users", id, "reactivation"]) => users::reactivate(req, env, id).await,
        (Method::Put, ["api", "users", id, "role"]) => users::set_role(req, env, id).await,
        (Method::Get, ["api", "users", id, "history"]) => history::list(req, env, id).await,
        (Method::Get, ["api", "users", id, "applications"]) => applications::for_user(req, env, id).await,
        (Method::Post, ["api", "users", id, "applications"]) => applications::grant(req, env, id).await,
        (Method::Delete, ["api", "users", id, "applications", application]) => applications::revoke(req, env, id, application).await,
        (Method::Get, ["api", "applications"]) => applications::list(req, env).await,
        (Method::Post, ["api", "applications"]) => applications::define(req, env).await,
        (Method::Delete, ["api", "applications", id]) => applications::remove(req, env, id).await,
        (Method::Get, ["api", "requests"]) => requests::pending(req, env).await,
        (Method::Post, ["api", "requests", id, "decision"]) => requests::decide(req, env, id).await,
        (Method::Get, ["api", "groups"]) => groups::list(req, env).await,
        (Method::Post, ["api", "groups"]) => groups::define(req, env).await,
        (Method::Get, ["api", "groups", id]) => groups::show(req, env, id).await,
        (Method::Delete, ["api", "groups", id]) => groups::remove(req, env, id).await,
        (Method::Post, ["api", "groups", id, "members"]) => groups::add_member(req, env, id).await,
        (Method::Delete, ["api", "groups", id, "members", user]) => groups::remove_member(req, env, id, user).await,
        (Method::Post, ["api", "activations"]) => activation::send_many(req, env).await,
        (Method::Post, ["api", "activation"]) => activation::activate(req, env).await,
        (Method::Post, ["api", "imports", import_id, "chunks", seq]) => imports::apply_chunk(req, env, import_id, seq).await,
        (Method::Get, ["api", "audit"]) => history::audit(req, env).await,
        (Method::Get, ["api", "deputies"]) => deputies::list(req, env).await,
        (Method::Post, ["api", "deputies"]) => deputies::register(req, env).await,
        (Method::Delete, ["api", "deputies", id]) => deputies::withdraw(req, env, id).await,
        (Method::Put, ["api", "organization", "management-model"]) => deputies::set_model(req, env).await,
        (Method::Put, ["api", "organization", "joining"]) => join::set_allowed(req, env).await,
        (Method::Post, ["api", "join"]) => join::apply(req, env).await,
        (Method::Get, ["api", "join-requests"]) => join::pending(req, env).await,
        (Method::Post, ["api", "join-requests", id, "decision"]) => join::decide(req, env, id).await,
        (Method::Post, ["api", "platform", "transfers"]) => transfers::transfer(req, env).await,
        (Method::Get, ["api", "platform", "administrators"]) => transfers::administrators(req, env).await,
        (Method::Get, ["api", "notifications"]) => notify::list(req, env).await,
        (Method::Post, ["api", "notifications", "read"]) => notify::mark_read(req, env).await,
        (Method::Put, ["api", "notifications", "preference"]) => notify::set_preference(req, env).await,
        _ if ROUTES.iter().any(|(_, pattern)| matches(pattern, &path)) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound),
    }
}
