//! The organization's audit log: every event, by date range and text, and
//! its export as CSV.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::AuditEntry;
use steward_domain::lifecycle::HistoryAction;

use crate::api;
use crate::i18n::*;
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
    let i18n = use_i18n();
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
            <h1>{t!(i18n, audit.title)}</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <form class="inline" on:submit=filter aria-label=move || t_string!(i18n, audit.filter_label)>
                <label for="audit-from">{t!(i18n, audit.from)}</label>
                <input id="audit-from" type="date" bind:value=from/>
                <label for="audit-to">{t!(i18n, audit.to)}</label>
                <input id="audit-to" type="date" bind:value=to/>
                <label for="audit-text">{t!(i18n, audit.text)}</label>
                <input id="audit-text" type="search" bind:value=text/>
                <button type="submit">{t!(i18n, audit.filter)}</button>
                <a class="button" href=move || export_url(&from.get(), &to.get(), &text.get()) download=move || t_string!(i18n, audit.file_name)>
                    {t!(i18n, audit.download)}
                </a>
            </form>
            <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0">
                <table>
                    <caption id="audit-caption">{t!(i18n, audit.caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, audit.when)}</th>
                        <th scope="col">{t!(i18n, audit.who)}</th>
                        <th scope="col">{t!(i18n, audit.what)}</th>
                        <th scope="col">{t!(i18n, audit.about)}</th>
                        <th scope="col">{t!(i18n, audit.details)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || entries.get() key=|e| (e.at, e.action.clone(), e.subject_id.clone(), e.details.clone()) let:entry>
                            <tr>
                                <td>{let at = entry.at; move || crate::language::time(at)}</td>
                                <td>{entry.actor_name.clone()}</td>
                                <td>{entry.label.clone()}</td>
                                <td>{if entry.action == HistoryAction::Imported.as_str() {
                                    let href = format!("/imports/{}", entry.subject_id);
                                    view! { <a href=href>{t!(i18n, audit.import_progress)}</a> }.into_any()
                                } else {
                                    entry.subject_name.clone().into_any()
                                }}</td>
                                <td>{entry.details.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </main>
    }
}
