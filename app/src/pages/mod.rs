pub mod sign_in;
pub mod users;
