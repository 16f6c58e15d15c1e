//! The organization's users a page at a time, in name order, as the user
//! list shows them.

use serde::Deserialize;
use steward_domain::pagination::UserCursor;
use wasm_bindgen::JsValue;

use crate::d1::Db;
use crate::error::ApiResult;
use crate::store::ids::{or_everyone, OrganizationId, UserId};
use crate::store::management::managed_by_clause;

#[derive(Debug, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: String,
}

/// One page of an organization's users in name order, starting after
/// `after`, whose name or e-mail contains `needle` (lower-case; empty: all).
/// A needle of 3 characters or more is looked up in the trigram index
/// (`users_search`), and only the users it finds are sorted; a shorter one
/// matches many, and the walk of the name index finds a page of them soon.
/// Either way a page costs about what it answers, not what the organization holds.
pub async fn users_page(
    db: &Db,
    organization: OrganizationId<'_>,
    needle: &str,
    managed_by: Option<UserId<'_>>,
    after: Option<&UserCursor>,
    limit: u32,
) -> ApiResult<Vec<UserRow>> {
    // ?1 the organization, ?2 the search text, ?3 `authz::manages` in SQL for
    // the `owned` model: users linked to that administrator or to someone
    // they stand in for (empty: everyone).
    let mut binds: Vec<JsValue> = vec![organization.into(), needle.into(), or_everyone(managed_by)];
    let (source, search) = if needle.chars().count() >= TRIGRAM {
        binds.push(phrase(needle).into());
        // The index leads (CROSS JOIN keeps SQLite from walking the names
        // instead); `instr` keeps the answer exactly the unindexed one.
        ("users_search CROSS JOIN users ON users.rowid = users_search.rowid", "users_search MATCH ?4 AND instr(users.search_text, ?2) > 0")
    } else {
        ("users", "(?2 = '' OR instr(users.search_text, ?2) > 0)")
    };
    let matches = format!("organization_id = ?1 AND status <> 'deleted' AND {search} AND {}", managed_by_clause("users.id", "?3"));
    let columns = format!("SELECT users.id, first_name, last_name, email, status FROM {source}");
    // Two texts rather than one with an OR, so that SQLite seeks the name
    // index to the cursor instead of walking to it.
    let sql = match after {
        None => format!("{columns} WHERE {matches} ORDER BY last_name, first_name, users.id LIMIT ?{}", binds.len() + 1),
        Some(cursor) => {
            let at = binds.len();
            binds.extend([cursor.last_name.as_str().into(), cursor.first_name.as_str().into(), cursor.id.as_str().into()]);
            format!(
                "{columns} WHERE {matches} AND (last_name, first_name, users.id) > (?{}, ?{}, ?{}) ORDER BY last_name, first_name, users.id LIMIT ?{}",
                at + 1,
                at + 2,
                at + 3,
                at + 4
            )
        }
    };
    binds.push(JsValue::from_f64(limit as f64));
    let statement = db.prepare(sql).bind(&binds)?;
    Ok(statement.all().await?.results()?)
}

/// The fewest characters a needle of the trigram index has.
const TRIGRAM: usize = 3;

/// `needle` as an FTS5 phrase: quoted, so that no character of it is query
/// syntax (`"` doubled is a `"`); the trigram tokenizer makes it the needle's
/// consecutive trigrams, which match where the text contains the needle.
fn phrase(needle: &str) -> String {
    format!("\"{}\"", needle.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_is_one_quoted_phrase_whatever_it_holds() {
        assert_eq!(phrase("ane"), "\"ane\"");
        assert_eq!(phrase("a\"b OR c*"), "\"a\"\"b OR c*\"");
    }
}
