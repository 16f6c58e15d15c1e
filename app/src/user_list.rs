//! The users page's state: the rows loaded so far and where to continue.

use steward_domain::api::{UserSummary, UsersPage};
use steward_domain::lang::Lang;
use steward_domain::user::UserStatus;

use crate::i18n::*;
use crate::language::locale;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserList {
    pub users: Vec<UserSummary>,
    next: Option<String>,
    loaded: bool,
}

impl UserList {
    /// Adds the next page from the API.
    pub fn append(&mut self, page: UsersPage) {
        self.users.extend(page.users);
        self.next = page.next;
        self.loaded = true;
    }

    /// Starts over, for a new search.
    pub fn clear(&mut self) {
        *self = UserList::default();
    }

    /// The cursor for the next page, when one was offered.
    pub fn next_cursor(&self) -> Option<String> {
        self.next.clone()
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    pub fn is_empty(&self) -> bool {
        self.loaded && self.users.is_empty()
    }
}

/// How a status reads on screen, as text (never by colour alone).
pub fn status_label(status: UserStatus, lang: Lang) -> String {
    let locale = locale(lang);
    match status {
        UserStatus::Created => td_string!(locale, common.status.created).to_string(),
        UserStatus::Pending => td_string!(locale, common.status.pending).to_string(),
        UserStatus::Active => td_string!(locale, common.status.active).to_string(),
        UserStatus::Deactivated => td_string!(locale, common.status.deactivated).to_string(),
        UserStatus::Lapsed => td_string!(locale, common.status.lapsed).to_string(),
        UserStatus::Deleted => td_string!(locale, common.status.deleted).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> UserSummary {
        UserSummary {
            id: name.into(),
            first_name: name.into(),
            last_name: name.into(),
            email: format!("{name}@example.dk"),
            status: UserStatus::Active,
        }
    }

    #[test]
    fn pages_accumulate_and_the_last_page_ends_the_list() {
        let mut list = UserList::default();
        assert!(!list.is_loaded());
        assert!(!list.is_empty(), "an unloaded list is not known to be empty");
        list.append(UsersPage { users: vec![user("a"), user("b")], next: Some("cursor".into()) });
        assert_eq!(list.next_cursor().as_deref(), Some("cursor"));
        list.append(UsersPage { users: vec![user("c")], next: None });
        assert_eq!(list.users.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(list.next_cursor(), None);
    }

    #[test]
    fn a_loaded_list_without_rows_is_empty() {
        let mut list = UserList::default();
        list.append(UsersPage { users: vec![], next: None });
        assert!(list.is_empty());
        list.clear();
        assert!(!list.is_loaded());
    }

    #[test]
    fn statuses_read_as_text_in_the_language() {
        assert_eq!(status_label(UserStatus::Pending, Lang::En), "Awaiting activation");
        assert_eq!(status_label(UserStatus::Active, Lang::En), "Active");
        assert_eq!(status_label(UserStatus::Pending, Lang::Da), "Afventer aktivering");
        assert_eq!(status_label(UserStatus::Deactivated, Lang::Da), "Deaktiveret");
        assert_eq!(status_label(UserStatus::Created, Lang::De), "Angelegt");
    }
}
