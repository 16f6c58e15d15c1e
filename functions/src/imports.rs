//! Bulk create, edit and delete (product.md §5): the browser uploads checked
//! rows in chunks; each chunk is checked again here with the same checker,
//! plus what only stored data can tell, and applied as one D1 batch. A
//! chunk's (import, sequence) key makes a chunk sent twice apply once.

use std::collections::{HashMap, HashSet};

use steward_domain::messages::Message;
use steward_domain::api::{ApplicationInfo, GroupInfo, ImportProgress, Me, OutcomeCounts};
use steward_domain::applications::Roles;
use steward_domain::authz::{may_read_import, UserAction};
use steward_domain::bulk::check::Finding;
use steward_domain::bulk::import::{
    chunk_shape_problem, plan_grants, recheck, refusal, row_change, row_statements, BulkRow, ChunkResult, Edit, Grants, Holdings, ImportChunk,
    Importer, Keys, Outcome, RowChange, RowOutcome, MAX_CHUNK_BYTES,
};
use steward_domain::bulk::template::{Column, Operation};
use steward_domain::fields::{mask_cpr_input, parse_uuid, IdentityMeans};
use steward_domain::lang::Lang;
use steward_domain::lifecycle::HistoryAction;
use steward_domain::user_form::{changes_proof, may_tell_cpr_taken, FieldIssue, Stored, StoredConflict, UserFields, UserInput};
use steward_domain::vault::Vault;
use wasm_bindgen::JsValue;
use worker::{Request, Response};
use crate::d1::{Db, Statement};
use crate::context::Ctx;
use crate::guard::Admin;

use crate::applications::{held_roles, may_hand_over_to, Granter};
use crate::crypto::new_uuid;
use crate::groups::all_groups;
use crate::store::guards::{commit, expect_import_owner};
use crate::store::{self, ids::{ImportId, OrganizationId, UserId}, imports::{ByImport, ImportChunkRow, ImportSummaryRow, Pair, RowKey}};
use crate::error::{ApiError, ApiResult, Detail};
use crate::history::Actor;
use crate::http::{json, json_body_up_to};
use crate::users::{
    changed_fields, delete_statements, find_users, insert_statements, may_act, today, update_statements, Known, Managed,
    UserRecord,
};

/// `POST /api/imports/{import_id}/chunks/{seq}`
pub async fn apply_chunk(mut req: Request, ctx: &Ctx<'_>, me: Admin, import_id: &str, seq: &str) -> ApiResult<Response> {
    let import_id = parse_uuid(import_id).map_err(|_| ApiError::NotFound)?;
    let seq: u32 = seq.parse().map_err(|_| ApiError::NotFound)?;
    let db = &ctx.db;
    if let Some(result) = earlier_answer(&db, &import_id, seq, &me).await? {
        return json(&result);
    }
    let chunk: ImportChunk = json_body_up_to(&mut req, MAX_CHUNK_BYTES).await?;
    if let Some(problem) = chunk_shape_problem(&chunk) {
        return Err(ApiError::InvalidBody(Detail::Parser(problem)));
    }
    let lang = ctx.lang;
    let now = ctx.now;
    let findings = recheck(&chunk, today(now), lang);
    if !findings.is_empty() {
        return Err(ApiError::RowsRejected(findings));
    }

    let vault = ctx.vault()?;
    let actor = Actor::of(&me);
    let details = format!("by bulk {} {import_id}", chunk.operation.as_str());
    // The import is this organization's and this administrator's from its
    // first chunk on: its row is made by the first batch, and every batch
    // (the first too, should another organization's have raced it) rolls
    // back under someone else's.
    let mut statements = vec![
        store::imports::start_statement(
            &db,
            ImportId(&import_id),
            OrganizationId(&me.organization.id),
            chunk.operation.as_str(),
            UserId(&me.id),
            &actor.name,
            now,
        )?,
        expect_import_owner(&db, ImportId(&import_id), OrganizationId(&me.organization.id), UserId(&me.id))?,
    ];
    let changes: Vec<Result<RowChange, Vec<FieldIssue>>> =
        chunk.rows.iter().map(|row| row_change(chunk.operation, row, today(now), lang)).collect();
    let stored = StoredData::read(&db, &vault, &me, chunk.operation, &changes).await?;
    let mut outcomes = Vec::with_capacity(chunk.rows.len());
    let mut rejected = Vec::new();
    for (row, change) in chunk.rows.iter().zip(changes) {
        match plan_row(&db, &vault, &stored, &me, change, &actor, &details, now, lang)? {
            Ok((outcome, user_id, planned)) => {
                // The page cut the chunk by this count: a row that takes more
                // is a mistake here, to be caught before D1's limit is.
                let most = row_statements(chunk.operation, row);
                if planned.len() > most {
                    return Err(ApiError::Internal(format!("row {} takes {} statements; row_statements allows {most}", row.row, planned.len())));
                }
                statements.extend(planned);
                outcomes.push(RowOutcome { row: row.row, outcome, user_id: Some(user_id), reason: None });
            }
            Err(issues) => rejected.extend(issues.into_iter().map(|issue| finding(row, issue))),
        }
    }
    if !rejected.is_empty() {
        if !may_tell_cpr_taken(rejected.iter().map(|finding| finding.code.as_str())) {
            rejected.retain(|finding| finding.code != StoredConflict::CprTaken.code());
        }
        return Err(ApiError::RowsRejected(rejected));
    }
    let result = ChunkResult { seq, outcomes, replayed: false };
    let answer = serde_json::to_string(&result).map_err(|error| ApiError::Internal(error.to_string()))?;
    // Right after the guard: a replay racing this one fails here, and the
    // whole batch with it.
    statements.insert(
        2,
        store::imports::chunk_statement(&db, ImportId(&import_id), seq, chunk.rows.len(), &answer, now)?,
    );
    // The import in the organization's audit log: one event, its count of
    // rows brought up to date by every chunk.
    statements.push(store::imports::audit_statement(
        &db,
        ImportId(&import_id),
        OrganizationId(&me.organization.id),
        UserId(&me.id),
        &actor.name,
        &format!("bulk {}", chunk.operation.as_str()),
        now,
    )?);
    match commit(&db, statements).await {
        Ok(()) => json(&result),
        Err(error) => match earlier_answer(&db, &import_id, seq, &me).await? {
            Some(result) => json(&result),
            None => Err(match error {
                ApiError::Internal(detail) if detail.contains("UNIQUE") => ApiError::Conflict(
                    Message::ChunkSavedMeanwhile.into(),
                ),
                other => other,
            }),
        },
    }
}

/// `GET /api/imports/{import_id}`: the import's progress and result, for
/// whoever `authz::may_read_import` lets read it; any other import of any
/// organization answers as an unknown one does (404).
pub async fn progress(_req: Request, ctx: &Ctx<'_>, me: Admin, import_id: &str) -> ApiResult<Response> {
    let import_id = parse_uuid(import_id).map_err(|error| ApiError::InvalidQuery(Detail::Parser(error.message(ctx.lang))))?;
    let Some(import) = store::imports::summary(&ctx.db, ImportId(&import_id)).await? else {
        return Err(ApiError::NotFound);
    };
    if import.organization_id != me.organization.id || !may_read_import(me.role, import.actor_id == me.id) {
        worker::console_log!("refused: user {} asked for the progress of import {import_id}", me.id);
        return Err(ApiError::NotFound);
    }
    json(&import_progress(import_id, import)?)
}

/// The answer of `progress` from the stored sums.
fn import_progress(id: String, import: ImportSummaryRow) -> ApiResult<ImportProgress> {
    let internal = |what: &str, error: &dyn std::fmt::Display| ApiError::Internal(format!("import {id}: {what}: {error}"));
    let operation = Operation::parse(&import.operation).ok_or_else(|| internal("operation", &import.operation))?;
    let mut chunks: Vec<u32> = serde_json::from_str(&import.seqs).map_err(|error| internal("chunks", &error))?;
    chunks.sort_unstable();
    // The object's keys are `Outcome`'s names, which are `OutcomeCounts`' fields.
    let outcomes: OutcomeCounts = serde_json::from_str(&import.outcomes).map_err(|error| internal("outcomes", &error))?;
    Ok(ImportProgress {
        operation,
        actor_name: import.actor_name,
        started_at: import.started_at,
        last_activity_at: import.last_activity_at.unwrap_or(import.started_at),
        chunks,
        rows: import.rows.try_into().map_err(|error| internal("rows", &error))?,
        outcomes,
        id,
    })
}

/// The answer of a chunk applied before (`replayed`), or nothing yet. An
/// import id that another organization or administrator started answers
/// 404, whatever the chunk.
async fn earlier_answer(db: &Db, import_id: &str, seq: u32, me: &Me) -> ApiResult<Option<ChunkResult>> {
    let import = store::imports::chunk(db, ImportId(import_id), seq).await?;
    let Some(import) = import else { return Ok(None) };
    if !started_by(&import, me) {
        worker::console_log!("refused: user {} sent a chunk of another's import {import_id}", me.id);
        return Err(ApiError::NotFound);
    }
    import
        .result
        .map(|stored| {
            let mut result: ChunkResult = serde_json::from_str(&stored).map_err(|error| ApiError::Internal(error.to_string()))?;
            result.replayed = true;
            Ok(result)
        })
        .transpose()
}

/// Whether `me` started the import: its organization's, by this administrator.
fn started_by(import: &ImportChunkRow, me: &Me) -> bool {
    import.organization_id == me.organization.id && import.actor_id == me.id
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
        suggestion: None,
    }
}

type Planned = Result<(Outcome, String, Vec<Statement>), Vec<FieldIssue>>;

/// What one row changes, as statements, or why it cannot; decided on what
/// `StoredData` read for the whole chunk.
#[allow(clippy::too_many_arguments)]
fn plan_row(
    db: &Db,
    vault: &Vault,
    stored: &StoredData,
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
            let conflicts = stored.known()?.conflicts(vault, organization_id, &fields, lang);
            if !conflicts.is_empty() {
                return Ok(Err(conflicts));
            }
            let id = new_uuid()?;
            let mut statements = insert_statements(db, vault, organization_id, &id, &fields, actor, details.to_owned(), now)?;
            if !grants.is_empty() {
                match stored.granting()?.plan(db, me, &id, None, &grants, now, lang)? {
                    Ok(more) => statements.extend(more),
                    Err(issues) => return Ok(Err(issues)),
                }
            }
            Ok((Outcome::Created, id, statements))
        }
        RowChange::Edit(edit) => {
            let record = match stored.targets.resolve(vault, me, &edit.keys, UserAction::Edit, lang)? {
                Ok(record) => record,
                Err(issue) => return Ok(Err(vec![issue])),
            };
            let fields = match edited_fields(record, &edit, now, lang) {
                Ok(fields) => fields,
                Err(issues) => return Ok(Err(issues)),
            };
            if changes_proof(&changed_fields(vault, record, &fields)) {
                let theirs = stored.targets.held_roles.get(&record.id).cloned().unwrap_or_default();
                match may_hand_over_to(me, &stored.granting()?.granter.roles, record, &theirs) {
                    Ok(()) => {}
                    Err(ApiError::ForbiddenBecause(reason)) => return Ok(Err(vec![refusal(Column::BirthDate, "not_allowed", reason.text(lang))])),
                    Err(error) => return Err(error),
                }
            }
            let conflicts = stored.known()?.conflicts(vault, organization_id, &fields, lang);
            if !conflicts.is_empty() {
                return Ok(Err(conflicts));
            }
            let mut statements = update_statements(db, vault, record, &fields, actor, &format!(" ({details})"), now)?.unwrap_or_default();
            if !edit.grants.is_empty() {
                let current = Holdings {
                    applications: stored.targets.applications.get(&record.id).map_or(&[][..], Vec::as_slice),
                    groups: stored.targets.groups.get(&record.id).map_or(&[][..], Vec::as_slice),
                };
                match stored.granting()?.plan(db, me, &record.id, Some(current), &edit.grants, now, lang)? {
                    Ok(more) => statements.extend(more),
                    Err(issues) => return Ok(Err(issues)),
                }
            }
            Ok((Outcome::Updated, record.id.clone(), statements))
        }
        RowChange::Delete(keys) => {
            let record = match stored.targets.resolve(vault, me, &keys, UserAction::Delete, lang)? {
                Ok(record) => record,
                Err(issue) => return Ok(Err(vec![issue])),
            };
            let statements = delete_statements(db, record, actor, details.to_owned(), now)?;
            Ok((Outcome::Deleted, record.id.clone(), statements))
        }
    })
}

/// What stored data says about a chunk's rows, read at once before any row
/// is planned: a few queries per chunk (per 90 or so rows), not per row, so
/// that a chunk stays within D1's queries per invocation.
struct StoredData {
    /// E-mail addresses and CPR numbers taken, P/SE numbers, identity means
    /// (create and edit chunks).
    known: Option<Known>,
    /// The applications and groups rows may name, and the roles the
    /// importing administrator holds (edit chunks, and create chunks that
    /// give applications or groups).
    granting: Option<Granting>,
    /// The users edit and delete rows name.
    targets: Targets,
}

impl StoredData {
    async fn read(db: &Db, vault: &Vault, me: &Me, operation: Operation, changes: &[Result<RowChange, Vec<FieldIssue>>]) -> ApiResult<StoredData> {
        let organization_id = me.organization.id.as_str();
        let mut creates: Vec<&UserFields> = Vec::new();
        let mut keys: Vec<&Keys> = Vec::new();
        let mut wants = Grants::default();
        let mut note_grants = |grants: &Grants| {
            wants.applications = wants.applications.take().or_else(|| grants.applications.clone());
            wants.groups = wants.groups.take().or_else(|| grants.groups.clone());
        };
        for change in changes.iter().flatten() {
            match change {
                RowChange::Create(fields, grants) => {
                    creates.push(fields);
                    note_grants(grants);
                }
                RowChange::Edit(edit) => {
                    keys.push(&edit.keys);
                    note_grants(&edit.grants);
                }
                RowChange::Delete(row_keys) => keys.push(row_keys),
            }
        }
        // An edit row keeps the e-mail address and CPR number (they are its
        // keys), so only the organization's P/SE numbers and identity means
        // can conflict there.
        let known = match operation {
            Operation::Create => Some(Known::read(db, vault, organization_id, &creates, None).await?),
            Operation::Edit => Some(Known::read(db, vault, organization_id, &[], None).await?),
            Operation::Delete => None,
        };
        // Edits need the importer's roles for `may_hand_over` too.
        let granting = if operation == Operation::Edit || !wants.is_empty() { Some(Granting::read(db, me).await?) } else { None };
        let reads = TargetReads {
            applications: wants.applications.is_some(),
            groups: wants.groups.is_some(),
            held: operation == Operation::Edit,
        };
        let catalog = granting.as_ref().map_or(&[][..], |granting| granting.granter.catalog.as_slice());
        let targets = Targets::read(db, me, &keys, reads, catalog).await?;
        Ok(StoredData { known, granting, targets })
    }

    fn known(&self) -> ApiResult<&Known> {
        self.known.as_ref().ok_or_else(|| ApiError::Internal("the chunk's stored data was not read".into()))
    }

    fn granting(&self) -> ApiResult<&Granting> {
        self.granting.as_ref().ok_or_else(|| ApiError::Internal("the chunk's applications and groups were not read".into()))
    }
}

/// Which of the targets' holdings a chunk needs.
#[derive(Clone, Copy)]
struct TargetReads {
    applications: bool,
    groups: bool,
    held: bool,
}

/// The users a chunk's edit and delete rows name, and what decides whether
/// the importer may act on them.
#[derive(Default)]
struct Targets {
    /// The live user of the organization with each key value.
    by_key: HashMap<(Column, String), String>,
    records: HashMap<String, UserRecord>,
    managed: Option<Managed>,
    /// Direct applications and custom groups, by user.
    applications: HashMap<String, Vec<String>>,
    groups: HashMap<String, Vec<String>>,
    /// Every role held, directly or through groups, by user.
    held_roles: HashMap<String, Roles>,
}

impl Targets {
    async fn read(db: &Db, me: &Me, keys: &[&Keys], reads: TargetReads, catalog: &[ApplicationInfo]) -> ApiResult<Targets> {
        if keys.is_empty() {
            return Ok(Targets::default());
        }
        let organization_id = me.organization.id.as_str();
        let distinct = |values: Vec<String>| -> Vec<String> { values.into_iter().collect::<HashSet<_>>().into_iter().collect() };
        let uuids = distinct(keys.iter().filter_map(|k| k.uuid.clone()).collect());
        // A row is found by its UUID, or by its e-mail when it has none; a
        // CPR number is only ever compared with the user found, never
        // searched for, so that a key cannot tell whether someone else has it.
        let emails = distinct(keys.iter().filter(|k| k.uuid.is_none()).filter_map(|k| k.email.as_ref().map(|e| e.normalized())).collect());
        let mut by_key = HashMap::new();
        for (column, key, values) in [(Column::Uuid, RowKey::Uuid, uuids), (Column::Email, RowKey::Email, emails)] {
            for pair in store::imports::users_by(db, OrganizationId(organization_id), key, &values).await? {
                by_key.insert((column, pair.key), pair.value);
            }
        }
        let ids = distinct(by_key.values().cloned().collect());
        let records = find_users(db, organization_id, &ids).await?.into_iter().map(|record| (record.id.clone(), record)).collect();
        let managed = Some(Managed::read(db, me, &ids).await?);
        let by_user = |pairs: Vec<Pair>| {
            let mut map: HashMap<String, Vec<String>> = HashMap::new();
            for pair in pairs {
                map.entry(pair.key).or_default().push(pair.value);
            }
            map
        };
        let applications = if reads.applications {
            by_user(store::imports::direct_applications(db, &ids).await?)
        } else {
            HashMap::new()
        };
        let groups = if reads.groups {
            by_user(store::imports::memberships(db, &ids).await?)
        } else {
            HashMap::new()
        };
        let held_roles = if reads.held { held_roles(db, catalog, &ids).await? } else { HashMap::new() };
        Ok(Targets { by_key, records, managed, applications, groups, held_roles })
    }

    /// The one user of the organization the row's keys name, if the
    /// importer manages them and may do `action` to them (as
    /// `users::find_actionable_user` decides), or why not.
    fn resolve(&self, vault: &Vault, me: &Me, keys: &Keys, action: UserAction, lang: Lang) -> ApiResult<Result<&UserRecord, FieldIssue>> {
        let (column, found) = match (&keys.uuid, &keys.email) {
            (Some(uuid), _) => (Column::Uuid, self.by_key.get(&(Column::Uuid, uuid.clone()))),
            (None, Some(email)) => (Column::Email, self.by_key.get(&(Column::Email, email.normalized()))),
            (None, None) => return Err(ApiError::Internal("an edit or delete row without a UUID or an e-mail passed the check".into())),
        };
        let record = match (found.and_then(|id| self.records.get(id)), &self.managed) {
            (Some(record), Some(managed)) if managed.manages(me, &record.id) => record,
            // In the `owned` model, another administrator's user is not found either.
            _ => return Ok(Err(user_not_found(column, lang))),
        };
        let email_agrees = keys.email.as_ref().is_none_or(|email| email.normalized() == record.email.to_lowercase());
        let cpr_agrees = keys.cpr.as_ref().is_none_or(|cpr| {
            record.cpr_sealed.as_deref().and_then(|sealed| vault.open_cpr(sealed, &record.id).ok()).as_ref() == Some(cpr)
        });
        if !(email_agrees && cpr_agrees) {
            return Ok(Err(FieldIssue {
                field: Column::Uuid.header().into(),
                code: "keys_disagree".into(),
                message: Message::RowKeysDisagree.text(lang),
            }));
        }
        match may_act(me, record, action) {
            Ok(()) => Ok(Ok(record)),
            // An administrator's row, for a user administrator, or the importer's own deletion.
            Err(ApiError::ForbiddenBecause(reason)) => Ok(Err(refusal(column, "not_allowed", reason.text(lang)))),
            Err(ApiError::Conflict(reason)) => Ok(Err(refusal(column, "not_allowed", reason.render(lang)))),
            Err(error) => Err(error),
        }
    }
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
            .map_or(record.identity_means.clone(), |means| IdentityMeans::list_text(means)),
        anonymous: None,
        may_sign: edit.may_sign.unwrap_or(record.may_sign),
        may_seal: edit.may_seal.unwrap_or(record.may_seal),
        scope: record.scope.clone(),
        free1: record.free1.clone(),
        free2: record.free2.clone(),
        free3: record.free3.clone(),
    };
    let stored = Stored { has_cpr: record.cpr_sealed.is_some(), anonymous: record.anonymous };
    UserFields::parse(&input, Some(stored), today(now), lang)
}

fn user_not_found(column: Column, lang: Lang) -> FieldIssue {
    FieldIssue {
        field: column.header().into(),
        code: "user_not_found".into(),
        message: Message::NoUserWithValue.text(lang),
    }
}

/// What a chunk's Rettigheder and Brugergrupper cells are checked against,
/// read once: the organization's applications and groups, and the roles the
/// importing administrator holds (delegation never escalates, by file either).
struct Granting {
    granter: Granter,
    groups: Vec<GroupInfo>,
}

impl Granting {
    async fn read(db: &Db, me: &Me) -> ApiResult<Granting> {
        let granter = Granter::read(db, me).await?;
        // Counts are not shown here.
        let groups = all_groups(db, &me.organization.id, &granter.catalog, "").await?;
        Ok(Granting { granter, groups })
    }

    /// The statements that make a user's direct applications and custom
    /// groups those the row names (a new user, `current` none: give them),
    /// or every reason the row cannot (`import::plan_grants`).
    #[allow(clippy::too_many_arguments)]
    fn plan(&self, db: &Db, me: &Me, user_id: &str, current: Option<Holdings>, grants: &Grants, now: i64, lang: Lang) -> ApiResult<Result<Vec<Statement>, Vec<FieldIssue>>> {
        let importer = Importer { role: me.role, is_the_user: me.id == user_id, roles: &self.granter.roles, lang };
        let plan = match plan_grants(grants, &self.granter.catalog, &self.groups, current.unwrap_or_default(), importer) {
            Ok(plan) => plan,
            Err(issues) => return Ok(Err(issues)),
        };
        let change = Change { db, me, user_id, now, actor_name: Actor::of(me).name };
        let mut statements = change.grant(&plan.grant, current.is_none())?;
        statements.extend(change.revoke(&plan.revoke)?);
        statements.extend(change.join(&plan.join)?);
        statements.extend(change.leave(&plan.leave)?);
        Ok(Ok(statements))
    }
}

/// The changes to one user's applications and groups, each kind as one
/// statement and one for its events however many it names (as JSON arrays),
/// so that a row takes what `row_statements` counts. They store what
/// `applications::grant_statements` and its kin store for one at a time.
struct Change<'a> {
    db: &'a Db,
    me: &'a Me,
    user_id: &'a str,
    now: i64,
    actor_name: String,
}

fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> ApiResult<JsValue> {
    serde_json::to_string(&items.collect::<Vec<_>>()).map(JsValue::from).map_err(|error| ApiError::Internal(error.to_string()))
}

impl Change<'_> {
    /// The user's history: one event of `action` for each of `details`.
    fn events(&self, action: HistoryAction, details: JsValue) -> ApiResult<Statement> {
        store::imports::events_statement(self.db, self.by(), UserId(self.user_id), action, details)
    }

    /// Who changes the user, and when.
    fn by(&self) -> ByImport<'_> {
        ByImport { organization: OrganizationId(&self.me.organization.id), actor: UserId(&self.me.id), actor_name: &self.actor_name, now: self.now }
    }

    /// Grants; a user who existed before may have asked for them, and those
    /// requests are granted too (a new user cannot have asked).
    fn grant(&self, applications: &[&ApplicationInfo], new_user: bool) -> ApiResult<Vec<Statement>> {
        if applications.is_empty() {
            return Ok(Vec::new());
        }
        let ids = json_list(applications.iter().map(|a| a.id.as_str()))?;
        let mut statements = vec![store::imports::grant_statement(self.db, self.by(), UserId(self.user_id), &ids)?];
        if !new_user {
            statements.push(store::imports::grant_requests_statement(self.db, self.by(), UserId(self.user_id), &ids)?);
        }
        statements.push(self.events(HistoryAction::ApplicationGranted, json_list(applications.iter().map(|a| a.name.as_str()))?)?);
        Ok(statements)
    }

    fn revoke(&self, applications: &[&ApplicationInfo]) -> ApiResult<Vec<Statement>> {
        if applications.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            store::imports::revoke_statement(self.db, UserId(self.user_id), &json_list(applications.iter().map(|a| a.id.as_str()))?)?,
            self.events(HistoryAction::ApplicationRevoked, json_list(applications.iter().map(|a| a.name.as_str()))?)?,
        ])
    }

    fn join(&self, groups: &[&GroupInfo]) -> ApiResult<Vec<Statement>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            store::imports::join_statement(self.db, self.by(), UserId(self.user_id), &json_list(groups.iter().map(|g| g.id.as_str()))?)?,
            self.events(HistoryAction::GroupJoined, json_list(groups.iter().map(|g| g.name.as_str()))?)?,
        ])
    }

    fn leave(&self, groups: &[&GroupInfo]) -> ApiResult<Vec<Statement>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![
            store::imports::leave_statement(self.db, UserId(self.user_id), &json_list(groups.iter().map(|g| g.id.as_str()))?)?,
            self.events(HistoryAction::GroupLeft, json_list(groups.iter().map(|g| g.name.as_str()))?)?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::api::OrganizationSummary;
    use steward_domain::user::Role;

    fn me(id: &str, organization: &str) -> Me {
        Me {
            id: id.into(),
            email: "a@b.dk".into(),
            first_name: "A".into(),
            last_name: "B".into(),
            role: Role::OrganizationAdmin,
            organization: OrganizationSummary { id: organization.into(), name: "O".into() },
            platform_operator: false,
            register_administrator: false,
            language: Lang::En,
            chosen_language: None,
        }
    }

    #[test]
    fn outcome_counts_are_read_by_the_names_chunk_answers_store_outcomes_under() {
        let stored = serde_json::json!({
            serde_json::to_value(Outcome::Created).unwrap().as_str().unwrap(): 3,
            serde_json::to_value(Outcome::Updated).unwrap().as_str().unwrap(): 2,
            serde_json::to_value(Outcome::Deleted).unwrap().as_str().unwrap(): 1,
        });
        let counts: OutcomeCounts = serde_json::from_value(stored).unwrap();
        assert_eq!(counts, OutcomeCounts { created: 3, updated: 2, deleted: 1, rejected: 0 });
        let rejected: OutcomeCounts = serde_json::from_value(serde_json::json!({ serde_json::to_value(Outcome::Rejected).unwrap().as_str().unwrap(): 4 })).unwrap();
        assert_eq!(rejected.rejected, 4);
    }

    #[test]
    fn an_import_is_only_its_own_administrators_in_its_own_organization() {
        let import = ImportChunkRow { organization_id: "o1".into(), actor_id: "a1".into(), result: None };
        assert!(started_by(&import, &me("a1", "o1")));
        assert!(!started_by(&import, &me("a2", "o1")));
        assert!(!started_by(&import, &me("a1", "o2")));
    }
}
