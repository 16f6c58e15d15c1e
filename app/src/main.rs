//! Steward's browser app.

mod api;
mod pages;
mod routes;
mod user_list;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(routes::App);
}
