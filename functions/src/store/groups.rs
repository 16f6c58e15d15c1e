//! Groups: custom ones (`user_groups`, the applications they give, their
//! members) and one system group per P-unit, whose members are its users.

use serde::Deserialize;
use steward_domain::api::{GroupKind, PersonRef};

use crate::d1::{Db, Statement};
use crate::store::management::managed_by_clause;
use crate::store::sql::{count, int, values};
use crate::error::ApiResult;
use crate::store::ids::{or_everyone, GroupId, OrganizationId, UserId};

/// System groups are named by their P-unit: `p-` and the P-number.
pub const SYSTEM_PREFIX: &str = "p-";

#[derive(Deserialize)]
struct Row {
    id: String,
    name: String,
    applications: Option<String>,
    member_count: u32,
}

/// A group as read: the ids of the applications it gives, and its members
/// counted among the users someone manages.
#[derive(Debug, PartialEq)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub kind: GroupKind,
    pub application_ids: Vec<String>,
    pub member_count: u32,
}

impl Row {
    fn typed(self, kind: GroupKind) -> GroupRow {
        GroupRow {
            id: self.id,
            name: self.name,
            kind,
            application_ids: self.applications.unwrap_or_default().split(' ').filter(|id| !id.is_empty()).map(str::to_owned).collect(),
            member_count: self.member_count,
        }
    }
}

/// Every group of the organization: custom ones by name, then the P-units'
/// by name. Members are counted among the users `counted_for` manages
/// (`None`: everyone's).
pub async fn all(db: &Db, organization: OrganizationId<'_>, counted_for: Option<UserId<'_>>) -> ApiResult<Vec<GroupRow>> {
    let custom: Vec<Row> = db
        .prepare(format!(
            "SELECT g.id, g.name, (SELECT group_concat(application_id, ' ') FROM group_applications WHERE group_id = g.id) AS applications, \
             (SELECT count(*) FROM group_members m JOIN users u ON u.id = m.user_id WHERE m.group_id = g.id AND u.status <> 'deleted' AND {}) AS member_count \
             FROM user_groups g WHERE g.organization_id = ?1 ORDER BY g.name",
            managed_by_clause("u.id", "?2")
        ))
        .bind(&[organization.into(), or_everyone(counted_for)])?
        .all()
        .await?
        .results()?;
    let system: Vec<Row> = db
        .prepare(format!(
            "SELECT ?2 || p.p_number AS id, p.name, NULL AS applications, \
             (SELECT count(*) FROM users u WHERE u.organization_id = p.organization_id AND u.p_number = p.p_number AND u.status <> 'deleted' AND {}) AS member_count \
             FROM production_units p WHERE p.organization_id = ?1 ORDER BY p.name",
            managed_by_clause("u.id", "?3")
        ))
        .bind(&[organization.into(), SYSTEM_PREFIX.into(), or_everyone(counted_for)])?
        .all()
        .await?
        .results()?;
    Ok(custom
        .into_iter()
        .map(|row| row.typed(GroupKind::Custom))
        .chain(system.into_iter().map(|row| row.typed(GroupKind::System)))
        .collect())
}

/// The members of a group: a custom group's by its id, a system group's by
/// its P-unit.
pub enum MembersOf<'a> {
    Custom(GroupId<'a>),
    System { p_number: &'a str },
}

impl<'a> MembersOf<'a> {
    /// Of a group read by `all`: a system group's id is its P-number after `SYSTEM_PREFIX`.
    pub fn group(kind: GroupKind, id: &'a str) -> MembersOf<'a> {
        match kind {
            GroupKind::Custom => MembersOf::Custom(GroupId(id)),
            GroupKind::System => MembersOf::System { p_number: id.trim_start_matches(SYSTEM_PREFIX) },
        }
    }
}

/// A group's members among the users `managed_by` manages (`None`:
/// everyone's), by name, at most 1,000.
pub async fn members(db: &Db, organization: OrganizationId<'_>, managed_by: Option<UserId<'_>>, of: MembersOf<'_>) -> ApiResult<Vec<PersonRef>> {
    // ?3 is the group's id, or for a system group its P-number.
    let (members_of, key) = match of {
        MembersOf::Custom(group) => ("u.id IN (SELECT user_id FROM group_members WHERE group_id = ?3)", group.as_str()),
        MembersOf::System { p_number } => ("u.p_number = ?3", p_number),
    };
    #[derive(Deserialize)]
    struct Member {
        id: String,
        name: String,
    }
    let sql = format!(
        "SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM users u WHERE u.organization_id = ?1 AND u.status <> 'deleted' \
         AND {members_of} AND {} ORDER BY u.last_name, u.first_name LIMIT 1000",
        managed_by_clause("u.id", "?2")
    );
    Ok(db
        .prepare(sql)
        .bind(&[organization.into(), or_everyone(managed_by), key.into()])?
        .all()
        .await?
        .results::<Member>()?
        .into_iter()
        .map(|m| PersonRef { id: m.id, name: m.name })
        .collect())
}

/// The statements that make a custom group giving `application_ids`.
pub fn define_statements(
    db: &Db,
    group: GroupId<'_>,
    organization: OrganizationId<'_>,
    name: &str,
    application_ids: &[String],
    now: i64,
) -> ApiResult<Vec<Statement>> {
    let mut statements = vec![db
        .prepare("INSERT INTO user_groups (id, organization_id, name, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[group.into(), organization.into(), name.into(), int(now)])?];
    for application_id in application_ids {
        statements.push(
            db.prepare("INSERT OR IGNORE INTO group_applications (group_id, application_id) VALUES (?1, ?2)")
                .bind(&[group.into(), application_id.as_str().into()])?,
        );
    }
    Ok(statements)
}

/// Who removes a group, and what each member's history says of it.
pub struct Removal<'a> {
    pub organization: OrganizationId<'a>,
    pub actor: UserId<'a>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub label: &'a str,
    pub details: String,
}

/// The statements that remove a custom group: first a history entry for
/// each member, then the group (its members and applications with it).
pub fn remove_statements(db: &Db, group: GroupId<'_>, removal: Removal<'_>, now: i64) -> ApiResult<Vec<Statement>> {
    Ok(vec![
        db.prepare(
            "INSERT INTO history (id, organization_id, user_id, at, actor_id, actor_name, action, label, details) \
             SELECT lower(hex(randomblob(16))), ?2, user_id, ?3, ?4, ?5, ?6, ?7, ?8 FROM group_members WHERE group_id = ?1",
        )
        .bind(&[
            group.into(),
            removal.organization.into(),
            int(now),
            removal.actor.into(),
            removal.actor_name.into(),
            removal.action.into(),
            removal.label.into(),
            removal.details.into(),
        ])?,
        db.prepare("DELETE FROM user_groups WHERE id = ?1").bind(&[group.into()])?,
    ])
}

/// The not-deleted user of the organization with this normalized e-mail address.
pub async fn user_by_email(db: &Db, organization: OrganizationId<'_>, email_normalized: &str) -> ApiResult<Option<String>> {
    Ok(values::<Vec<String>>(
        db,
        "SELECT id AS value FROM users WHERE organization_id = ?1 AND email_normalized = ?2 AND status <> 'deleted'",
        vec![organization.into(), email_normalized.into()],
    )
    .await?
    .pop())
}

pub async fn is_member(db: &Db, group: GroupId<'_>, user: UserId<'_>) -> ApiResult<bool> {
    Ok(count(db, "SELECT count(*) AS count FROM group_members WHERE group_id = ?1 AND user_id = ?2", &[group.into(), user.into()]).await? > 0)
}

pub fn join_statement(db: &Db, group: GroupId<'_>, user: UserId<'_>, added_by: UserId<'_>, now: i64) -> ApiResult<Statement> {
    Ok(db
        .prepare("INSERT OR IGNORE INTO group_members (group_id, user_id, added_by, added_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[group.into(), user.into(), added_by.into(), int(now)])?)
}

pub fn leave_statement(db: &Db, group: GroupId<'_>, user: UserId<'_>) -> ApiResult<Statement> {
    Ok(db.prepare("DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2").bind(&[group.into(), user.into()])?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_groups_members_are_its_p_units() {
        assert!(matches!(MembersOf::group(GroupKind::System, "p-1003456789"), MembersOf::System { p_number: "1003456789" }));
        assert!(matches!(MembersOf::group(GroupKind::Custom, "p-x"), MembersOf::Custom(GroupId("p-x"))));
    }

    #[test]
    fn a_groups_applications_are_parsed_once() {
        let row = Row { id: "g".into(), name: "G".into(), applications: Some("a b".into()), member_count: 2 }.typed(GroupKind::Custom);
        assert_eq!(row.application_ids, vec!["a", "b"]);
        let row = Row { id: "p-1".into(), name: "P".into(), applications: None, member_count: 0 }.typed(GroupKind::System);
        assert!(row.application_ids.is_empty());
    }
}
