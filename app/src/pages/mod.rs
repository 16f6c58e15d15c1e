pub mod account;
pub mod activate;
pub mod notifications;
pub mod shell;
pub mod sign_in;
pub mod user_detail;
pub mod user_form;
pub mod users;
