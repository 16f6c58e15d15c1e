//! Uploading a checked file (product.md §5): rows travel in chunks that fit
//! D1's limits; the server checks each chunk again with the same checker and
//! turns each row into one change.

use serde::{Deserialize, Serialize};

use crate::api::{ApplicationInfo, GroupInfo, GroupKind};
use crate::applications::{may_add_to_group, may_grant, may_revoke, roles_of_application, roles_of_group, Roles};
use crate::authz::Decision;
use crate::bulk::check::{check_bytes, Finding};
use crate::bulk::template::{Column, Operation, COLUMNS};
use crate::email::Email;
use crate::fields::{self, Cpr, Date, FieldError, IdentityMeans, Name};
use crate::lang::Lang;
use crate::messages::Message;
use crate::user::Role;
use crate::user_form::{FieldIssue, UserFields, UserInput};

/// One data row: its row in the file, and its 15 cells in template order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRow {
    pub row: u64,
    pub cells: Vec<String>,
}

/// Rows per chunk at most, however few statements they take: the Worker
/// reads what the rows name a few queries per 90 rows.
pub const CHUNK_ROWS: usize = 150;
/// The D1 statements a chunk's rows may take together. D1 runs at most
/// 1,000 queries per Worker invocation; the rest is left for the chunk's
/// reads (under 40), its own four statements, and the delivery of the
/// outbox after the request (101).
pub const CHUNK_STATEMENTS: usize = 840;
/// The largest chunk body the Worker reads.
pub const MAX_CHUNK_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportChunk {
    pub operation: Operation,
    pub rows: Vec<BulkRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Deleted,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowOutcome {
    pub row: u64,
    pub outcome: Outcome,
    pub user_id: Option<String>,
    pub reason: Option<String>,
}

/// The answer to a chunk; `replayed` when the chunk had been applied before
/// and nothing was done again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkResult {
    pub seq: u32,
    pub outcomes: Vec<RowOutcome>,
    pub replayed: bool,
}

/// The most D1 statements the Worker writes for one row, by what the row
/// fills (the statements are `functions/src/imports.rs`'s).
pub fn row_statements(operation: Operation, row: &BulkRow) -> usize {
    let filled = |column: Column| usize::from(!cell(row, column).is_empty());
    let (applications, groups) = (filled(Column::Roles), filled(Column::Groups));
    match operation {
        // The user, their event and two links to who manages them; the
        // applications given and their events; the groups joined and theirs.
        Operation::Create => 4 + 2 * applications + 2 * groups,
        // The guard, the change, three that withdraw a pending activation,
        // the event; applications granted, pending requests for them granted,
        // those revoked, and the events of both; groups joined and left, and
        // the events of both.
        Operation::Edit => 6 + 5 * applications + 4 * groups,
        // Two guards, the tombstone, sessions, secrets, queued e-mails, the event.
        Operation::Delete => 7,
    }
}

/// How many of `rows`, from the first, go in one chunk: at most
/// `CHUNK_ROWS`, taking at most `CHUNK_STATEMENTS` together.
pub fn rows_that_fit(operation: Operation, rows: &[BulkRow]) -> usize {
    let mut statements = 0;
    rows.iter()
        .take(CHUNK_ROWS)
        .take_while(|row| {
            statements += row_statements(operation, row);
            statements <= CHUNK_STATEMENTS
        })
        .count()
}

/// Splits the rows to upload into chunks the Worker takes.
pub fn chunks(operation: Operation, rows: &[BulkRow]) -> Vec<Vec<BulkRow>> {
    let mut chunks = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        // A row alone always fits; at least one goes, so the split ends.
        let (chunk, after) = rest.split_at(rows_that_fit(operation, rest).max(1));
        chunks.push(chunk.to_vec());
        rest = after;
    }
    chunks
}

/// A chunk's own structure: rows of 15 cells, in increasing file order,
/// within the rows and statements a chunk may take.
pub fn chunk_shape_problem(chunk: &ImportChunk) -> Option<String> {
    if chunk.rows.is_empty() {
        return Some("the chunk has no rows".into());
    }
    if chunk.rows.len() > CHUNK_ROWS {
        return Some(format!("a chunk holds at most {CHUNK_ROWS} rows; this one has {}", chunk.rows.len()));
    }
    if let Some(row) = chunk.rows.iter().find(|row| row.cells.len() != COLUMNS.len()) {
        return Some(format!("row {} has {} cells, not {}", row.row, row.cells.len(), COLUMNS.len()));
    }
    let statements: usize = chunk.rows.iter().map(|row| row_statements(chunk.operation, row)).sum();
    if statements > CHUNK_STATEMENTS {
        return Some(format!(
            "these rows need up to {statements} database statements; a chunk may take {CHUNK_STATEMENTS}: send at most {} rows in this chunk",
            rows_that_fit(chunk.operation, &chunk.rows)
        ));
    }
    if chunk.rows.windows(2).any(|pair| pair[0].row >= pair[1].row) {
        return Some("rows must be in increasing file order".into());
    }
    None
}

/// Checks the chunk's rows again with the file checker (the server trusts
/// nothing the browser found), reporting findings at the rows of the file.
pub fn recheck(chunk: &ImportChunk, today: Date, lang: Lang) -> Vec<Finding> {
    let mut text = verbatim_line(&COLUMNS.map(Column::header));
    for row in &chunk.rows {
        text.push_str(&verbatim_line(&row.cells));
    }
    let report = check_bytes(text.as_bytes(), chunk.operation, lang, today);
    report
        .findings
        .into_iter()
        .map(|mut finding| {
            // Row 2 of the chunk's own file is its first row.
            let index = finding.row.saturating_sub(2) as usize;
            finding.row = chunk.rows.get(index).map_or(finding.row, |row| row.row);
            finding
        })
        .collect()
}

/// A line that reads back exactly as the cells were: quoted where needed,
/// and unlike the exports' `csv_line`, without defusing formulas (a phone
/// number starts with `+`).
fn verbatim_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|cell| {
            let cell = cell.as_ref();
            if cell.contains([';', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(";");
    line.push('\n');
    line
}

/// How a row names the user it edits or deletes. At least two are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub uuid: Option<String>,
    pub email: Option<Email>,
    pub cpr: Option<Cpr>,
}

/// The applications (Rettigheder) and custom groups (Brugergrupper) a row
/// names; `None` where the cell is empty. On a create row they are given;
/// on an edit row they become the user's direct applications and groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    pub applications: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
}

impl Grants {
    pub fn is_empty(&self) -> bool {
        self.applications.is_none() && self.groups.is_none()
    }
}

/// The importing administrator, as the grant rules see them for one row's
/// user.
#[derive(Debug, Clone, Copy)]
pub struct Importer<'a> {
    pub role: Role,
    /// Whether the row's user is the importer themself.
    pub is_the_user: bool,
    /// Every role the importer holds (delegation never escalates, by file either).
    pub roles: &'a Roles,
    /// The language the importer reads refusals in.
    pub lang: Lang,
}

/// The ids of a user's direct applications and custom groups before the
/// row; a new user's are none.
#[derive(Debug, Clone, Copy, Default)]
pub struct Holdings<'a> {
    pub applications: &'a [String],
    pub groups: &'a [String],
}

/// What a row's Rettigheder and Brugergrupper cells change for one user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GrantsPlan<'a> {
    pub grant: Vec<&'a ApplicationInfo>,
    pub revoke: Vec<&'a ApplicationInfo>,
    pub join: Vec<&'a GroupInfo>,
    pub leave: Vec<&'a GroupInfo>,
}

/// A row refused at `column`.
pub fn refusal(column: Column, code: &str, message: String) -> FieldIssue {
    FieldIssue { field: column.header().into(), code: code.into(), message }
}

fn allowed(decision: Decision, column: Column, lang: Lang, refusals: &mut Vec<FieldIssue>) -> bool {
    match decision {
        Decision::Allow => true,
        Decision::Deny(reason) => {
            refusals.push(refusal(column, "not_allowed", reason.text(lang)));
            false
        }
    }
}

/// What makes a user's direct applications and custom groups those the row
/// names, from the organization's `catalog` and `groups` (names match in
/// any case); a cell left empty leaves its kind alone. Or every reason the
/// row cannot: a name the organization does not have, a P-unit's system
/// group (its members follow the P-number), and each grant, group or
/// removal the importer may not make (`applications::may_grant`,
/// `may_add_to_group`, `may_revoke`).
pub fn plan_grants<'a>(
    grants: &Grants,
    catalog: &'a [ApplicationInfo],
    groups: &'a [GroupInfo],
    holdings: Holdings,
    importer: Importer,
) -> Result<GrantsPlan<'a>, Vec<FieldIssue>> {
    let mut refusals = Vec::new();
    let mut plan = GrantsPlan::default();
    let Importer { role, is_the_user, roles, lang } = importer;
    if let Some(names) = &grants.applications {
        let mut wanted = Vec::new();
        for name in names {
            match catalog.iter().find(|a| a.name.to_lowercase() == name.to_lowercase()) {
                Some(application) => wanted.push(application),
                None => refusals.push(refusal(Column::Roles, "unknown_application", Message::RowUnknownApplication.with(lang, &[name]))),
            }
        }
        plan.grant = wanted
            .iter()
            .copied()
            .filter(|a| !holdings.applications.contains(&a.id))
            .filter(|a| allowed(may_grant(role, is_the_user, roles, &roles_of_application(a)), Column::Roles, lang, &mut refusals))
            .collect();
        plan.revoke = catalog
            .iter()
            .filter(|a| holdings.applications.contains(&a.id) && !wanted.iter().any(|w| w.id == a.id))
            .filter(|_| allowed(may_revoke(role, is_the_user), Column::Roles, lang, &mut refusals))
            .collect();
    }
    if let Some(names) = &grants.groups {
        let mut wanted = Vec::new();
        for name in names {
            match groups.iter().find(|g| g.name.to_lowercase() == name.to_lowercase()) {
                Some(group) if group.kind == GroupKind::System => refusals.push(refusal(
                    Column::Groups,
                    "system_group",
                    Message::RowSystemGroup.with(lang, &[&group.name]),
                )),
                Some(group) => wanted.push(group),
                None => refusals.push(refusal(Column::Groups, "unknown_group", Message::RowUnknownGroup.with(lang, &[name]))),
            }
        }
        plan.join = wanted
            .iter()
            .copied()
            .filter(|g| !holdings.groups.contains(&g.id))
            .filter(|g| allowed(may_add_to_group(role, is_the_user, roles, &roles_of_group(g)), Column::Groups, lang, &mut refusals))
            .collect();
        plan.leave = groups
            .iter()
            .filter(|g| holdings.groups.contains(&g.id) && !wanted.iter().any(|w| w.id == g.id))
            .filter(|_| allowed(may_revoke(role, is_the_user), Column::Groups, lang, &mut refusals))
            .collect();
    }
    if refusals.is_empty() {
        Ok(plan)
    } else {
        Err(refusals)
    }
}

/// The cells an edit row fills; empty cells leave the stored value alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub keys: Keys,
    pub first_name: Option<Name>,
    pub last_name: Option<Name>,
    pub birth_date: Option<Date>,
    pub phone: Option<String>,
    pub p_number: Option<String>,
    pub se_number: Option<String>,
    pub identity_means: Option<Vec<IdentityMeans>>,
    pub may_sign: Option<bool>,
    pub may_seal: Option<bool>,
    pub grants: Grants,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RowChange {
    Create(Box<UserFields>, Grants),
    Edit(Box<Edit>),
    Delete(Keys),
}

fn cell(row: &BulkRow, column: Column) -> &str {
    row.cells.get(column.number() - 1).map_or("", |cell| cell.trim())
}

fn optional<T>(row: &BulkRow, column: Column, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    match cell(row, column) {
        "" => Ok(None),
        text => parse(text).map(Some),
    }
}

/// What a row that passed the check asks for.
pub fn row_change(operation: Operation, row: &BulkRow, today: Date, lang: Lang) -> Result<RowChange, Vec<FieldIssue>> {
    let issue = |column: Column| move |error: FieldError| vec![FieldIssue::new(column.header(), error, lang)];
    let keys = || -> Result<Keys, Vec<FieldIssue>> {
        Ok(Keys {
            uuid: optional(row, Column::Uuid, fields::parse_uuid).map_err(issue(Column::Uuid))?,
            email: optional(row, Column::Email, fields::parse_email).map_err(issue(Column::Email))?,
            cpr: optional(row, Column::Cpr, Cpr::parse).map_err(issue(Column::Cpr))?,
        })
    };
    let grants = || -> Result<Grants, Vec<FieldIssue>> {
        Ok(Grants {
            applications: optional(row, Column::Roles, fields::parse_application_names).map_err(issue(Column::Roles))?,
            groups: optional(row, Column::Groups, fields::parse_group_names).map_err(issue(Column::Groups))?,
        })
    };
    match operation {
        Operation::Create => {
            let yes_no = |column| optional(row, column, fields::parse_yes_no).map_err(issue(column));
            let input = UserInput {
                first_name: cell(row, Column::FirstName).into(),
                last_name: cell(row, Column::LastName).into(),
                email: cell(row, Column::Email).into(),
                cpr: Some(cell(row, Column::Cpr).into()),
                birth_date: cell(row, Column::BirthDate).into(),
                phone: cell(row, Column::Phone).into(),
                p_number: cell(row, Column::PNumber).into(),
                se_number: cell(row, Column::SeNumber).into(),
                identity_means: cell(row, Column::IdentityMeans).into(),
                anonymous: yes_no(Column::Anonymous)?,
                may_sign: yes_no(Column::MaySign)?.unwrap_or(false),
                may_seal: yes_no(Column::MaySeal)?.unwrap_or(false),
                ..UserInput::default()
            };
            let grants = grants()?;
            UserFields::parse(&input, None, today, lang).map(|fields| RowChange::Create(Box::new(fields), grants))
        }
        Operation::Edit => Ok(RowChange::Edit(Box::new(Edit {
            keys: keys()?,
            first_name: optional(row, Column::FirstName, Name::parse).map_err(issue(Column::FirstName))?,
            last_name: optional(row, Column::LastName, Name::parse).map_err(issue(Column::LastName))?,
            birth_date: optional(row, Column::BirthDate, |t| fields::parse_birth_date(t, today)).map_err(issue(Column::BirthDate))?,
            phone: optional(row, Column::Phone, fields::parse_phone).map_err(issue(Column::Phone))?,
            p_number: optional(row, Column::PNumber, fields::parse_p_number).map_err(issue(Column::PNumber))?,
            se_number: optional(row, Column::SeNumber, fields::parse_se_number).map_err(issue(Column::SeNumber))?,
            identity_means: optional(row, Column::IdentityMeans, IdentityMeans::parse_list).map_err(issue(Column::IdentityMeans))?,
            may_sign: optional(row, Column::MaySign, fields::parse_yes_no).map_err(issue(Column::MaySign))?,
            may_seal: optional(row, Column::MaySeal, fields::parse_yes_no).map_err(issue(Column::MaySeal))?,
            grants: grants()?,
        }))),
        Operation::Delete => Ok(RowChange::Delete(keys()?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

    fn row(number: u64, values: &[(Column, &str)]) -> BulkRow {
        let mut cells = vec![String::new(); COLUMNS.len()];
        for (column, value) in values {
            cells[column.number() - 1] = (*value).to_owned();
        }
        BulkRow { row: number, cells }
    }

    fn create_row(number: u64, email: &str) -> BulkRow {
        row(number, &[(Column::FirstName, "Ida"), (Column::LastName, "Holm"), (Column::Email, email), (Column::BirthDate, "01-02-1990")])
    }

    #[test]
    fn the_server_finds_the_same_mistakes_at_the_file_rows() {
        let chunk = ImportChunk {
            operation: Operation::Create,
            rows: vec![create_row(7, "a@example.dk"), create_row(9, "not-an-address"), create_row(12, "A@example.dk")],
        };
        let findings = recheck(&chunk, TODAY, Lang::En);
        let found: Vec<(u64, &str)> = findings.iter().map(|f| (f.row, f.code.as_str())).collect();
        assert_eq!(found, vec![(9, "email_malformed"), (12, "duplicate_email")]);
        assert!(findings[1].message.contains("row 2"), "the duplicate names the chunk's row: {}", findings[1].message);
    }

    #[test]
    fn cells_reach_the_recheck_verbatim() {
        let mut tricky = create_row(2, "a@example.dk");
        tricky.cells[Column::Phone.number() - 1] = "+4512345678".into();
        tricky.cells[Column::LastName.number() - 1] = "O'Neill-Smith".into();
        let mut quoted = create_row(3, "b@example.dk");
        quoted.cells[Column::Groups.number() - 1] = "Sales; \"North\"".into();
        let chunk = ImportChunk { operation: Operation::Create, rows: vec![tricky, quoted] };
        assert_eq!(recheck(&chunk, TODAY, Lang::En), vec![]);
    }

    #[test]
    fn rows_become_changes_and_edit_takes_only_filled_cells() {
        let RowChange::Create(fields, grants) = row_change(Operation::Create, &create_row(2, "a@example.dk"), TODAY, Lang::En).unwrap() else {
            panic!("a create")
        };
        assert_eq!(fields.email.as_str(), "a@example.dk");
        assert!(grants.is_empty());
        let edit = row(3, &[(Column::Email, "a@example.dk"), (Column::Cpr, "010203-1234"), (Column::Phone, "12345678")]);
        let RowChange::Edit(edit) = row_change(Operation::Edit, &edit, TODAY, Lang::En).unwrap() else { panic!("an edit") };
        assert_eq!(edit.phone.as_deref(), Some("12345678"));
        assert_eq!(edit.first_name, None);
        assert!(edit.keys.cpr.is_some() && edit.keys.uuid.is_none());
        assert_eq!(edit.grants, Grants::default(), "empty cells leave applications and groups alone");
        let roles = row(4, &[(Column::Email, "a@example.dk"), (Column::Cpr, "010203-1234"), (Column::Roles, "Invoicing, Reports"), (Column::Groups, "Finance team")]);
        let RowChange::Edit(edit) = row_change(Operation::Edit, &roles, TODAY, Lang::En).unwrap() else { panic!("an edit") };
        assert_eq!(edit.grants.applications, Some(vec!["Invoicing".to_owned(), "Reports".to_owned()]));
        assert_eq!(edit.grants.groups, Some(vec!["Finance team".to_owned()]));
    }

    fn with_grants(mut row: BulkRow) -> BulkRow {
        row.cells[Column::Roles.number() - 1] = "Invoicing, Reports".into();
        row.cells[Column::Groups.number() - 1] = "Finance team".into();
        row
    }

    #[test]
    fn a_row_costs_more_statements_for_each_kind_of_grant_it_fills() {
        let plain = create_row(2, "a@example.dk");
        assert_eq!(row_statements(Operation::Create, &plain), 4);
        assert_eq!(row_statements(Operation::Create, &with_grants(plain.clone())), 8);
        let mut only_groups = plain.clone();
        only_groups.cells[Column::Groups.number() - 1] = "  ".into();
        assert_eq!(row_statements(Operation::Create, &only_groups), 4, "a cell of spaces is empty");
        assert_eq!(row_statements(Operation::Edit, &plain), 6);
        assert_eq!(row_statements(Operation::Edit, &with_grants(plain.clone())), 15);
        assert_eq!(row_statements(Operation::Delete, &with_grants(plain)), 7);
    }

    #[test]
    fn chunks_are_cut_by_their_statements_and_every_one_is_taken() {
        for operation in [Operation::Create, Operation::Edit, Operation::Delete] {
            // Rows with and without grants, mixed.
            let rows: Vec<BulkRow> = (0..1000u64)
                .map(|i| if i % 3 == 0 { with_grants(create_row(i + 2, "a@example.dk")) } else { create_row(i + 2, "a@example.dk") })
                .collect();
            let split = chunks(operation, &rows);
            assert_eq!(split.iter().map(Vec::len).sum::<usize>(), rows.len(), "{operation:?}: every row goes up once");
            for chunk in &split {
                let statements: usize = chunk.iter().map(|row| row_statements(operation, row)).sum();
                assert!(statements <= CHUNK_STATEMENTS && chunk.len() <= CHUNK_ROWS, "{operation:?}: {} rows, {statements} statements", chunk.len());
                assert_eq!(chunk_shape_problem(&ImportChunk { operation, rows: chunk.clone() }), None);
            }
        }
        let full: Vec<BulkRow> = (0..CHUNK_ROWS as u64).map(|i| with_grants(create_row(i + 2, "a@example.dk"))).collect();
        let fit = CHUNK_STATEMENTS / 8;
        assert_eq!(chunks(Operation::Create, &full).iter().map(Vec::len).collect::<Vec<_>>(), vec![fit, CHUNK_ROWS - fit]);
        let refused = chunk_shape_problem(&ImportChunk { operation: Operation::Create, rows: full }).unwrap();
        assert!(refused.contains(&format!("need up to {}", CHUNK_ROWS * 8)), "{refused}");
        assert!(refused.contains(&format!("send at most {fit} rows")), "{refused}");
    }

    fn application(name: &str, role_names: &[&str]) -> ApplicationInfo {
        ApplicationInfo { id: name.to_lowercase(), name: name.into(), roles: role_names.iter().map(|r| (*r).to_owned()).collect() }
    }

    fn group(name: &str, kind: GroupKind, applications: Vec<ApplicationInfo>) -> GroupInfo {
        GroupInfo { id: name.to_lowercase(), name: name.into(), kind, applications, member_count: 0 }
    }

    /// The organization: Invoicing, Reports and Payroll; a Finance team
    /// giving Invoicing, a Payroll team giving Payroll, and a P-unit's
    /// system group.
    fn organization() -> (Vec<ApplicationInfo>, Vec<GroupInfo>) {
        let invoicing = application("Invoicing", &["invoice.read"]);
        let reports = application("Reports", &["report.read"]);
        let payroll = application("Payroll", &["payroll.write"]);
        let groups = vec![
            group("Finance team", GroupKind::Custom, vec![invoicing.clone()]),
            group("Payroll team", GroupKind::Custom, vec![payroll.clone()]),
            group("P-unit 1012345678", GroupKind::System, vec![]),
        ];
        (vec![invoicing, reports, payroll], groups)
    }

    fn names(list: &[&str]) -> Option<Vec<String>> {
        Some(list.iter().map(|name| (*name).to_owned()).collect())
    }

    fn ids<T>(items: &[&T], id: impl Fn(&T) -> &str) -> Vec<String> {
        items.iter().map(|item| id(item).to_owned()).collect()
    }

    fn refused(issues: &[FieldIssue]) -> Vec<(&str, &str)> {
        issues.iter().map(|issue| (issue.field.as_str(), issue.code.as_str())).collect()
    }

    const ORGANIZATION_ADMIN: Importer<'static> = Importer { role: Role::OrganizationAdmin, is_the_user: false, roles: &Roles::new(), lang: Lang::En };

    #[test]
    fn a_row_makes_the_users_applications_and_groups_those_it_names() {
        let (catalog, groups) = organization();
        let grants = Grants { applications: names(&["invoicing", "Reports"]), groups: names(&["FINANCE TEAM"]) };
        let new_user = plan_grants(&grants, &catalog, &groups, Holdings::default(), ORGANIZATION_ADMIN).unwrap();
        assert_eq!(ids(&new_user.grant, |a| &a.id), ["invoicing", "reports"]);
        assert_eq!(ids(&new_user.join, |g| &g.id), ["finance team"]);
        assert!(new_user.revoke.is_empty() && new_user.leave.is_empty());

        let held = ["reports".to_owned(), "payroll".to_owned()];
        let member_of = ["payroll team".to_owned()];
        let holdings = Holdings { applications: &held, groups: &member_of };
        let edit = plan_grants(&grants, &catalog, &groups, holdings, ORGANIZATION_ADMIN).unwrap();
        assert_eq!(ids(&edit.grant, |a| &a.id), ["invoicing"], "Reports is held already");
        assert_eq!(ids(&edit.revoke, |a| &a.id), ["payroll"]);
        assert_eq!(ids(&edit.join, |g| &g.id), ["finance team"]);
        assert_eq!(ids(&edit.leave, |g| &g.id), ["payroll team"]);

        let untouched = plan_grants(&Grants::default(), &catalog, &groups, holdings, ORGANIZATION_ADMIN).unwrap();
        assert_eq!(untouched, GrantsPlan::default(), "empty cells leave what is held alone");
        let only_groups = Grants { applications: None, groups: names(&["Payroll team"]) };
        assert_eq!(plan_grants(&only_groups, &catalog, &groups, holdings, ORGANIZATION_ADMIN).unwrap(), GrantsPlan::default());
    }

    #[test]
    fn unknown_names_and_system_groups_are_refused_all_at_once() {
        let (catalog, groups) = organization();
        let grants = Grants { applications: names(&["Invoicing", "Travel"]), groups: names(&["P-unit 1012345678", "Sales"]) };
        let issues = plan_grants(&grants, &catalog, &groups, Holdings::default(), ORGANIZATION_ADMIN).unwrap_err();
        assert_eq!(
            refused(&issues),
            vec![("Rettigheder", "unknown_application"), ("Brugergrupper", "system_group"), ("Brugergrupper", "unknown_group")]
        );
        assert!(issues[0].message.contains("“Travel”"), "{}", issues[0].message);
        let in_danish = plan_grants(&grants, &catalog, &groups, Holdings::default(), Importer { lang: Lang::Da, ..ORGANIZATION_ADMIN }).unwrap_err();
        assert_eq!(in_danish[0].message, "Din organisation har ingen rettighed med navnet “Travel”.");
        assert!(in_danish[2].message.starts_with("Din organisation har ingen brugergruppe"), "{}", in_danish[2].message);
    }

    #[test]
    fn an_importer_grants_and_groups_only_as_the_domain_rules_allow() {
        let (catalog, groups) = organization();
        let invoicing_only: Roles = ["invoice.read".to_owned()].into();
        let user_admin = Importer { role: Role::UserAdmin, is_the_user: false, roles: &invoicing_only, lang: Lang::En };
        let allowed = Grants { applications: names(&["Invoicing"]), groups: names(&["Finance team"]) };
        assert!(plan_grants(&allowed, &catalog, &groups, Holdings::default(), user_admin).is_ok());
        let beyond = Grants { applications: names(&["Invoicing", "Payroll"]), groups: names(&["Payroll team"]) };
        let issues = plan_grants(&beyond, &catalog, &groups, Holdings::default(), user_admin).unwrap_err();
        assert_eq!(refused(&issues), vec![("Rettigheder", "not_allowed"), ("Brugergrupper", "not_allowed")]);
        // Taking away escalates nothing: a user administrator may, whatever it gives.
        let held = ["payroll".to_owned()];
        let holdings = Holdings { applications: &held, groups: &[] };
        let revoking = Grants { applications: names(&["Invoicing"]), groups: None };
        assert_eq!(ids(&plan_grants(&revoking, &catalog, &groups, holdings, user_admin).unwrap().revoke, |a| &a.id), ["payroll"]);
        // Nobody changes their own, giving or taking.
        let themself = Importer { is_the_user: true, ..ORGANIZATION_ADMIN };
        let issues = plan_grants(&revoking, &catalog, &groups, holdings, themself).unwrap_err();
        assert_eq!(refused(&issues), vec![("Rettigheder", "not_allowed"), ("Rettigheder", "not_allowed")]);
    }

    #[test]
    fn chunks_have_a_shape() {
        let rows: Vec<BulkRow> = (0..CHUNK_ROWS as u64 * 2 + 1).map(|i| create_row(i + 2, "a@example.dk")).collect();
        let split = chunks(Operation::Create, &rows);
        assert_eq!(split.iter().map(Vec::len).collect::<Vec<_>>(), vec![CHUNK_ROWS, CHUNK_ROWS, 1]);
        let too_big = ImportChunk { operation: Operation::Create, rows: rows.clone() };
        assert!(chunk_shape_problem(&too_big).unwrap().contains("at most"));
        let backwards = ImportChunk { operation: Operation::Create, rows: vec![rows[1].clone(), rows[0].clone()] };
        assert!(chunk_shape_problem(&backwards).is_some());
        let short = ImportChunk { operation: Operation::Create, rows: vec![BulkRow { row: 2, cells: vec!["x".into()] }] };
        assert!(chunk_shape_problem(&short).unwrap().contains("cells"));
        assert_eq!(chunk_shape_problem(&ImportChunk { operation: Operation::Create, rows: split[2].clone() }), None);
    }
}
