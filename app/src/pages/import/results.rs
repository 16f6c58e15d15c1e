//! The upload under way (chunks sent, Resume after a failure) and its
//! report: counts, each row's result, and sending the created users to
//! activation.

use leptos::prelude::*;
use steward_domain::bulk::import::Outcome;

use super::driver::Driver;
use super::virtual_table::VirtualTable;
use super::{page_lang, save_file};
use crate::i18n::*;
use crate::import_flow::{count, outcome_label, results_csv, Upload};
use crate::import_machine::{Event, ImportMachine, Stage};
use crate::language;

#[component]
pub fn UploadResults(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let shown = driver.select(ImportMachine::upload_started);
    view! {
        <Show when=move || shown.get()>
            <section aria-labelledby="results-heading">
                <h2 id="results-heading">{t!(i18n, import.results.heading)}</h2>
                <UploadProgress driver/>
                <RowReport driver/>
            </section>
        </Show>
    }
}

#[component]
fn UploadProgress(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let progress = driver.select(|machine| machine.upload().map_or((0, 0), Upload::progress));
    let paused = driver.select(|machine| matches!(machine.stage(), Stage::Paused(_)));
    view! {
        <div role="status">
            <label for="upload-progress">{move || {
                let lang = page_lang(i18n);
                let (done, total) = progress.get();
                t_string!(i18n, import.results.progress, done = count(lang, done), total = count(lang, total)).to_string()
            }}</label>
            <progress id="upload-progress" max=move || progress.get().1.max(1) value=move || progress.get().0></progress>
        </div>
        <Show when=move || paused.get()>
            <button type="button" on:click=move |_| driver.send(Event::ResumeClicked)>{t!(i18n, import.results.resume)}</button>
        </Show>
    }
}

#[component]
fn RowReport(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    // Created, updated, deleted and rejected rows, once every chunk is answered.
    let done = driver.select(|machine| match machine.stage() {
        Stage::Done(upload) => Some([Outcome::Created, Outcome::Updated, Outcome::Deleted, Outcome::Rejected].map(|outcome| upload.count(outcome))),
        _ => None,
    });
    let activation = driver.select(ImportMachine::activation_status);
    let rows = driver.select(move |machine| {
        let lang = page_lang(i18n);
        let outcomes = machine.upload().map(Upload::outcomes).unwrap_or_default();
        outcomes
            .into_iter()
            .map(|o| vec![o.row.to_string(), outcome_label(lang, o.outcome), o.user_id.unwrap_or_default(), o.reason.unwrap_or_default()])
            .collect::<Vec<_>>()
    });
    let download = move |_| {
        let outcomes = driver.read(|machine| machine.upload().map(Upload::outcomes).unwrap_or_default());
        save_file("results.csv", &results_csv(language::current(), &outcomes));
    };
    view! {
        <p role="status">{move || done.get().map(|[created, updated, deleted, rejected]| {
            let lang = page_lang(i18n);
            let [created, updated, deleted, rejected] = [created, updated, deleted, rejected].map(|n| count(lang, n));
            t_string!(i18n, import.results.done, created = created, updated = updated, deleted = deleted, rejected = rejected).to_string()
        })}</p>
        <div class="actions">
            <button type="button" class="secondary" on:click=download>{t!(i18n, import.results.download)}</button>
            <Show when=move || done.get().is_some_and(|[created, ..]| created > 0)>
                <button type="button" on:click=move |_| driver.send(Event::SendToActivationClicked)>{t!(i18n, import.results.send_to_activation)}</button>
            </Show>
        </div>
        <p role="status">{move || activation.get().map(|status| status.message(page_lang(i18n)))}</p>
        <VirtualTable
            caption=Signal::derive(move || t_string!(i18n, import.results.caption).to_string())
            headers=Signal::derive(move || vec![
                t_string!(i18n, import.results.column.row).to_string(),
                t_string!(i18n, import.results.column.result).to_string(),
                t_string!(i18n, import.results.column.uuid).to_string(),
                t_string!(i18n, import.results.column.reason).to_string(),
            ])
            rows/>
    }
}
