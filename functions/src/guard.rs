//! What a route's guard proves about the caller. Only the dispatcher
//! (`router::handle`) makes these, after checking; a handler that takes one
//! cannot be reached without the check.

use std::ops::Deref;

use steward_domain::api::Me;
use steward_domain::authz::{may, may_transfer, Action};
use worker::Request;

use crate::context::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::session::{authenticate, enforce};

/// A signed-in organization or user administrator.
pub struct Admin(Me);

/// A signed-in organization administrator.
pub struct OrganizationAdmin(Me);

/// A signed-in platform operator.
pub struct Operator(Me);

macro_rules! proves_me {
    ($($proof:ident),*) => {$(
        impl Deref for $proof {
            type Target = Me;

            fn deref(&self) -> &Me {
                &self.0
            }
        }
    )*};
}
proves_me!(Admin, OrganizationAdmin, Operator);

pub async fn signed_in(req: &Request, ctx: &Ctx<'_>) -> ApiResult<Me> {
    authenticate(req, &ctx.db, ctx.now).await
}

pub async fn administrator(req: &Request, ctx: &Ctx<'_>) -> ApiResult<Admin> {
    let me = signed_in(req, ctx).await?;
    if !me.role.administers_users() {
        worker::console_log!("refused: user {} may not administer users ({} {})", me.id, req.method().to_string(), req.path());
        return Err(ApiError::Forbidden);
    }
    Ok(Admin(me))
}

pub async fn organization_administrator(req: &Request, ctx: &Ctx<'_>) -> ApiResult<OrganizationAdmin> {
    let Admin(me) = administrator(req, ctx).await?;
    enforce(may(me.role, Action::AdministerOrganization), &me, &format!("{} {}", req.method().to_string(), req.path()))?;
    Ok(OrganizationAdmin(me))
}

pub async fn platform_operator(req: &Request, ctx: &Ctx<'_>) -> ApiResult<Operator> {
    let me = signed_in(req, ctx).await?;
    enforce(may_transfer(me.platform_operator), &me, &format!("{} {}", req.method().to_string(), req.path()))?;
    Ok(Operator(me))
}
