//! The organization's audit log: every event, by date range and text, and
//! its export as CSV.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::AuditEntry;

use crate::api;
use crate::pages::shell::{on_failure, Shell};

#[component]
pub fn AuditLog() -> impl IntoView {
    view! { <Shell><AuditLogPage/></Shell> }
}

/// The export's address for the current filters.
fn export_url(from: &str, to: &str, text: &str) -> String {
    let mut url = String::from("/api/audit?format=csv");
    for (name, value) in [("from", from), ("to", to), ("q", text)] {
        if !value.trim().is_empty() {
            url.push_str(&format!("&{name}={}", js_sys::encode_uri_component(value.trim())));
        }
    }
    url
}

#[component]
fn AuditLogPage() -> impl IntoView {
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match api::audit(&from.get_untracked(), &to.get_untracked(), &text.get_untracked()).await {
                Ok(page) => entries.set(page.entries),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let filter = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        load();
    };
    view! {
        <main id="main">
            <h1>"Audit log"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <form class="inline" on:submit=filter aria-label="Filter the audit log">
                <label for="audit-from">"From"</label>
                <input id="audit-from" type="date" bind:value=from/>
                <label for="audit-to">"To"</label>
                <input id="audit-to" type="date" bind:value=to/>
                <label for="audit-text">"Text"</label>
                <input id="audit-text" type="search" bind:value=text/>
                <button type="submit">"Filter"</button>
                <a class="button" href=move || export_url(&from.get(), &to.get(), &text.get()) download="steward-audit-log.csv">"Download as CSV"</a>
            </form>
            <table>
                <caption>"Latest 200 events, newest first"</caption>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                    <th scope="col">"About"</th><th scope="col">"Details"</th>
                </tr></thead>
                <tbody>
                    <For each=move || entries.get() key=|e| (e.at, e.action.clone(), e.subject_id.clone(), e.details.clone()) let:entry>
                        <tr>
                            <td>{crate::language::time(entry.at)}</td>
                            <td>{entry.actor_name.clone()}</td>
                            <td>{entry.label.clone()}</td>
                            <td>{entry.subject_name.clone()}</td>
                            <td>{entry.details.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </main>
    }
}
