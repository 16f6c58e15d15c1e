//! Applications (product.md §1): the organization's named sets of roles,
//! defined by organization administrators and granted to users directly or
//! through custom groups. Who may grant what is `domain::applications`.

use std::collections::{BTreeMap, HashMap};

use steward_domain::lang::Lang;
use steward_domain::messages::{Arg, Message};
use steward_domain::api::{ApplicationCatalog, ApplicationDraft, ApplicationInfo, GrantRequest, GroupInfo, HeldApplication, Me, UserApplications};
use steward_domain::applications::{may_add_to_group, may_define, may_grant, may_revoke, roles_of, roles_of_application, roles_of_group, ApplicationSpec, Roles};
use steward_domain::authz::{may_hand_over, Decision, UserAction};
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user_form::FieldIssue;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::{Admin, OrganizationAdmin};

use crate::crypto::new_uuid;
use crate::store::guards::commit;
use crate::store::{self, ids::{ApplicationId, OrganizationId, UserId}};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body, no_content};
use crate::session::enforce;
use crate::users::{find_actionable_user, find_managed_user, UserRecord};

/// The organization's applications in name order.
pub async fn catalog(db: &Db, organization_id: &str) -> ApiResult<Vec<ApplicationInfo>> {
    store::applications::catalog(db, OrganizationId(organization_id)).await
}

/// One application of the organization; another organization's is not found.
pub async fn find_application(db: &Db, organization_id: &str, application_id: &str) -> ApiResult<ApplicationInfo> {
    store::applications::find(db, OrganizationId(organization_id), ApplicationId(application_id)).await?.ok_or(ApiError::NotFound)
}

/// An application of `catalog` named in a request body: one the
/// organization does not hold is a mistake at that field, not a missing page.
pub fn application_in_body(catalog: &[ApplicationInfo], application_id: &str, lang: Lang) -> ApiResult<ApplicationInfo> {
    catalog.iter().find(|application| application.id == application_id).cloned().ok_or_else(|| {
        ApiError::Validation(vec![FieldIssue {
            field: "application_id".into(),
            code: "unknown_application".into(),
            message: Message::NoSuchApplication.text(lang),
        }])
    })
}

/// What a person holds, of the organization's `catalog`: direct grants
/// first, then what their groups give.
pub async fn held(db: &Db, catalog: &[ApplicationInfo], user_id: &str) -> ApiResult<Vec<HeldApplication>> {
    let rows = store::applications::held(db, UserId(user_id)).await?;
    let applications: BTreeMap<&str, &ApplicationInfo> = catalog.iter().map(|application| (application.id.as_str(), application)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            applications
                .get(row.application_id.as_str())
                .map(|application| HeldApplication { application: (*application).clone(), via_group: row.via_group })
        })
        .collect())
}

/// What granting is decided on, read once per request: the organization's
/// applications and the roles the signed-in administrator holds.
pub struct Granter {
    pub catalog: Vec<ApplicationInfo>,
    pub roles: Roles,
}

impl Granter {
    pub async fn read(db: &Db, me: &Me) -> ApiResult<Granter> {
        let catalog = catalog(db, &me.organization.id).await?;
        let roles = roles_of(&held(db, &catalog, &me.id).await?);
        Ok(Granter { catalog, roles })
    }

    /// `applications::may_grant` for giving `application` to `user_id`.
    pub fn may_grant(&self, me: &Me, user_id: &str, application: &ApplicationInfo) -> Decision {
        may_grant(me.role, me.id == user_id, &self.roles, &roles_of_application(application))
    }

    /// `applications::may_add_to_group` for adding `user_id` to `group`.
    pub fn may_add_to_group(&self, me: &Me, user_id: &str, group: &GroupInfo) -> Decision {
        may_add_to_group(me.role, me.id == user_id, &self.roles, &roles_of_group(group))
    }
}

/// Refuses to hand a not-yet-active user's account over (send to
/// activation, change the details activation is proven with) to an
/// administrator who could not grant everything it holds
/// (`authz::may_hand_over`). Organization administrators grant anything,
/// so nothing is read for them.
pub async fn ensure_may_hand_over(db: &Db, me: &Me, user: &UserRecord) -> ApiResult<()> {
    if me.role == steward_domain::user::Role::OrganizationAdmin || user.status == steward_domain::user::UserStatus::Active {
        return Ok(());
    }
    let granter = Granter::read(db, me).await?;
    let theirs = roles_of(&held(db, &granter.catalog, &user.id).await?);
    may_hand_over_to(me, &granter.roles, user, &theirs)
}

/// `authz::may_hand_over` on what was read: the roles the administrator
/// holds, and those the user holds.
pub fn may_hand_over_to(me: &Me, my_roles: &Roles, user: &UserRecord, theirs: &Roles) -> ApiResult<()> {
    enforce(may_hand_over(me.role, my_roles, user.status, theirs), me, &format!("hand over the account of {}", user.id))
}

/// The roles each of `user_ids` holds, directly or through groups (as
/// `held`), read at once.
pub async fn held_roles(db: &Db, catalog: &[ApplicationInfo], user_ids: &[String]) -> ApiResult<HashMap<String, Roles>> {
    let holdings = store::applications::holdings(db, user_ids).await?;
    let mut roles: HashMap<String, Roles> = user_ids.iter().map(|id| (id.clone(), Roles::new())).collect();
    for holding in holdings {
        if let Some(application) = catalog.iter().find(|a| a.id == holding.application_id) {
            roles.entry(holding.user_id).or_default().extend(roles_of_application(application));
        }
    }
    Ok(roles)
}

/// `GET /api/applications`: the organization's applications, for anyone of it.
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Me) -> ApiResult<Response> {
    json(&ApplicationCatalog { applications: catalog(&ctx.db, &me.organization.id).await? })
}

/// `POST /api/applications {name, roles}`: organization administrators define one.
pub async fn define(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let draft: ApplicationDraft = json_body(&mut req).await?;
    let spec = ApplicationSpec::parse(&draft.name, &draft.roles, ctx.lang).map_err(ApiError::Validation)?;
    let db = &ctx.db;
    if catalog(&db, &me.organization.id).await?.iter().any(|a| a.name.to_lowercase() == spec.name.as_str().to_lowercase()) {
        return Err(ApiError::Validation(vec![FieldIssue {
            field: "name".into(),
            code: "taken".into(),
            message: Message::ApplicationNameTaken.with(ctx.lang, &[&spec.name.as_str()]),
        }]));
    }
    let id = new_uuid()?;
    let statements = store::applications::define_statements(db, ApplicationId(&id), OrganizationId(&me.organization.id), spec.name.as_str(), &spec.roles, ctx.now)?;
    commit(&db, statements).await?;
    created(&ApplicationInfo { id, name: spec.name.as_str().to_owned(), roles: spec.roles.into_iter().collect() })
}

/// `DELETE /api/applications/{id}`: only while nobody holds it, so that no
/// one loses a role as a side effect.
pub async fn remove(_req: Request, ctx: &Ctx<'_>, me: Admin, application_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let application = find_application(&db, &me.organization.id, application_id).await?;
    enforce(may_define(me.role), &me, "remove applications")?;
    let uses = store::applications::uses(db, ApplicationId(application_id))
        .await?
        .ok_or_else(|| ApiError::Internal("count query answered nothing".into()))?;
    if uses.holders > 0 || uses.groups > 0 {
        return Err(ApiError::conflict(
            Message::ApplicationInUse,
            vec![Arg::plain(&application.name), Arg::plain(uses.holders), Arg::plain(uses.groups)],
        ));
    }
    store::applications::delete(db, ApplicationId(application_id)).await?;
    no_content()
}

/// A managed user's applications, with what this administrator may still grant.
async fn user_applications(db: &Db, me: &Me, granter: &Granter, user: UserRecord) -> ApiResult<UserApplications> {
    let theirs = held(db, &granter.catalog, &user.id).await?;
    let grantable = granter
        .catalog
        .iter()
        .filter(|application| {
            !theirs.iter().any(|h| h.via_group.is_none() && h.application.id == application.id)
                && granter.may_grant(me, &user.id, application).is_allowed()
        })
        .cloned()
        .collect();
    let may_revoke = may_revoke(me.role, me.id == user.id).is_allowed();
    Ok(UserApplications { scope: user.scope, held: theirs, grantable, may_revoke })
}

/// `GET /api/users/{id}/applications`
pub async fn for_user(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let user = find_managed_user(&db, &me, user_id).await?;
    json(&user_applications(&db, &me, &Granter::read(&db, &me).await?, user).await?)
}

/// The statements that grant `application` to a user, with its history;
/// a pending request for it is granted too.
pub fn grant_statements(db: &Db, me: &Me, user_id: &str, application: &ApplicationInfo, now: i64) -> ApiResult<Vec<Statement>> {
    let actor = Actor::of(me);
    let mut statements = store::applications::grant_statements(db, UserId(user_id), ApplicationId(&application.id), UserId(&me.id), now)?;
    statements.push(history::record(
        db,
        Event {
            organization_id: &me.organization.id,
            user_id,
            at: now,
            actor: &actor,
            action: HistoryAction::ApplicationGranted,
            details: application.name.clone(),
        },
    )?);
    Ok(statements)
}

/// `POST /api/users/{id}/applications {application_id}`
pub async fn grant(mut req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let user = find_actionable_user(&db, &me, user_id, UserAction::ChangeAccess).await?;
    let body: GrantRequest = json_body(&mut req).await?;
    let granter = Granter::read(&db, &me).await?;
    let application = application_in_body(&granter.catalog, &body.application_id, ctx.lang)?;
    enforce(granter.may_grant(&me, user_id, &application), &me, &format!("grant {} to {user_id}", application.id))?;
    let already = held(&db, &granter.catalog, user_id).await?.iter().any(|h| h.via_group.is_none() && h.application.id == application.id);
    if !already {
        commit(&db, grant_statements(&db, &me, user_id, &application, ctx.now)?).await?;
    }
    json(&user_applications(&db, &me, &granter, user).await?)
}

/// `DELETE /api/users/{id}/applications/{id}`: takes a direct grant away;
/// nothing to do if the user does not hold it directly.
pub async fn revoke(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str, application_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    find_actionable_user(&db, &me, user_id, UserAction::ChangeAccess).await?;
    enforce(may_revoke(me.role, me.id == user_id), &me, &format!("revoke applications of {user_id}"))?;
    let held_directly = held(&db, &catalog(&db, &me.organization.id).await?, user_id)
        .await?
        .into_iter()
        .find(|h| h.via_group.is_none() && h.application.id == application_id);
    if let Some(held) = held_directly {
        commit(&db, revoke_statements(&db, &me, user_id, &held.application, ctx.now)?).await?;
    }
    no_content()
}

/// The statements that take a direct grant of `application` away, with its history.
pub fn revoke_statements(db: &Db, me: &Me, user_id: &str, application: &ApplicationInfo, now: i64) -> ApiResult<Vec<Statement>> {
    let actor = Actor::of(me);
    Ok(vec![
        store::applications::revoke_statement(db, UserId(user_id), ApplicationId(&application.id))?,
        history::record(
            db,
            Event {
                organization_id: &me.organization.id,
                user_id,
                at: now,
                actor: &actor,
                action: HistoryAction::ApplicationRevoked,
                details: application.name.clone(),
            },
        )?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_application_named_in_a_body_is_one_of_the_catalog() {
        let catalog = vec![ApplicationInfo { id: "a".into(), name: "Payroll".into(), roles: Vec::new() }];
        assert_eq!(application_in_body(&catalog, "a", Lang::En).unwrap().name, "Payroll");
        match application_in_body(&catalog, "b", Lang::En) {
            Err(ApiError::Validation(issues)) => assert_eq!((issues[0].field.as_str(), issues[0].code.as_str()), ("application_id", "unknown_application")),
            _ => panic!("an unknown application is a mistake at its field"),
        }
    }
}
