//! Every route of the API, in one table that also declares each route's
//! guard. The dispatcher checks the `Origin` of every mutating request and
//! applies the guard before the handler runs; the handler receives what the
//! guard proved. The authorization matrix test reads this table.

use std::future::Future;
use std::pin::Pin;

use worker::{Method, Request, Response};

use crate::context::Ctx;
use crate::env::Env;
use crate::error::{ApiError, ApiResult};
use crate::guard::{self, Admin, Operator, OrganizationAdmin};
use crate::http::check_origin;
use crate::{activation, applications, deputies, groups, history, imports, join, notify, requests, session, transfers, users};
use steward_domain::api::Me;

type Answer<'a> = Pin<Box<dyn Future<Output = ApiResult<Response>> + 'a>>;
/// The path's `{id}` segments, in order.
type Params = Vec<String>;

/// A route's handler, by what its guard proves.
pub enum Handler {
    Public(for<'a> fn(Request, &'a Ctx<'a>, Params) -> Answer<'a>),
    SignedIn(for<'a> fn(Request, &'a Ctx<'a>, Me, Params) -> Answer<'a>),
    Administrator(for<'a> fn(Request, &'a Ctx<'a>, Admin, Params) -> Answer<'a>),
    OrganizationAdministrator(for<'a> fn(Request, &'a Ctx<'a>, OrganizationAdmin, Params) -> Answer<'a>),
    PlatformOperator(for<'a> fn(Request, &'a Ctx<'a>, Operator, Params) -> Answer<'a>),
}

pub struct Route {
    pub method: Method,
    /// `{id}` is one path segment.
    pub path: &'static str,
    pub handler: Handler,
}

/// `route!(METHOD "path", guard, module::handler, param…)`: the handler is
/// called with the request, the context, what the guard proved (except for
/// `public`) and the path's `{id}` segments as `&str`, in order.
macro_rules! route {
    ($method:ident $path:literal, public, $handler:path $(, $param:ident)*) => {
        Route { method: Method::$method, path: $path, handler: Handler::Public({
            fn call<'a>(req: Request, ctx: &'a Ctx<'a>, params: Params) -> Answer<'a> {
                Box::pin(async move {
                    #[allow(unused_variables, unused_mut)]
                    let mut params = params.iter();
                    $handler(req, ctx $(, { let $param = params.next().map(String::as_str).unwrap_or_default(); $param })*).await
                })
            }
            call
        }) }
    };
    ($method:ident $path:literal, $guard:ident, $handler:path $(, $param:ident)*) => {
        Route { method: Method::$method, path: $path, handler: route!(@variant $guard, {
            fn call<'a>(req: Request, ctx: &'a Ctx<'a>, who: route!(@proof $guard), params: Params) -> Answer<'a> {
                Box::pin(async move {
                    #[allow(unused_variables, unused_mut)]
                    let mut params = params.iter();
                    $handler(req, ctx, who $(, { let $param = params.next().map(String::as_str).unwrap_or_default(); $param })*).await
                })
            }
            call
        }) }
    };
    (@variant signed_in, $call:expr) => { Handler::SignedIn($call) };
    (@variant administrator, $call:expr) => { Handler::Administrator($call) };
    (@variant organization_administrator, $call:expr) => { Handler::OrganizationAdministrator($call) };
    (@variant platform_operator, $call:expr) => { Handler::PlatformOperator($call) };
    (@proof signed_in) => { Me };
    (@proof administrator) => { Admin };
    (@proof organization_administrator) => { OrganizationAdmin };
    (@proof platform_operator) => { Operator };
}

/// The API. Routes whose target another organization must not learn about
/// (`DELETE /api/applications/{id}`, `DELETE /api/groups/{id}`, `PUT
/// /api/users/{id}/role`) are guarded
/// for administrators and decide the organization administrator's part after
/// finding the target, so that another organization's id answers 404.
pub static ROUTES: &[Route] = &[
    route!(Post "/api/session", public, session::sign_in),
    route!(Delete "/api/session", public, session::sign_out),
    route!(Get "/api/me", signed_in, session::me),
    route!(Put "/api/me/password", signed_in, session::change_password),
    route!(Put "/api/me/language", signed_in, session::set_language),
    route!(Get "/api/me/applications", signed_in, requests::mine),
    route!(Post "/api/me/requests", signed_in, requests::request),
    route!(Get "/api/users", administrator, users::list),
    route!(Post "/api/users", administrator, users::create),
    route!(Get "/api/users/{id}", administrator, users::show, user),
    route!(Patch "/api/users/{id}", administrator, users::update, user),
    route!(Delete "/api/users/{id}", administrator, users::delete, user),
    route!(Post "/api/users/{id}/activation", administrator, activation::send_one, user),
    route!(Post "/api/users/{id}/deactivation", administrator, users::deactivate, user),
    route!(Post "/api/users/{id}/reactivation", administrator, users::reactivate, user),
    route!(Put "/api/users/{id}/role", administrator, users::set_role, user),
    route!(Get "/api/users/{id}/history", administrator, history::list, user),
    route!(Get "/api/users/{id}/applications", administrator, applications::for_user, user),
    route!(Post "/api/users/{id}/applications", administrator, applications::grant, user),
    route!(Delete "/api/users/{id}/applications/{id}", administrator, applications::revoke, user, application),
    route!(Get "/api/applications", signed_in, applications::list),
    route!(Post "/api/applications", organization_administrator, applications::define),
    route!(Delete "/api/applications/{id}", administrator, applications::remove, application),
    route!(Get "/api/requests", administrator, requests::pending),
    route!(Post "/api/requests/{id}/decision", administrator, requests::decide, request),
    route!(Get "/api/groups", administrator, groups::list),
    route!(Post "/api/groups", organization_administrator, groups::define),
    route!(Get "/api/groups/{id}", administrator, groups::show, group),
    route!(Delete "/api/groups/{id}", administrator, groups::remove, group),
    route!(Post "/api/groups/{id}/members", administrator, groups::add_member, group),
    route!(Delete "/api/groups/{id}/members/{id}", administrator, groups::remove_member, group, user),
    route!(Post "/api/activations", administrator, activation::send_many),
    route!(Post "/api/activation", public, activation::activate),
    route!(Get "/api/imports/{id}", administrator, imports::progress, import),
    route!(Post "/api/imports/{id}/chunks/{id}", administrator, imports::apply_chunk, import, sequence),
    route!(Get "/api/audit", administrator, history::audit),
    route!(Get "/api/deputies", administrator, deputies::list),
    route!(Post "/api/deputies", administrator, deputies::register),
    route!(Delete "/api/deputies/{id}", administrator, deputies::withdraw, deputy),
    route!(Put "/api/organization/management-model", organization_administrator, deputies::set_model),
    route!(Put "/api/organization/joining", organization_administrator, join::set_allowed),
    route!(Post "/api/join", public, join::apply),
    route!(Get "/api/join-requests", administrator, join::pending),
    route!(Post "/api/join-requests/{id}/decision", administrator, join::decide, request),
    route!(Post "/api/platform/transfers", platform_operator, transfers::transfer),
    route!(Get "/api/platform/administrators", platform_operator, transfers::administrators),
    route!(Get "/api/notifications", administrator, notify::list),
    route!(Post "/api/notifications/read", administrator, notify::mark_read),
    route!(Put "/api/notifications/preference", administrator, notify::set_preference),
];

/// The `{id}` segments of `path` if it matches `pattern`.
fn params(pattern: &str, path: &str) -> Option<Params> {
    let mut parts = path.split('/');
    let mut params = Vec::new();
    for expected in pattern.split('/') {
        let part = parts.next()?;
        if expected == "{id}" && !part.is_empty() {
            params.push(part.to_owned());
        } else if expected != part {
            return None;
        }
    }
    parts.next().is_none().then_some(params)
}

pub async fn handle(req: Request, env: &Env) -> ApiResult<Response> {
    let path = req.path();
    let method = req.method();
    let mut path_known = false;
    for route in ROUTES {
        let Some(params) = params(route.path, &path) else { continue };
        path_known = true;
        if route.method != method {
            continue;
        }
        // Before anything else: with `SameSite=Strict` cookies this closes
        // cross-site request forgery, for every mutating route at once.
        check_origin(&req)?;
        let ctx = Ctx::new(&req, env)?;
        return match &route.handler {
            Handler::Public(call) => call(req, &ctx, params).await,
            Handler::SignedIn(call) => {
                let me = guard::signed_in(&req, &ctx).await?;
                call(req, &ctx, me, params).await
            }
            Handler::Administrator(call) => {
                let admin = guard::administrator(&req, &ctx).await?;
                call(req, &ctx, admin, params).await
            }
            Handler::OrganizationAdministrator(call) => {
                let admin = guard::organization_administrator(&req, &ctx).await?;
                call(req, &ctx, admin, params).await
            }
            Handler::PlatformOperator(call) => {
                let operator = guard::platform_operator(&req, &ctx).await?;
                call(req, &ctx, operator, params).await
            }
        };
    }
    Err(if path_known { ApiError::MethodNotAllowed } else { ApiError::NotFound })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_pattern_segment_by_segment() {
        assert_eq!(params("/api/users/{id}", "/api/users/abc"), Some(vec!["abc".to_owned()]));
        assert_eq!(params("/api/users/{id}/applications/{id}", "/api/users/a/applications/b"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(params("/api/users/{id}", "/api/users/"), None);
        assert_eq!(params("/api/users/{id}", "/api/users/a/b"), None);
        assert_eq!(params("/api/users", "/api/users/a"), None);
        assert_eq!(params("/api/me", "/api/me"), Some(vec![]));
    }

    #[test]
    fn every_route_is_declared_once() {
        let mut seen = std::collections::HashSet::new();
        for route in ROUTES {
            assert!(seen.insert((route.method.to_string(), route.path)), "{} {} twice", route.method.to_string(), route.path);
        }
    }
}
