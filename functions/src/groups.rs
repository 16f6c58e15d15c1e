//! User groups (product.md §6): custom groups, made by organization
//! administrators with the applications they give, whose members
//! administrators add and remove; and one system group per P-unit, whose
//! members are the unit's users. Joining a group never gives a role the
//! person adding could not grant directly (`applications::may_add_to_group`).

use steward_domain::messages::{Arg, Message};
use steward_domain::api::{ApplicationInfo, GroupDetail, GroupDraft, GroupInfo, GroupKind, GroupMemberRequest, Groups, Me};
use steward_domain::applications::{may_define, may_revoke, DisplayName};
use steward_domain::authz::{manages_everyone, UserAction};
use steward_domain::email::Email;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user_form::FieldIssue;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::{Admin, OrganizationAdmin};

use crate::applications::{catalog, Granter};
use crate::crypto::new_uuid;
use crate::store::guards::commit;
use crate::store::{self, groups::{MembersOf, Removal}, ids::{GroupId, OrganizationId, UserId}};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body, no_content};
use crate::session::enforce;
use crate::users::{find_actionable_user, management_model};

/// Every group of the organization: custom ones by name, then the P-units'.
/// Members are counted among the users `counted_for` manages (empty:
/// everyone), so that a count says no more than the member list.
pub async fn all_groups(db: &Db, organization_id: &str, applications: &[ApplicationInfo], counted_for: &str) -> ApiResult<Vec<GroupInfo>> {
    let counted_for = Some(UserId(counted_for)).filter(|id| !id.as_str().is_empty());
    Ok(store::groups::all(db, OrganizationId(organization_id), counted_for)
        .await?
        .into_iter()
        .map(|row| GroupInfo {
            applications: applications.iter().filter(|a| row.application_ids.contains(&a.id)).cloned().collect(),
            id: row.id,
            name: row.name,
            kind: row.kind,
            member_count: row.member_count,
        })
        .collect())
}

/// Whose users the groups' member counts count for `me`: everyone's, or in
/// the `owned` model a user administrator's own (`authz::manages`).
async fn counted_for<'m>(db: &Db, me: &'m Me) -> ApiResult<&'m str> {
    Ok(if manages_everyone(management_model(db, &me.organization.id).await?, me.role) { "" } else { me.id.as_str() })
}

/// One group of the organization, its applications as in `catalog`, its
/// members counted as `me` may see them.
async fn find_group(db: &Db, me: &Me, catalog: &[ApplicationInfo], group_id: &str) -> ApiResult<GroupInfo> {
    all_groups(db, &me.organization.id, catalog, counted_for(db, me).await?).await?.into_iter().find(|group| group.id == group_id).ok_or(ApiError::NotFound)
}

fn custom_only(group: &GroupInfo) -> ApiResult<()> {
    match group.kind {
        GroupKind::Custom => Ok(()),
        GroupKind::System => Err(ApiError::conflict(Message::SystemGroupIsFixed, vec![Arg::plain(&group.name)])),
    }
}

/// `GET /api/groups`
pub async fn list(_req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let db = &ctx.db;
    let catalog = catalog(&db, &me.organization.id).await?;
    json(&Groups { groups: all_groups(&db, &me.organization.id, &catalog, counted_for(db, &me).await?).await? })
}

/// `POST /api/groups {name, application_ids}`: organization administrators make a custom group.
pub async fn define(mut req: Request, ctx: &Ctx<'_>, me: OrganizationAdmin) -> ApiResult<Response> {
    let draft: GroupDraft = json_body(&mut req).await?;
    let db = &ctx.db;
    let mut issues = Vec::new();
    let name = DisplayName::parse("name", &draft.name, ctx.lang).map_err(|issue| issues.push(issue)).ok();
    let applications = catalog(&db, &me.organization.id).await?;
    let unknown = draft.application_ids.iter().filter(|id| !applications.iter().any(|a| &a.id == *id)).count();
    if unknown > 0 {
        issues.push(FieldIssue {
            field: "application_ids".into(),
            code: "unknown_application".into(),
            message: Message::UnknownApplications.with(ctx.lang, &[&unknown]),
        });
    }
    let groups = all_groups(&db, &me.organization.id, &applications, "").await?;
    if let Some(name) = &name {
        if groups.iter().any(|g| g.name.to_lowercase() == name.as_str().to_lowercase()) {
            issues.push(FieldIssue { field: "name".into(), code: "taken".into(), message: Message::GroupNameTaken.with(ctx.lang, &[&name.as_str()]) });
        }
    }
    let Some(name) = name.filter(|_| issues.is_empty()) else {
        return Err(ApiError::Validation(issues));
    };
    let id = new_uuid()?;
    let statements = store::groups::define_statements(db, GroupId(&id), OrganizationId(&me.organization.id), name.as_str(), &draft.application_ids, ctx.now)?;
    commit(&db, statements).await?;
    created(&find_group(&db, &me, &applications, &id).await?)
}

async fn detail(db: &Db, me: &Me, group: GroupInfo) -> ApiResult<GroupDetail> {
    let model = management_model(db, &me.organization.id).await?;
    let managed_by = if manages_everyone(model, me.role) { None } else { Some(UserId(&me.id)) };
    let members = store::groups::members(db, OrganizationId(&me.organization.id), managed_by, MembersOf::group(group.kind, &group.id)).await?;
    Ok(GroupDetail { group, members })
}

/// `GET /api/groups/{id}`: the group and the members this administrator manages.
pub async fn show(_req: Request, ctx: &Ctx<'_>, me: Admin, group_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let group = find_group(&db, &me, &catalog(&db, &me.organization.id).await?, group_id).await?;
    json(&detail(&db, &me, group).await?)
}

/// `DELETE /api/groups/{id}`: its members lose what it gave; each one's history says so.
pub async fn remove(_req: Request, ctx: &Ctx<'_>, me: Admin, group_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let group = find_group(&db, &me, &catalog(&db, &me.organization.id).await?, group_id).await?;
    enforce(may_define(me.role), &me, "remove groups")?;
    custom_only(&group)?;
    let actor = Actor::of(&me);
    let removal = Removal {
        organization: OrganizationId(&me.organization.id),
        actor: UserId(&me.id),
        actor_name: &actor.name,
        action: HistoryAction::GroupLeft.as_str(),
        label: HistoryAction::GroupLeft.label(),
        details: format!("{} (the group was removed)", group.name),
    };
    commit(db, store::groups::remove_statements(db, GroupId(group_id), removal, ctx.now)?).await?;
    no_content()
}

/// `POST /api/groups/{id}/members {email}`: adds a person of the organization.
pub async fn add_member(mut req: Request, ctx: &Ctx<'_>, me: Admin, group_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let granter = Granter::read(&db, &me).await?;
    let group = find_group(&db, &me, &granter.catalog, group_id).await?;
    custom_only(&group)?;
    let body: GroupMemberRequest = json_body(&mut req).await?;
    let not_found = || {
        ApiError::Validation(vec![FieldIssue {
            field: "email".into(),
            code: "unknown_user".into(),
            message: Message::NoManagedUserWithEmail.text(ctx.lang),
        }])
    };
    let email = Email::parse(&body.email).map_err(|_| not_found())?;
    let user_id = store::groups::user_by_email(db, OrganizationId(&me.organization.id), &email.normalized()).await?.ok_or_else(not_found)?;
    let user = match find_actionable_user(&db, &me, &user_id, UserAction::ChangeAccess).await {
        Err(ApiError::NotFound) => return Err(not_found()),
        other => other?,
    };
    enforce(granter.may_add_to_group(&me, &user.id, &group), &me, &format!("add {} to group {group_id}", user.id))?;
    commit(&db, join_statements(&db, &me, &group, &user.id, ctx.now)?).await?;
    let group = find_group(&db, &me, &granter.catalog, group_id).await?;
    json(&detail(&db, &me, group).await?)
}

/// `DELETE /api/groups/{id}/members/{id}`: nothing to do for someone not in
/// it. Whom the administrator does not manage answers 404 whether or not
/// they are a member, so that membership is not revealed.
pub async fn remove_member(_req: Request, ctx: &Ctx<'_>, me: Admin, group_id: &str, user_id: &str) -> ApiResult<Response> {
    let db = &ctx.db;
    let group = find_group(&db, &me, &catalog(&db, &me.organization.id).await?, group_id).await?;
    custom_only(&group)?;
    find_actionable_user(&db, &me, user_id, UserAction::ChangeAccess).await?;
    enforce(may_revoke(me.role, me.id == user_id), &me, &format!("remove {user_id} from group {group_id}"))?;
    if !store::groups::is_member(db, GroupId(group_id), UserId(user_id)).await? {
        return no_content();
    }
    commit(&db, leave_statements(&db, &me, &group, user_id, ctx.now)?).await?;
    no_content()
}

/// The statements that add a user to a custom group, with their history.
pub fn join_statements(db: &Db, me: &Me, group: &GroupInfo, user_id: &str, now: i64) -> ApiResult<Vec<Statement>> {
    let actor = Actor::of(me);
    Ok(vec![
        store::groups::join_statement(db, GroupId(&group.id), UserId(user_id), UserId(&me.id), now)?,
        history::record(
            db,
            Event { organization_id: &me.organization.id, user_id, at: now, actor: &actor, action: HistoryAction::GroupJoined, details: group.name.clone() },
        )?,
    ])
}

/// The statements that take a user out of a custom group, with their history.
pub fn leave_statements(db: &Db, me: &Me, group: &GroupInfo, user_id: &str, now: i64) -> ApiResult<Vec<Statement>> {
    let actor = Actor::of(me);
    Ok(vec![
        store::groups::leave_statement(db, GroupId(&group.id), UserId(user_id))?,
        history::record(
            db,
            Event { organization_id: &me.organization.id, user_id, at: now, actor: &actor, action: HistoryAction::GroupLeft, details: group.name.clone() },
        )?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(kind: GroupKind) -> GroupInfo {
        GroupInfo { id: "g".into(), name: "Unit".into(), kind, applications: Vec::new(), member_count: 0 }
    }

    #[test]
    fn only_custom_groups_are_changed_by_hand() {
        assert!(custom_only(&group(GroupKind::Custom)).is_ok());
        assert!(matches!(custom_only(&group(GroupKind::System)), Err(ApiError::Conflict(_))));
    }
}
