//! Keyset pagination of user lists, ordered by (last name, first name, id).
//! The cursor is opaque to clients: hex of the last row's sort key.

pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const MAX_PAGE_SIZE: u32 = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCursor {
    pub last_name: String,
    pub first_name: String,
    pub id: String,
}

const SEPARATOR: char = '\u{1f}';

impl UserCursor {
    pub fn encode(&self) -> String {
        hex::encode(format!("{}{SEPARATOR}{}{SEPARATOR}{}", self.last_name, self.first_name, self.id))
    }

    pub fn decode(cursor: &str) -> Option<UserCursor> {
        let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
        let mut parts = text.split(SEPARATOR);
        let cursor = UserCursor {
            last_name: parts.next()?.to_owned(),
            first_name: parts.next()?.to_owned(),
            id: parts.next()?.to_owned(),
        };
        parts.next().is_none().then_some(cursor)
    }
}

/// The page size to use for a requested `limit`: absent means the default,
/// and it is held within 1..=MAX_PAGE_SIZE.
pub fn page_size(requested: Option<u32>) -> u32 {
    requested.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_even_with_odd_names() {
        let cursor = UserCursor { last_name: "Ærø-O'Brien".into(), first_name: "Zoë".into(), id: "42".into() };
        assert_eq!(UserCursor::decode(&cursor.encode()), Some(cursor));
    }

    #[test]
    fn a_forged_cursor_is_refused() {
        assert_eq!(UserCursor::decode("zz"), None);
        assert_eq!(UserCursor::decode(&hex::encode("only-one-part")), None);
        assert_eq!(UserCursor::decode(&hex::encode("a\u{1f}b\u{1f}c\u{1f}d")), None);
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None), DEFAULT_PAGE_SIZE);
        assert_eq!(page_size(Some(0)), 1);
        assert_eq!(page_size(Some(10_000)), MAX_PAGE_SIZE);
    }
}
