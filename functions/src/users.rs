//! The organization's users, as its administrators see and manage them
//! (product.md §2, §4): list and search, create, view, edit, deactivate,
//! reactivate, delete.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use steward_domain::activation::ActivationPath;
use steward_domain::api::{DeactivateRequest, RoleChange, UserDetail, UserSummary, UsersPage};
use steward_domain::api::Me;
use steward_domain::authz::{manages, Decision, manages_everyone, may_act_on, may_set_role, needs_another_organization_admin, ManagementModel, UserAction};
use steward_domain::fields::{Cpr, Date, IdentityMeans};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::{DeactivationPeriod, HistoryAction, Transition};
use steward_domain::pagination::{page_size, UserCursor};
use steward_domain::user::{Role, UserStatus};
use steward_domain::user_form::{self, changes_proof, may_tell_cpr_taken, CprChange, FieldIssue, Stored, StoredConflict, StoredUser, UserFields, UserInput};
use steward_domain::vault::Vault;
use wasm_bindgen::JsValue;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::applications::ensure_may_hand_over;
use crate::crypto::new_uuid;
use crate::db::{self, commit, expect_another_organization_admin, expect_status, flag, int, opt_text, values};
use crate::error::{ApiError, ApiResult};
use crate::history::{self, Actor, Event};
use crate::http::{created, json, json_body, no_content, query};
use crate::session::enforce;
use crate::store::{self, ids::{OrganizationId, UserId}};
use crate::vault::nonce;

/// A user's stored record, as the handlers need it.
#[derive(Debug, Deserialize)]
pub struct UserRecord {
    pub id: String,
    pub organization_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub cpr_sealed: Option<String>,
    pub cpr_masked: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub p_number: Option<String>,
    pub se_number: Option<String>,
    pub identity_means: String,
    pub anonymous: i64,
    pub may_sign: i64,
    pub may_seal: i64,
    pub scope: String,
    pub free1: String,
    pub free2: String,
    pub free3: String,
    pub role: String,
    pub status: String,
    pub language: Option<String>,
    pub registration_deadline: Option<i64>,
    pub deactivate_from: Option<String>,
    pub deactivate_until: Option<String>,
    pub code_locked: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRecord {
    pub fn status(&self) -> ApiResult<UserStatus> {
        UserStatus::parse(&self.status).ok_or_else(|| ApiError::Internal(format!("unknown status {}", self.status)))
    }

    pub fn role(&self) -> ApiResult<Role> {
        Role::parse(&self.role).ok_or_else(|| ApiError::Internal(format!("unknown role {}", self.role)))
    }

    pub fn activation_path(&self) -> ActivationPath {
        ActivationPath::for_user(self.cpr_sealed.is_some())
    }

    pub fn detail(self) -> ApiResult<UserDetail> {
        let role = self.role()?;
        Ok(UserDetail {
            status: self.status()?,
            activation_path: self.activation_path(),
            role,
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
            anonymous: self.anonymous != 0,
            may_sign: self.may_sign != 0,
            may_seal: self.may_seal != 0,
            scope: self.scope,
            free1: self.free1,
            free2: self.free2,
            free3: self.free3,
            registration_deadline: self.registration_deadline,
            code_locked: self.code_locked != 0,
            deactivate_from: self.deactivate_from,
            deactivate_until: self.deactivate_until,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const RECORD_COLUMNS: &str = "id, organization_id, first_name, last_name, email, cpr_sealed, cpr_masked, birth_date, phone, \
     p_number, se_number, identity_means, anonymous, may_sign, may_seal, scope, free1, free2, free3, role, status, language, \
     registration_deadline, deactivate_from, deactivate_until, created_at, updated_at, \
     EXISTS (SELECT 1 FROM activation_secrets s WHERE s.user_id = users.id AND s.consumed_at IS NULL AND s.locked_at IS NOT NULL) AS code_locked";

/// A user of the organization that is not deleted; anything else is 404, so
/// that another organization's ids reveal nothing.
pub async fn find_user(db: &Db, organization_id: &str, user_id: &str) -> ApiResult<UserRecord> {
    db.prepare(format!("SELECT {RECORD_COLUMNS} FROM users WHERE id = ?1 AND organization_id = ?2 AND status <> 'deleted'"))
        .bind(&[user_id.into(), organization_id.into()])?
        .first(None)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The organization's management model (see `store::management`).
pub async fn management_model(db: &Db, organization_id: &str) -> ApiResult<ManagementModel> {
    store::management::management_model(db, OrganizationId(organization_id)).await
}

/// The organization's live users among `user_ids`, read at once (another
/// organization's ids are simply not among them).
pub async fn find_users(db: &Db, organization_id: &str, user_ids: &[String]) -> ApiResult<Vec<UserRecord>> {
    Ok(db
        .all_for_keys(
            &format!("SELECT {RECORD_COLUMNS} FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id IN ({{keys}})"),
            &[organization_id.into()],
            user_ids,
        )
        .await?)
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
    match may_act_on(me.role, me.id == record.id, record.role()?, action) {
        // Acting on oneself is refused as a conflict with one's own account, as it always was.
        Decision::Deny(reason) if me.id == record.id => Err(ApiError::Conflict(reason.into())),
        decision => enforce(decision, me, &format!("{action:?} user {}", record.id)),
    }
}

/// The organization's settings that users' handlers read.
#[derive(Debug, Deserialize)]
pub struct OrganizationSettings {
    pub activation_link_days: i64,
    pub registration_period_days: i64,
    pub default_language: String,
    pub identity_means: String,
}

pub async fn organization_settings(db: &Db, organization_id: &str) -> ApiResult<OrganizationSettings> {
    db.prepare("SELECT activation_link_days, registration_period_days, default_language, identity_means FROM organizations WHERE id = ?1")
        .bind(&[organization_id.into()])?
        .first(None)
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
            UserCursor::decode(cursor).ok_or_else(|| ApiError::InvalidQuery("`after` is not a cursor from this list".into()))?,
        ),
        None => None,
    };
    let limit = page_size(query.limit);
    let needle = query.q.unwrap_or_default().trim().to_lowercase();
    let db = &ctx.db;
    let managed_by = (!manages_everyone(management_model(&db, &me.organization.id).await?, me.role)).then_some(UserId(&me.id));
    // One row more than asked tells whether another page follows.
    let mut rows = db::users_page(&db, OrganizationId(&me.organization.id), &needle, managed_by, after.as_ref(), limit + 1).await?;
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

/// D1 binds at most 100 parameters per statement.
const IN_LIST: usize = 90;

/// Which of `keys` are in `column` for another live user of the organization.
async fn taken(db: &Db, organization_id: &str, column: &str, keys: &[String], except: &str) -> ApiResult<HashSet<String>> {
    let mut found = HashSet::new();
    for group in keys.chunks(IN_LIST) {
        let placeholders: Vec<String> = (0..group.len()).map(|i| format!("?{}", i + 3)).collect();
        let sql = format!(
            "SELECT {column} AS value FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id <> ?2 AND {column} IN ({})",
            placeholders.join(", ")
        );
        let mut binds: Vec<JsValue> = vec![organization_id.into(), except.into()];
        binds.extend(group.iter().map(|key| JsValue::from(key.as_str())));
        found.extend(values::<Vec<String>>(db, &sql, binds).await?);
    }
    Ok(found)
}

impl Known {
    pub async fn read(
        db: &Db,
        vault: &Vault,
        organization_id: &str,
        users: &[&UserFields],
        except_user: Option<&str>,
    ) -> ApiResult<Known> {
        let except = except_user.unwrap_or("");
        let emails: Vec<String> = users.iter().map(|fields| fields.email.normalized()).collect();
        let cprs: Vec<String> = users
            .iter()
            .flat_map(|fields| match &fields.cpr {
                CprChange::Set(cpr) => vault.cpr_lookups(organization_id, cpr),
                CprChange::Keep | CprChange::Remove => Vec::new(),
            })
            .collect();
        Ok(Known {
            taken_emails: taken(db, organization_id, "email_normalized", &emails, except).await?,
            taken_cprs: taken(db, organization_id, "cpr_lookup", &cprs, except).await?,
            p_numbers: values(db, "SELECT p_number AS value FROM production_units WHERE organization_id = ?1", vec![organization_id.into()]).await?,
            se_numbers: values(db, "SELECT se_number AS value FROM se_numbers WHERE organization_id = ?1", vec![organization_id.into()]).await?,
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
    let insert = db
        .prepare(
            "INSERT INTO users (id, organization_id, first_name, last_name, email, email_normalized, role, status, \
               cpr_sealed, cpr_lookup, cpr_masked, birth_date, phone, p_number, se_number, identity_means, anonymous, \
               may_sign, may_seal, scope, free1, free2, free3, search_text, created_by, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'user', 'created', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
               ?19, ?20, ?21, ?22, ?23, ?24, ?24)",
        )
        .bind(&[
            id.into(),
            organization_id.into(),
            fields.first_name.as_str().into(),
            fields.last_name.as_str().into(),
            fields.email.as_str().into(),
            fields.email.normalized().into(),
            opt_text(cpr_sealed.as_deref()),
            opt_text(cpr_lookup.as_deref()),
            opt_text(cpr_masked.as_deref()),
            opt_text(fields.birth_date.map(|d| d.to_string()).as_deref()),
            opt_text(fields.phone.as_deref()),
            opt_text(fields.p_number.as_deref()),
            opt_text(fields.se_number.as_deref()),
            IdentityMeans::list_text(&fields.identity_means).into(),
            flag(fields.anonymous),
            flag(fields.may_sign),
            flag(fields.may_seal),
            fields.scope.as_str().into(),
            fields.free[0].as_str().into(),
            fields.free[1].as_str().into(),
            fields.free[2].as_str().into(),
            search_text(fields).into(),
            opt_text(actor.id.as_deref()),
            int(now),
        ])?;
    let event = history::record(
        db,
        Event { organization_id, user_id: id, at: now, actor, action: HistoryAction::Created, details },
    )?;
    let mut statements = vec![insert, event];
    // The creator manages the user, and so do those the creator stands in for.
    if let Some(creator) = actor.id.as_deref() {
        statements.push(
            db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) VALUES (?1, ?2)").bind(&[id.into(), creator.into()])?,
        );
        statements.push(
            db.prepare("INSERT OR IGNORE INTO user_managers (user_id, admin_id) SELECT ?1, administrator_id FROM deputies WHERE deputy_id = ?2")
                .bind(&[id.into(), creator.into()])?,
        );
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
            ApiError::Conflict("Another user of the organization has just been saved with this e-mail address or CPR number.".into())
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
    let stored = Stored { has_cpr: record.cpr_sealed.is_some(), anonymous: record.anonymous != 0 };
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
    record.status()?.after(transition).map_err(|error| ApiError::Conflict(capitalized(&error.to_string())))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>() + ".").unwrap_or_default()
}

/// Ends every session of a user: they can no longer act.
pub fn end_sessions(db: &Db, user_id: &str) -> ApiResult<Statement> {
    Ok(db.prepare("DELETE FROM sessions WHERE user_id = ?1").bind(&[user_id.into()])?)
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
        ApiError::Validation(vec![FieldIssue { field: error.field().into(), code: "period".into(), message: capitalized(&error.to_string()) }])
    })?;
    let until = period.until.map(|d| d.to_string());
    let actor = Actor::of(&me);
    let until_note = until.as_deref().map(|u| format!(" until {u}")).unwrap_or_default();
    statements.extend(if period.starts_now(today(now)) {
        vec![
            db.prepare("UPDATE users SET status = 'deactivated', deactivate_from = NULL, deactivate_until = ?2, updated_at = ?3 WHERE id = ?1")
                .bind(&[user_id.into(), opt_text(until.as_deref()), int(now)])?,
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
            db.prepare("UPDATE users SET deactivate_from = ?2, deactivate_until = ?3, updated_at = ?4 WHERE id = ?1")
                .bind(&[user_id.into(), from.as_str().into(), opt_text(until.as_deref()), int(now)])?,
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
            expect_status(&db, UserId(user_id), &record.status)?,
            db.prepare("UPDATE users SET status = 'active', deactivate_from = NULL, deactivate_until = NULL, updated_at = ?2 WHERE id = ?1")
                .bind(&[user_id.into(), int(now)])?,
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
        may_sign: record.may_sign != 0,
        may_seal: record.may_seal != 0,
        scope: &record.scope,
        free: [&record.free1, &record.free2, &record.free3],
    };
    user_form::changed_fields(&stored, fields, || record.cpr_sealed.as_deref().and_then(|sealed| vault.open_cpr(sealed, &record.id).ok()))
}

/// The first statements of a batch that does `action` to `record`: the
/// user's status is still the one decided on, and the last active
/// organization administrator stays.
pub fn guards(db: &Db, record: &UserRecord, action: UserAction) -> ApiResult<Vec<Statement>> {
    let mut statements = vec![expect_status(db, UserId(&record.id), &record.status)?];
    if needs_another_organization_admin(record.role()?, record.status()?, action) {
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
    let birth_date = fields.birth_date.map(|d| d.to_string());
    let identity_means = IdentityMeans::list_text(&fields.identity_means);
    let withdraws_activation = record.status()? == UserStatus::Pending && changes_proof(&changed);

    let mut statements = guards(db, record, UserAction::Edit)?;
    statements.push(db
        .prepare(
            "UPDATE users SET first_name = ?2, last_name = ?3, email = ?4, email_normalized = ?5, cpr_sealed = ?6, \
               cpr_lookup = CASE WHEN ?7 IS NULL AND ?6 IS NOT NULL THEN cpr_lookup ELSE ?7 END, cpr_masked = ?8, \
               birth_date = ?9, phone = ?10, p_number = ?11, se_number = ?12, identity_means = ?13, may_sign = ?14, \
               may_seal = ?15, scope = ?16, free1 = ?17, free2 = ?18, free3 = ?19, search_text = ?20, updated_at = ?21 \
             WHERE id = ?1",
        )
        .bind(&[
            user_id.into(),
            fields.first_name.as_str().into(),
            fields.last_name.as_str().into(),
            fields.email.as_str().into(),
            fields.email.normalized().into(),
            opt_text(cpr_sealed.as_deref()),
            opt_text(cpr_lookup.as_deref()),
            opt_text(cpr_masked.as_deref()),
            opt_text(birth_date.as_deref()),
            opt_text(fields.phone.as_deref()),
            opt_text(fields.p_number.as_deref()),
            opt_text(fields.se_number.as_deref()),
            identity_means.as_str().into(),
            flag(fields.may_sign),
            flag(fields.may_seal),
            fields.scope.as_str().into(),
            fields.free[0].as_str().into(),
            fields.free[1].as_str().into(),
            fields.free[2].as_str().into(),
            search_text(fields).into(),
            int(now),
        ])?);
    if withdraws_activation {
        statements.extend(withdraw_activation_statements(db, user_id, now)?);
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

/// A pending user back to `created`: live links and codes stop working and
/// queued activation e-mails and reminders are not sent.
fn withdraw_activation_statements(db: &Db, user_id: &str, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare("UPDATE users SET status = 'created', registration_deadline = NULL WHERE id = ?1 AND status = 'pending'")
            .bind(&[user_id.into()])?,
        db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL")
            .bind(&[user_id.into(), int(now)])?,
        db.prepare(
            "UPDATE outbox SET status = 'cancelled', payload = NULL, recipient = '' WHERE user_id = ?1 AND status = 'pending' \
             AND kind IN ('activation_link', 'activation_code', 'registration_reminder')",
        )
        .bind(&[user_id.into()])?,
    ])
}

/// The statements that delete a user for good, leaving the tombstone.
pub fn delete_statements(db: &Db, record: &UserRecord, actor: &Actor, details: String, now: i64) -> ApiResult<Vec<Statement>> {
    let user_id = record.id.as_str();
    let mut statements = guards(db, record, UserAction::Delete)?;
    statements.extend([
        db.prepare(
            "UPDATE users SET status = 'deleted', first_name = '', last_name = '', email = '', email_normalized = '', \
               password_hash = NULL, cpr_sealed = NULL, cpr_lookup = NULL, cpr_masked = NULL, birth_date = NULL, phone = NULL, \
               p_number = NULL, se_number = NULL, scope = '', free1 = '', free2 = '', free3 = '', search_text = '', \
               registration_deadline = NULL, deactivate_from = NULL, deactivate_until = NULL, \
               deleted_at = ?2, deleted_by = ?3, updated_at = ?2 WHERE id = ?1",
        )
        .bind(&[user_id.into(), int(now), opt_text(actor.id.as_deref())])?,
        end_sessions(db, user_id)?,
        db.prepare("UPDATE activation_secrets SET consumed_at = ?2 WHERE user_id = ?1 AND consumed_at IS NULL")
            .bind(&[user_id.into(), int(now)])?,
        db.prepare("UPDATE outbox SET status = 'cancelled', payload = NULL, recipient = '' WHERE user_id = ?1 AND status = 'pending'")
            .bind(&[user_id.into()])?,
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
    let current = record.role()?;
    enforce(may_set_role(me.role, me.id == user_id, current, body.role), &me, &format!("change the role of {user_id}"))?;
    if current == body.role {
        return json(&record.detail()?);
    }
    let now = ctx.now;
    let actor = Actor::of(&me);
    commit(
        &db,
        vec![
            expect_status(&db, UserId(user_id), &record.status)?,
            db.prepare("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1")
                .bind(&[user_id.into(), body.role.as_str().into(), int(now)])?,
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
