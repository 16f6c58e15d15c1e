//! The organization's users, as its administrators see and manage them
//! (product.md §2, §4): list and search, create, view, edit, deactivate,
//! reactivate, delete.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use steward_domain::messages::{Arg, Message};
use steward_domain::activation::ActivationPath;
use steward_domain::api::{DeactivateRequest, RoleChange, UserDetail, UserSummary, UsersPage};
use steward_domain::api::Me;
use steward_domain::authz::{manages, Decision, manages_everyone, may_act_on, may_set_role, needs_another_organization_admin, ManagementModel, UserAction};
use steward_domain::fields::{Cpr, Date, IdentityMeans};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::{DeactivationPeriod, HistoryAction, Transition, TransitionError};
use steward_domain::pagination::{page_size, UserCursor};
use steward_domain::user::UserStatus;
use steward_domain::user_form::{self, changes_proof, may_tell_cpr_taken, CprChange, FieldIssue, Stored, StoredConflict, StoredUser, UserFields, UserInput};
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::applications::ensure_may_hand_over;
use crate::crypto::new_uuid;
use crate::store::directory::users_page;
use crate::store::guards::{commit, expect_another_organization_admin, expect_status};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body, no_content, query};
use crate::session::enforce;
use crate::store::{self, ids::{OrganizationId, UserId}};
use crate::store::users::{CprColumns, Unique};
use crate::vault::nonce;

/// A user's stored record, parsed once (see `store::users`).
pub use crate::store::users::{OrganizationSettings, UserRecord};

impl UserRecord {
    pub fn activation_path(&self) -> ActivationPath {
        ActivationPath::for_user(self.cpr_sealed.is_some())
    }

    pub fn detail(self) -> ApiResult<UserDetail> {
        Ok(UserDetail {
            status: self.status,
            activation_path: self.activation_path(),
            role: self.role,
            id: self.id,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.email,
            cpr_masked: self.cpr_masked,
            birth_date: self.birth_date,
            phone: self.phone,
            p_number: self.p_number,
            se_number: self.se_number,
            identity_means: self.identity_means,
            anonymous: self.anonymous,
            may_sign: self.may_sign,
            may_seal: self.may_seal,
            scope: self.scope,
            free1: self.free1,
            free2: self.free2,
            free3: self.free3,
            registration_deadline: self.registration_deadline,
            code_locked: self.code_locked,
            deactivate_from: self.deactivate_from,
            deactivate_until: self.deactivate_until,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A user of the organization that is not deleted; anything else is 404, so
/// that another organization's ids reveal nothing.
pub async fn find_user(db: &Db, organization_id: &str, user_id: &str) -> ApiResult<UserRecord> {
    store::users::find(db, OrganizationId(organization_id), UserId(user_id)).await?.ok_or(ApiError::NotFound)
}

/// The organization's management model (see `store::management`).
pub async fn management_model(db: &Db, organization_id: &str) -> ApiResult<ManagementModel> {
    store::management::management_model(db, OrganizationId(organization_id)).await
}

/// The organization's live users among `user_ids`, read at once (another
/// organization's ids are simply not among them).
pub async fn find_users(db: &Db, organization_id: &str, user_ids: &[String]) -> ApiResult<Vec<UserRecord>> {
    store::users::find_many(db, OrganizationId(organization_id), user_ids).await
}

/// Whom the signed-in administrator manages among some users
/// (`authz::manages`), read once however many users there are.
pub struct Managed {
    model: ManagementModel,
    managers: HashMap<String, Vec<String>>,
    represented: Vec<String>,
}

impl Managed {
    pub async fn read(db: &Db, me: &Me, user_ids: &[String]) -> ApiResult<Managed> {
        let model = management_model(db, &me.organization.id).await?;
        let mut managers: HashMap<String, Vec<String>> = HashMap::new();
        let mut represented = Vec::new();
        if !manages_everyone(model, me.role) {
            managers = store::management::managers(db, user_ids).await?;
            represented = store::management::represented(db, UserId(&me.id)).await?;
        }
        Ok(Managed { model, managers, represented })
    }

    /// Whether the administrator manages `user_id`, one of those read; a
    /// refusal is logged.
    pub fn manages(&self, me: &Me, user_id: &str) -> bool {
        let managers = self.managers.get(user_id).map_or(&[][..], Vec::as_slice);
        let managed = manages(self.model, me.role, &me.id, managers, &self.represented);
        if !managed {
            worker::console_log!("refused: user {} does not manage user {user_id}", me.id);
        }
        managed
    }
}

/// A user the signed-in administrator manages (`authz::manages`): in the
/// `owned` model others' users answer 404, like another organization's.
pub async fn find_managed_user(db: &Db, me: &Me, user_id: &str) -> ApiResult<UserRecord> {
    let record = find_user(db, &me.organization.id, user_id).await?;
    if Managed::read(db, me, &[user_id.to_owned()]).await?.manages(me, user_id) {
        Ok(record)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A user the signed-in administrator manages and may do `action` to
/// (`authz::may_act_on`): only organization administrators act on
/// administrators, and nobody locks themself out.
pub async fn find_actionable_user(db: &Db, me: &Me, user_id: &str, action: UserAction) -> ApiResult<UserRecord> {
    let record = find_managed_user(db, me, user_id).await?;
    may_act(me, &record, action)?;
    Ok(record)
}

/// `authz::may_act_on` for doing `action` to a user the administrator manages.
pub fn may_act(me: &Me, record: &UserRecord, action: UserAction) -> ApiResult<()> {
    match may_act_on(me.role, me.id == record.id, record.role, action) {
        // Acting on oneself is refused as a conflict with one's own account, as it always was.
        Decision::Deny(reason) if me.id == record.id => Err(ApiError::Conflict(reason.into())),
        decision => enforce(decision, me, &format!("{action:?} user {}", record.id)),
    }
}

pub async fn organization_settings(db: &Db, organization_id: &str) -> ApiResult<OrganizationSettings> {
    store::users::organization_settings(db, OrganizationId(organization_id))
        .await?
        .ok_or_else(|| ApiError::Internal("organization not found".into()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    after: Option<String>,
    limit: Option<u32>,
    /// Searched in first name, last name and e-mail, ignoring case.
    q: Option<String>,
}

/// `GET /api/users?q=&after=&limit=`: one page of the signed-in
/// administrator's organization, in name order.
pub async fn list(req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let query: ListQuery = query(&req)?;
    let after = match query.after.as_deref() {
        Some(cursor) => Some(
            UserCursor::decode(cursor).ok_or_else(|| ApiError::InvalidQuery(Message::QueryCursor.into()))?,
        ),
        None => None,
    };
    let limit = page_size(query.limit);
    let needle = query.q.unwrap_or_default().trim().to_lowercase();
    let db = &ctx.db;
    let managed_by = (!manages_everyone(management_model(&db, &me.organization.id).await?, me.role)).then_some(UserId(&me.id));
    // One row more than asked tells whether another page follows.
    let mut rows = users_page(&db, OrganizationId(&me.organization.id), &needle, managed_by, after.as_ref(), limit + 1).await?;
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

pub fn today(now: i64) -> Date {
    Date::from_unix_seconds(now)
}

/// What stored data says about a set of users to be saved: e-mail addresses
/// and CPR numbers taken by others, and the organization's P/SE numbers and
/// identity means. Read once per request, however many users it holds.
pub struct Known {
    taken_emails: HashSet<String>,
    taken_cprs: HashSet<String>,
    p_numbers: HashSet<String>,
    se_numbers: HashSet<String>,
    allowed_means: Vec<IdentityMeans>,
}

impl Known {
    pub async fn read(
        db: &Db,
        vault: &Vault,
        organization_id: &str,
        users: &[&UserFields],
        except_user: Option<&str>,
    ) -> ApiResult<Known> {
        let except = except_user.map(UserId);
        let organization = OrganizationId(organization_id);
        let emails: Vec<String> = users.iter().map(|fields| fields.email.normalized()).collect();
        let cprs: Vec<String> = users
            .iter()
            .flat_map(|fields| match &fields.cpr {
                CprChange::Set(cpr) => vault.cpr_lookups(organization_id, cpr),
                CprChange::Keep | CprChange::Remove => Vec::new(),
            })
            .collect();
        Ok(Known {
            taken_emails: store::users::taken(db, organization, Unique::Email, &emails, except).await?,
            taken_cprs: store::users::taken(db, organization, Unique::CprLookup, &cprs, except).await?,
            p_numbers: store::users::p_numbers(db, organization).await?,
            se_numbers: store::users::se_numbers(db, organization).await?,
            allowed_means: IdentityMeans::parse_list(&organization_settings(db, organization_id).await?.identity_means).unwrap_or_default(),
        })
    }

    /// The rules only stored data can decide, for one user of the set.
    pub fn conflicts(&self, vault: &Vault, organization_id: &str, fields: &UserFields, lang: Lang) -> Vec<FieldIssue> {
        let mut conflicts = Vec::new();
        if self.taken_emails.contains(&fields.email.normalized()) {
            conflicts.push(StoredConflict::EmailTaken);
        }
        if let CprChange::Set(cpr) = &fields.cpr {
            if vault.cpr_lookups(organization_id, cpr).iter().any(|lookup| self.taken_cprs.contains(lookup)) {
                conflicts.push(StoredConflict::CprTaken);
            }
        }
        if fields.p_number.as_ref().is_some_and(|p| !self.p_numbers.contains(p)) {
            conflicts.push(StoredConflict::PNumberUnknown);
        }
        if fields.se_number.as_ref().is_some_and(|se| !self.se_numbers.contains(se)) {
            conflicts.push(StoredConflict::SeNumberUnknown);
        }
        if fields.identity_means.iter().any(|means| !self.allowed_means.contains(means)) {
            conflicts.push(StoredConflict::IdentityMeansNotAllowed);
        }
        if !may_tell_cpr_taken(conflicts.iter().map(|conflict| conflict.code())) {
            conflicts.retain(|conflict| *conflict != StoredConflict::CprTaken);
        }
        conflicts.into_iter().map(|conflict| conflict.issue(lang)).collect()
    }
}

/// The rules only stored data can decide, for one user.
pub async fn stored_conflicts(
    db: &Db,
    vault: &Vault,
    organization_id: &str,
    fields: &UserFields,
    except_user: Option<&str>,
    lang: Lang,
) -> ApiResult<Vec<FieldIssue>> {
    let known = Known::read(db, vault, organization_id, &[fields], except_user).await?;
    Ok(known.conflicts(vault, organization_id, fields, lang))
}

fn search_text(fields: &UserFields) -> String {
    format!("{} {} {}", fields.first_name.as_str(), fields.last_name.as_str(), fields.email.as_str()).to_lowercase()
}

/// `POST /api/users`: creates one user in status `created`.
pub async fn create(mut req: Request, ctx: &Ctx<'_>, me: Admin) -> ApiResult<Response> {
    let input: UserInput = json_body(&mut req).await?;
    let lang = ctx.lang;
    let now = ctx.now;
    let fields = UserFields::parse(&input, None, today(now), lang).map_err(ApiError::Validation)?;
    let db = &ctx.db;
    let vault = ctx.vault()?;
    let conflicts = stored_conflicts(&db, &vault, &me.organization.id, &fields, None, lang).await?;
    if !conflicts.is_empty() {
        return Err(ApiError::Validation(conflicts));
    }

    let id = new_uuid()?;
    let actor = Actor::of(&me);
    let statements = insert_statements(&db, &vault, &me.organization.id, &id, &fields, &actor, String::new(), now)?;
    commit(&db, statements).await.map_err(unique_violation_as_conflict)?;
    created(&find_user(&db, &me.organization.id, &id).await?.detail()?)
}

/// The statements that create a user in status `created`, with its event.
#[allow(clippy::too_many_arguments)]
pub fn insert_statements(
    db: &Db,
    vault: &Vault,
    organization_id: &str,
    id: &str,
    fields: &UserFields,
    actor: &Actor,
    details: String,
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let (cpr_sealed, cpr_lookup, cpr_masked) = match &fields.cpr {
        CprChange::Set(cpr) => sealed_cpr(vault, organization_id, id, cpr)?,
        CprChange::Keep | CprChange::Remove => (None, None, None),
    };
    let cpr = CprColumns { sealed: cpr_sealed.as_deref(), lookup: cpr_lookup.as_deref(), masked: cpr_masked.as_deref() };
    let creator = actor.id.as_deref().map(UserId);
    let insert =
        store::users::insert_statement(db, OrganizationId(organization_id), UserId(id), fields, cpr, &search_text(fields), creator, now)?;
    let event = history::record(
        db,
        Event { organization_id, user_id: id, at: now, actor, action: HistoryAction::Created, details },
    )?;
    let mut statements = vec![insert, event];
    // The creator manages the user, and so do those the creator stands in for.
    if let Some(creator) = creator {
        statements.extend(store::users::creator_manages_statements(db, UserId(id), creator)?);
    }
    Ok(statements)
}

type SealedCpr = (Option<String>, Option<String>, Option<String>);

fn sealed_cpr(vault: &Vault, organization_id: &str, user_id: &str, cpr: &Cpr) -> ApiResult<SealedCpr> {
    Ok((Some(vault.seal_cpr(cpr, user_id, &nonce()?)), Some(vault.cpr_lookup(organization_id, cpr)), Some(cpr.masked())))
}

/// Two administrators saving the same e-mail or CPR at once: the unique
/// index decides, and the loser is told plainly.
fn unique_violation_as_conflict(error: ApiError) -> ApiError {
    match error {
        ApiError::Internal(detail) if detail.contains("UNIQUE") => {
            ApiError::Conflict(Message::KeySavedMeanwhile.into())
        }
        other => other,
    }
}

/// `GET /api/users/{id}`
pub async fn show(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    json(&find_managed_user(&ctx.db, &me, user_id).await?.detail()?)
}

/// `PATCH /api/users/{id}`: the whole form again; an absent `cpr` keeps it.
pub async fn update(mut req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let input: UserInput = json_body(&mut req).await?;
    let lang = ctx.lang;
    let now = ctx.now;
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::Edit).await?;
    let stored = Stored { has_cpr: record.cpr_sealed.is_some(), anonymous: record.anonymous };
    let fields = UserFields::parse(&input, Some(stored), today(now), lang).map_err(ApiError::Validation)?;
    let vault = ctx.vault()?;
    if changes_proof(&changed_fields(&vault, &record, &fields)) {
        ensure_may_hand_over(&db, &me, &record).await?;
    }
    let conflicts = stored_conflicts(&db, &vault, &me.organization.id, &fields, Some(user_id), lang).await?;
    if !conflicts.is_empty() {
        return Err(ApiError::Validation(conflicts));
    }

    let actor = Actor::of(&me);
    let Some(statements) = update_statements(&db, &vault, &record, &fields, &actor, "", now)? else {
        return json(&record.detail()?);
    };
    commit(&db, statements).await.map_err(unique_violation_as_conflict)?;
    json(&find_user(&db, &me.organization.id, user_id).await?.detail()?)
}

fn transition_allowed(record: &UserRecord, transition: Transition) -> ApiResult<UserStatus> {
    record.status.after(transition).map_err(transition_refused)
}

/// A status change the lifecycle does not allow, as a conflict that names
/// the user's status in the caller's language.
pub fn transition_refused(error: TransitionError) -> ApiError {
    ApiError::conflict(Message::TransitionRefused(error.transition), vec![Arg::Said(Message::Status(error.from))])
}

/// Ends every session of a user: they can no longer act.
pub fn end_sessions(db: &Db, user_id: &str) -> ApiResult<Statement> {
    store::sessions::delete_all_statement(db, UserId(user_id))
}

/// `POST /api/users/{id}/deactivation {from?, until?}`: now, or from a day;
/// until a day when the scheduler reactivates, or until reactivated by hand.
pub async fn deactivate(mut req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let body: DeactivateRequest = json_body(&mut req).await?;
    let now = ctx.now;
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::Deactivate).await?;
    transition_allowed(&record, Transition::Deactivate)?;
    let mut statements = guards(&db, &record, UserAction::Deactivate)?;
    let period = DeactivationPeriod::parse(body.from.as_deref(), body.until.as_deref(), today(now)).map_err(|error| {
        ApiError::Validation(vec![FieldIssue { field: error.field().into(), code: "period".into(), message: Message::Period(error).text(ctx.lang) }])
    })?;
    let until = period.until.map(|d| d.to_string());
    let actor = Actor::of(&me);
    let until_note = until.as_deref().map(|u| format!(" until {u}")).unwrap_or_default();
    statements.extend(if period.starts_now(today(now)) {
        vec![
            store::users::deactivate_statement(&db, UserId(user_id), until.as_deref(), now)?,
            end_sessions(&db, user_id)?,
            history::record(
                &db,
                Event {
                    organization_id: &me.organization.id,
                    user_id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::Deactivated,
                    details: until_note.trim().to_owned(),
                },
            )?,
        ]
    } else {
        let from = period.from.to_string();
        vec![
            store::users::schedule_deactivation_statement(&db, UserId(user_id), &from, until.as_deref(), now)?,
            history::record(
                &db,
                Event {
                    organization_id: &me.organization.id,
                    user_id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::DeactivationScheduled,
                    details: format!("from {from}{until_note}"),
                },
            )?,
        ]
    });
    commit(&db, statements).await?;
    json(&find_user(&db, &me.organization.id, user_id).await?.detail()?)
}

/// `POST /api/users/{id}/reactivation`
pub async fn reactivate(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let now = ctx.now;
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::Reactivate).await?;
    transition_allowed(&record, Transition::Reactivate)?;
    let actor = Actor::of(&me);
    commit(
        &db,
        vec![
            expect_status(&db, UserId(user_id), record.status.as_str())?,
            store::users::reactivate_statement(&db, UserId(user_id), now)?,
            history::record(
                &db,
                Event {
                    organization_id: &me.organization.id,
                    user_id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::Reactivated,
                    details: String::new(),
                },
            )?,
        ],
    )
    .await?;
    json(&find_user(&db, &me.organization.id, user_id).await?.detail()?)
}

/// `DELETE /api/users/{id}`: irreversible. The row stays as a tombstone (id,
/// deletion time, actor) so history stays readable; personal data is erased,
/// sessions end, secrets are consumed and queued e-mails cancelled.
pub async fn delete(_req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let now = ctx.now;
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::Delete).await?;
    transition_allowed(&record, Transition::Delete)?;
    let actor = Actor::of(&me);
    commit(&db, delete_statements(&db, &record, &actor, String::new(), now)?).await?;
    no_content()
}

/// `user_form::changed_fields` for `record`, its CPR number opened only if
/// the edit sets one to compare with.
pub fn changed_fields(vault: &Vault, record: &UserRecord, fields: &UserFields) -> Vec<&'static str> {
    let stored = StoredUser {
        first_name: &record.first_name,
        last_name: &record.last_name,
        email: &record.email,
        has_cpr: record.cpr_sealed.is_some(),
        birth_date: record.birth_date.as_deref(),
        phone: record.phone.as_deref(),
        p_number: record.p_number.as_deref(),
        se_number: record.se_number.as_deref(),
        identity_means: &record.identity_means,
        may_sign: record.may_sign,
        may_seal: record.may_seal,
        scope: &record.scope,
        free: [&record.free1, &record.free2, &record.free3],
    };
    user_form::changed_fields(&stored, fields, || record.cpr_sealed.as_deref().and_then(|sealed| vault.open_cpr(sealed, &record.id).ok()))
}

/// The first statements of a batch that does `action` to `record`: the
/// user's status is still the one decided on, and the last active
/// organization administrator stays.
pub fn guards(db: &Db, record: &UserRecord, action: UserAction) -> ApiResult<Vec<Statement>> {
    let mut statements = vec![expect_status(db, UserId(&record.id), record.status.as_str())?];
    if needs_another_organization_admin(record.role, record.status, action) {
        statements.push(expect_another_organization_admin(db, OrganizationId(&record.organization_id), UserId(&record.id))?);
    }
    Ok(statements)
}

/// The statements that store an edit of `record`, with its event naming the
/// changed fields (never their values); `None` when nothing changes. A
/// pending user whose e-mail, CPR number or birth date changes goes back to
/// `created`: the link or code already handed out, and the e-mails queued
/// for it, were for the old details, so the administrator sends again.
pub fn update_statements(
    db: &Db,
    vault: &Vault,
    record: &UserRecord,
    fields: &UserFields,
    actor: &Actor,
    suffix: &str,
    now: i64,
) -> ApiResult<Option<Vec<Statement>>> {
    let user_id = record.id.as_str();
    let changed = changed_fields(vault, record, fields);
    if changed.is_empty() {
        return Ok(None);
    }
    let (cpr_sealed, cpr_lookup, cpr_masked) = match &fields.cpr {
        CprChange::Keep => (record.cpr_sealed.clone(), None, record.cpr_masked.clone()),
        CprChange::Remove => (None, None, None),
        CprChange::Set(cpr) => sealed_cpr(vault, &record.organization_id, user_id, cpr)?,
    };
    let withdraws_activation = record.status == UserStatus::Pending && changes_proof(&changed);

    let mut statements = guards(db, record, UserAction::Edit)?;
    let cpr = CprColumns { sealed: cpr_sealed.as_deref(), lookup: cpr_lookup.as_deref(), masked: cpr_masked.as_deref() };
    statements.push(store::users::update_statement(db, UserId(user_id), fields, cpr, &search_text(fields), now)?);
    if withdraws_activation {
        statements.extend(store::users::withdraw_activation_statements(db, UserId(user_id), now)?);
    }
    let withdrawn = if withdraws_activation { "; the activation sent before was withdrawn: send again" } else { "" };
    statements.push(history::record(
        db,
        Event {
            organization_id: &record.organization_id,
            user_id,
            at: now,
            actor,
            action: HistoryAction::Updated,
            details: format!("Changed: {}{withdrawn}{suffix}", changed.join(", ")),
        },
    )?);
    Ok(Some(statements))
}

/// The statements that delete a user for good, leaving the tombstone.
pub fn delete_statements(db: &Db, record: &UserRecord, actor: &Actor, details: String, now: i64) -> ApiResult<Vec<Statement>> {
    let user_id = record.id.as_str();
    let mut statements = guards(db, record, UserAction::Delete)?;
    statements.extend(store::users::delete_statements(db, UserId(user_id), actor.id.as_deref().map(UserId), now)?);
    statements.extend([
        history::record(
            db,
            Event { organization_id: &record.organization_id, user_id, at: now, actor, action: HistoryAction::Deleted, details },
        )?,
    ]);
    Ok(statements)
}

/// `PUT /api/users/{id}/role {role}`: an organization administrator appoints
/// or removes user administrators (`steward_domain::authz::may_set_role`).
pub async fn set_role(mut req: Request, ctx: &Ctx<'_>, me: Admin, user_id: &str) -> ApiResult<Response> {
    let body: RoleChange = json_body(&mut req).await?;
    let db = &ctx.db;
    let record = find_actionable_user(&db, &me, user_id, UserAction::ChangeRole).await?;
    let current = record.role;
    enforce(may_set_role(me.role, me.id == user_id, current, body.role), &me, &format!("change the role of {user_id}"))?;
    if current == body.role {
        return json(&record.detail()?);
    }
    let now = ctx.now;
    let actor = Actor::of(&me);
    commit(
        &db,
        vec![
            expect_status(&db, UserId(user_id), record.status.as_str())?,
            store::users::set_role_statement(&db, UserId(user_id), body.role, now)?,
            history::record(
                &db,
                Event {
                    organization_id: &me.organization.id,
                    user_id,
                    at: now,
                    actor: &actor,
                    action: HistoryAction::RoleChanged,
                    details: format!("from {} to {}", current.label(), body.role.label()),
                },
            )?,
        ],
    )
    .await?;
    json(&find_user(&db, &me.organization.id, user_id).await?.detail()?)
}
