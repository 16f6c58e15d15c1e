//! The users page's state: the rows loaded so far and where to continue.

use steward_domain::api::{UserSummary, UsersPage};
use steward_domain::user::UserStatus;

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

/// How a status reads on screen.
pub fn status_label(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Created => "Created",
        UserStatus::Pending => "Awaiting activation",
        UserStatus::Active => "Active",
        UserStatus::Deactivated => "Deactivated",
        UserStatus::Lapsed => "Lapsed",
        UserStatus::Deleted => "Deleted",
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
}
