//! Bulk create, edit and delete (product.md §5): the browser uploads checked
//! rows in chunks; each chunk is checked again here with the same checker,
//! plus what only stored data can tell, and applied as one D1 batch. A
//! chunk's (import, sequence) key makes a chunk sent twice apply once.

use serde::Deserialize;
use steward_domain::api::{GroupInfo, GroupKind, Me};
use steward_domain::applications::may_revoke;
use steward_domain::authz::{Decision, UserAction};
use steward_domain::bulk::check::Finding;
use steward_domain::bulk::import::{
    chunk_shape_problem, recheck, row_change, BulkRow, ChunkResult, Edit, Grants, ImportChunk, Keys, Outcome, RowChange, RowOutcome,
    MAX_CHUNK_BYTES,
};
use steward_domain::bulk::template::Column;
use steward_domain::fields::{mask_cpr_input, parse_uuid};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user_form::{FieldIssue, Stored, UserFields, UserInput};
use steward_domain::vault::Vault;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::env::Env;

use crate::applications::{grant_statements, revoke_statements, Granter};
use crate::crypto::new_uuid;
use crate::groups::{all_groups, join_statements, leave_statements};
use crate::db::{commit, int, values};
use crate::error::{ApiError, ApiResult};
use crate::history::Actor;
use crate::http::{check_origin, json, json_body_up_to, lang, now};
use crate::session::authenticate_administrator;
use crate::applications::ensure_may_hand_over;
use crate::users::{
    changed_fields, changes_proof, delete_statements, find_actionable_user, insert_statements, stored_conflicts, today, update_statements, Known,
    UserRecord,
};
use crate::vault::vault;

/// D1 runs at most this many statements per Worker invocation.
const MAX_STATEMENTS: usize = 1000;

#[derive(Debug, Deserialize)]
struct StoredChunk {
    result: String,
    organization_id: String,
}

/// `POST /api/imports/{import_id}/chunks/{seq}`
pub async fn apply_chunk(mut req: Request, env: &Env, import_id: &str, seq: &str) -> ApiResult<Response> {
    check_origin(&req)?;
    let me = authenticate_administrator(&req, env).await?;
    let import_id = parse_uuid(import_id).map_err(|_| ApiError::NotFound)?;
    let seq: u32 = seq.parse().map_err(|_| ApiError::NotFound)?;
    let db = env.d1("DB")?;
    if let Some(result) = stored_result(&db, &import_id, seq, &me.organization.id).await? {
        return json(&result);
    }
    let chunk: ImportChunk = json_body_up_to(&mut req, MAX_CHUNK_BYTES).await?;
    if let Some(problem) = chunk_shape_problem(&chunk) {
        return Err(ApiError::InvalidBody(problem));
    }
    let lang = lang(&req);
    let now = now();
    let findings = recheck(&chunk, today(now), lang);
    if !findings.is_empty() {
        return Err(ApiError::RowsRejected(findings));
    }

    let vault = vault(env)?;
    let actor = Actor::of(&me);
    let details = format!("by bulk {} {import_id}", chunk.operation.as_str());
    let mut statements = vec![
        db.prepare(
            "INSERT OR IGNORE INTO imports (id, organization_id, operation, actor_id, actor_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(&[
            import_id.as_str().into(),
            me.organization.id.as_str().into(),
            chunk.operation.as_str().into(),
            me.id.as_str().into(),
            actor.name.as_str().into(),
            int(now),
        ])?,
    ];
    let changes: Vec<Result<RowChange, Vec<FieldIssue>>> =
        chunk.rows.iter().map(|row| row_change(chunk.operation, row, today(now), lang)).collect();
    // What stored data says about all the chunk's new users, read at once.
    let creates: Vec<&UserFields> = changes
        .iter()
        .filter_map(|change| match change {
            Ok(RowChange::Create(fields, _)) => Some(fields.as_ref()),
            _ => None,
        })
        .collect();
    let known = Known::read(&db, &vault, &me.organization.id, &creates, None).await?;
    let wants_grants = changes.iter().any(|change| match change {
        Ok(RowChange::Create(_, grants)) => !grants.is_empty(),
        Ok(RowChange::Edit(edit)) => !edit.grants.is_empty(),
        _ => false,
    });
    let granting = if wants_grants { Some(Granting::read(&db, &me).await?) } else { None };
    let mut outcomes = Vec::with_capacity(chunk.rows.len());
    let mut rejected = Vec::new();
    for (row, change) in chunk.rows.iter().zip(changes) {
        let planned = plan_row(&db, &vault, &known, granting.as_ref(), &me, change, &actor, &details, now, lang).await?;
        match planned {
            Ok((outcome, user_id, row_statements)) => {
                statements.extend(row_statements);
                outcomes.push(RowOutcome { row: row.row, outcome, user_id: Some(user_id), reason: None });
            }
            Err(issues) => rejected.extend(issues.into_iter().map(|issue| finding(row, issue))),
        }
    }
    if !rejected.is_empty() {
        return Err(ApiError::RowsRejected(rejected));
    }
    // Two more follow: the chunk's own row and the audit event.
    let needed = statements.len() + 2;
    if needed > MAX_STATEMENTS {
        return Err(ApiError::InvalidBody(format!(
            "the chunk needs {needed} statements; D1 runs at most {MAX_STATEMENTS}: send fewer rows per chunk"
        )));
    }
    let result = ChunkResult { seq, outcomes, replayed: false };
    let stored = serde_json::to_string(&result).map_err(|error| ApiError::Internal(error.to_string()))?;
    // First in the batch: a replay racing this one fails here, and the whole
    // batch with it.
    statements.insert(
        1,
        db.prepare("INSERT INTO import_chunks (import_id, seq, rows, result, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(&[import_id.as_str().into(), int(seq.into()), int(chunk.rows.len() as i64), stored.into(), int(now)])?,
    );
    // The import in the organization's audit log: one event, its count of
    // rows brought up to date by every chunk.
    statements.push(
        db.prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             VALUES ('import:' || ?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?8 || ': ' || (SELECT sum(rows) FROM import_chunks WHERE import_id = ?1) || ' rows applied') \
             ON CONFLICT (id) DO UPDATE SET details = excluded.details",
        )
        .bind(&[
            import_id.as_str().into(),
            me.organization.id.as_str().into(),
            int(now),
            me.id.as_str().into(),
            actor.name.as_str().into(),
            HistoryAction::Imported.as_str().into(),
            HistoryAction::Imported.label().into(),
            format!("bulk {}", chunk.operation.as_str()).into(),
        ])?,
    );
    match commit(&db, statements).await {
        Ok(()) => json(&result),
        Err(error) => match stored_result(&db, &import_id, seq, &me.organization.id).await? {
            Some(result) => json(&result),
            None => Err(match error {
                ApiError::Internal(detail) if detail.contains("UNIQUE") => ApiError::Conflict(
                    "A user in this chunk was saved by someone else at the same time; check the file again and resend.".into(),
                ),
                other => other,
            }),
        },
    }
}

/// The stored result of a chunk applied before; another organization's
/// import id answers 404.
async fn stored_result(db: &Db, import_id: &str, seq: u32, organization_id: &str) -> ApiResult<Option<ChunkResult>> {
    let stored: Option<StoredChunk> = db
        .prepare(
            "SELECT c.result, i.organization_id FROM import_chunks c JOIN imports i ON i.id = c.import_id \
             WHERE c.import_id = ?1 AND c.seq = ?2",
        )
        .bind(&[import_id.into(), int(seq.into())])?
        .first(None)
        .await?;
    match stored {
        None => Ok(None),
        Some(stored) if stored.organization_id != organization_id => Err(ApiError::NotFound),
        Some(stored) => {
            let mut result: ChunkResult =
                serde_json::from_str(&stored.result).map_err(|error| ApiError::Internal(error.to_string()))?;
            result.replayed = true;
            Ok(Some(result))
        }
    }
}

fn finding(row: &BulkRow, issue: FieldIssue) -> Finding {
    let column = steward_domain::bulk::template::COLUMNS
        .iter()
        .find(|column| column.header() == issue.field || column.alias() == issue.field)
        .copied();
    let value = column.map(|column| {
        let raw = row.cells.get(column.number() - 1).map(String::as_str).unwrap_or("");
        if column == Column::Cpr { mask_cpr_input(raw) } else { raw.chars().take(100).collect() }
    });
    Finding {
        row: row.row,
        column: column.map(Column::number),
        header: column.map(|column| column.header().to_owned()),
        code: issue.code,
        message: issue.message,
        value: value.filter(|v| !v.is_empty() && v != "-****"),
    }
}

type Planned = Result<(Outcome, String, Vec<Statement>), Vec<FieldIssue>>;

/// What one row changes, as statements, or why it cannot.
#[allow(clippy::too_many_arguments)]
async fn plan_row(
    db: &Db,
    vault: &Vault,
    known: &Known,
    granting: Option<&Granting>,
    me: &Me,
    change: Result<RowChange, Vec<FieldIssue>>,
    actor: &Actor,
    details: &str,
    now: i64,
    lang: Lang,
) -> ApiResult<Planned> {
    let change = match change {
        Ok(change) => change,
        Err(issues) => return Ok(Err(issues)),
    };
    let organization_id = me.organization.id.as_str();
    Ok(match change {
        RowChange::Create(fields, grants) => {
            let conflicts = known.conflicts(vault, organization_id, &fields, lang);
            if !conflicts.is_empty() {
                return Ok(Err(conflicts));
            }
            let id = new_uuid()?;
            let mut statements = insert_statements(db, vault, organization_id, &id, &fields, actor, details.to_owned(), now)?;
            if let Some(granting) = granting {
                match granting.plan(db, me, &id, true, &grants, now).await? {
                    Ok(more) => statements.extend(more),
                    Err(issues) => return Ok(Err(issues)),
                }
            }
            Ok((Outcome::Created, id, statements))
        }
        RowChange::Edit(edit) => {
            let record = match resolve(db, vault, me, &edit.keys, UserAction::Edit, lang).await? {
                Ok(record) => record,
                Err(issue) => return Ok(Err(vec![issue])),
            };
            let fields = match edited_fields(&record, &edit, now, lang) {
                Ok(fields) => fields,
                Err(issues) => return Ok(Err(issues)),
            };
            if changes_proof(&changed_fields(vault, &record, &fields)) {
                if let Err(ApiError::ForbiddenBecause(reason)) = ensure_may_hand_over(db, me, &record).await {
                    return Ok(Err(vec![refusal(Column::BirthDate, "not_allowed", reason.into())]));
                }
            }
            let conflicts = stored_conflicts(db, vault, organization_id, &fields, Some(&record.id), lang).await?;
            if !conflicts.is_empty() {
                return Ok(Err(conflicts));
            }
            let mut statements = update_statements(db, vault, &record, &fields, actor, &format!(" ({details})"), now)?.unwrap_or_default();
            if let Some(granting) = granting {
                match granting.plan(db, me, &record.id, false, &edit.grants, now).await? {
                    Ok(more) => statements.extend(more),
                    Err(issues) => return Ok(Err(issues)),
                }
            }
            Ok((Outcome::Updated, record.id, statements))
        }
        RowChange::Delete(keys) => {
            let record = match resolve(db, vault, me, &keys, UserAction::Delete, lang).await? {
                Ok(record) => record,
                Err(issue) => return Ok(Err(vec![issue])),
            };
            let statements = delete_statements(db, &record, actor, details.to_owned(), now)?;
            Ok((Outcome::Deleted, record.id, statements))
        }
    })
}

/// The stored user with the edit's filled cells applied, through the form's
/// own rules.
fn edited_fields(record: &UserRecord, edit: &Edit, now: i64, lang: Lang) -> Result<UserFields, Vec<FieldIssue>> {
    let or = |new: Option<String>, old: &Option<String>| new.or_else(|| old.clone()).unwrap_or_default();
    let input = UserInput {
        first_name: edit.first_name.as_ref().map_or(record.first_name.clone(), |n| n.as_str().to_owned()),
        last_name: edit.last_name.as_ref().map_or(record.last_name.clone(), |n| n.as_str().to_owned()),
        email: record.email.clone(),
        cpr: None,
        birth_date: or(edit.birth_date.map(|d| d.to_string()), &record.birth_date),
        phone: or(edit.phone.clone(), &record.phone),
        p_number: or(edit.p_number.clone(), &record.p_number),
        se_number: or(edit.se_number.clone(), &record.se_number),
        identity_means: edit
            .identity_means
            .as_ref()
            .map_or(record.identity_means.clone(), |means| means.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(",")),
        anonymous: None,
        may_sign: edit.may_sign.unwrap_or(record.may_sign != 0),
        may_seal: edit.may_seal.unwrap_or(record.may_seal != 0),
        scope: record.scope.clone(),
        free1: record.free1.clone(),
        free2: record.free2.clone(),
        free3: record.free3.clone(),
    };
    let stored = Stored { has_cpr: record.cpr_sealed.is_some(), anonymous: record.anonymous != 0 };
    UserFields::parse(&input, Some(stored), today(now), lang)
}

#[derive(Debug, Deserialize)]
struct FoundId {
    id: String,
}

/// The one user of the organization the row's keys name, or why not.
async fn resolve(db: &Db, vault: &Vault, me: &Me, keys: &Keys, action: UserAction, lang: Lang) -> ApiResult<Result<UserRecord, FieldIssue>> {
    let organization_id = me.organization.id.as_str();
    let mut found: Vec<(Column, Option<String>)> = Vec::new();
    let lookup = |sql: &'static str, value: String| {
        let statement = db.prepare(sql).bind(&[organization_id.into(), value.into()]);
        async move { ApiResult::Ok(statement?.first::<FoundId>(None).await?.map(|row| row.id)) }
    };
    if let Some(uuid) = &keys.uuid {
        found.push((Column::Uuid, lookup(BY_ID, uuid.clone()).await?));
    }
    if let Some(email) = &keys.email {
        found.push((Column::Email, lookup(BY_EMAIL, email.normalized()).await?));
    }
    if let Some(cpr) = &keys.cpr {
        found.push((Column::Cpr, lookup(BY_CPR, vault.cpr_lookup(organization_id, cpr)).await?));
    }
    let text = |texts: (&str, &str, &str)| lang.pick(texts).to_owned();
    if let Some((column, _)) = found.iter().find(|(_, id)| id.is_none()) {
        return Ok(Err(user_not_found(*column, lang)));
    }
    let ids: Vec<&str> = found.iter().filter_map(|(_, id)| id.as_deref()).collect();
    if ids.windows(2).any(|pair| pair[0] != pair[1]) {
        return Ok(Err(FieldIssue {
            field: Column::Uuid.header().into(),
            code: "keys_disagree".into(),
            message: text((
                "Nøglerne i rækken peger på forskellige brugere.",
                "The row's keys point to different users.",
                "Die Schlüssel der Zeile verweisen auf verschiedene Benutzer.",
            )),
        }));
    }
    match find_actionable_user(db, me, ids[0], action).await {
        Ok(record) => Ok(Ok(record)),
        // An administrator's row, for a user administrator, or the importer's own deletion.
        Err(ApiError::ForbiddenBecause(reason)) => Ok(Err(refusal(found[0].0, "not_allowed", reason.into()))),
        // In the `owned` model, another administrator's user is not found either.
        Err(ApiError::NotFound) => Ok(Err(user_not_found(found[0].0, lang))),
        Err(error) => Err(error),
    }
}

fn user_not_found(column: Column, lang: Lang) -> FieldIssue {
    FieldIssue {
        field: column.header().into(),
        code: "user_not_found".into(),
        message: lang
            .pick((
                "Ingen bruger i organisationen har denne værdi.",
                "No user of the organization has this value.",
                "Kein Benutzer der Organisation hat diesen Wert.",
            ))
            .into(),
    }
}

// The look-up of each key among the organization's live users.
const BY_ID: &str = "SELECT id FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND id = ?2";
const BY_EMAIL: &str = "SELECT id FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND email_normalized = ?2";
const BY_CPR: &str = "SELECT id FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND cpr_lookup = ?2";

/// What a chunk's Rettigheder and Brugergrupper cells are checked against,
/// read once: the organization's applications and groups, and the roles the
/// importing administrator holds (delegation never escalates, by file either).
struct Granting {
    granter: Granter,
    groups: Vec<GroupInfo>,
}

fn refusal(column: Column, code: &str, message: String) -> FieldIssue {
    FieldIssue { field: column.header().into(), code: code.into(), message }
}

fn allowed(decision: Decision, column: Column, issues: &mut Vec<FieldIssue>) -> bool {
    match decision {
        Decision::Allow => true,
        Decision::Deny(reason) => {
            issues.push(refusal(column, "not_allowed", reason.into()));
            false
        }
    }
}

impl Granting {
    async fn read(db: &Db, me: &Me) -> ApiResult<Granting> {
        let granter = Granter::read(db, me).await?;
        let groups = all_groups(db, &me.organization.id, &granter.catalog).await?;
        Ok(Granting { granter, groups })
    }

    /// The statements that make a user's direct applications and custom
    /// groups those the row names (a new user: give them), or every reason
    /// the row cannot.
    async fn plan(
        &self,
        db: &Db,
        me: &Me,
        user_id: &str,
        new_user: bool,
        grants: &Grants,
        now: i64,
    ) -> ApiResult<Result<Vec<Statement>, Vec<FieldIssue>>> {
        let mut issues = Vec::new();
        let mut statements = Vec::new();
        let own = me.id == user_id;
        if let Some(names) = &grants.applications {
            let mut wanted = Vec::new();
            for name in names {
                match self.granter.catalog.iter().find(|a| a.name.to_lowercase() == name.to_lowercase()) {
                    Some(application) => wanted.push(application),
                    None => issues.push(refusal(Column::Roles, "unknown_application", format!("Your organization has no application named “{name}”."))),
                }
            }
            let current = if new_user { Vec::new() } else { direct_applications(db, user_id).await? };
            for application in wanted.iter().filter(|a| !current.contains(&a.id)) {
                if allowed(self.granter.may_grant(me, user_id, application), Column::Roles, &mut issues) {
                    statements.extend(grant_statements(db, me, user_id, application, now)?);
                }
            }
            for application in self.granter.catalog.iter().filter(|a| current.contains(&a.id) && !wanted.iter().any(|w| w.id == a.id)) {
                if allowed(may_revoke(me.role, own), Column::Roles, &mut issues) {
                    statements.extend(revoke_statements(db, me, user_id, application, now)?);
                }
            }
        }
        if let Some(names) = &grants.groups {
            let mut wanted = Vec::new();
            for name in names {
                match self.groups.iter().find(|g| g.name.to_lowercase() == name.to_lowercase()) {
                    Some(group) if group.kind == GroupKind::System => issues.push(refusal(
                        Column::Groups,
                        "system_group",
                        format!("“{}” is the system group of a P-unit; its members follow the P-number.", group.name),
                    )),
                    Some(group) => wanted.push(group),
                    None => issues.push(refusal(Column::Groups, "unknown_group", format!("Your organization has no group named “{name}”."))),
                }
            }
            let current = if new_user { Vec::new() } else { memberships(db, user_id).await? };
            for group in wanted.iter().filter(|g| !current.contains(&g.id)) {
                if allowed(self.granter.may_add_to_group(me, user_id, group), Column::Groups, &mut issues) {
                    statements.extend(join_statements(db, me, group, user_id, now)?);
                }
            }
            for group in self.groups.iter().filter(|g| current.contains(&g.id) && !wanted.iter().any(|w| w.id == g.id)) {
                if allowed(may_revoke(me.role, own), Column::Groups, &mut issues) {
                    statements.extend(leave_statements(db, me, group, user_id, now)?);
                }
            }
        }
        Ok(if issues.is_empty() { Ok(statements) } else { Err(issues) })
    }
}

async fn direct_applications(db: &Db, user_id: &str) -> ApiResult<Vec<String>> {
    values(db, "SELECT application_id AS value FROM user_applications WHERE user_id = ?1", vec![user_id.into()]).await
}

async fn memberships(db: &Db, user_id: &str) -> ApiResult<Vec<String>> {
    values(db, "SELECT group_id AS value FROM group_members WHERE user_id = ?1", vec![user_id.into()]).await
}
