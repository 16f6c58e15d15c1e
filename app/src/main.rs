//! Steward's browser app.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

mod activation_form;
mod api;
mod bench_hook;
mod check_workers;
mod grants;
mod import_flow;
mod import_machine;
mod import_resume;
mod language;
mod pages;
mod routes;
mod user_actions;
mod user_form;
mod user_list;

#[cfg(test)]
mod catalogue_check;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(routes::App);
}
