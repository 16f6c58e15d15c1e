//! The upload under way (chunks sent, Resume after a failure) and its
//! report: counts, each row's result, and sending the created users to
//! activation.

use leptos::prelude::*;
use steward_domain::bulk::import::Outcome;

use super::driver::Driver;
use super::save_file;
use super::virtual_table::VirtualTable;
use crate::import_flow::{outcome_label, results_csv, Upload};
use crate::import_machine::{Event, ImportMachine, Stage};

#[component]
pub fn UploadResults(driver: Driver) -> impl IntoView {
    let shown = driver.select(ImportMachine::upload_started);
    view! {
        <Show when=move || shown.get()>
            <section aria-labelledby="results-heading">
                <h2 id="results-heading">"Results"</h2>
                <UploadProgress driver/>
                <RowReport driver/>
            </section>
        </Show>
    }
}

#[component]
fn UploadProgress(driver: Driver) -> impl IntoView {
    let progress = driver.select(|machine| machine.upload().map_or((0, 0), Upload::progress));
    let paused = driver.select(|machine| matches!(machine.stage(), Stage::Paused(_)));
    view! {
        <label for="upload-progress">{move || { let (done, total) = progress.get(); format!("Uploaded {done} of {total} chunks") }}</label>
        <progress id="upload-progress" max=move || progress.get().1.max(1) value=move || progress.get().0></progress>
        <Show when=move || paused.get()>
            <button type="button" on:click=move |_| driver.send(Event::ResumeClicked)>"Resume the upload"</button>
        </Show>
    }
}

#[component]
fn RowReport(driver: Driver) -> impl IntoView {
    // Created, updated, deleted and rejected rows, once every chunk is answered.
    let done = driver.select(|machine| match machine.stage() {
        Stage::Done(upload) => Some([Outcome::Created, Outcome::Updated, Outcome::Deleted, Outcome::Rejected].map(|outcome| upload.count(outcome))),
        _ => None,
    });
    let activation = driver.select(ImportMachine::activation_status);
    let rows = driver.select(|machine| {
        let outcomes = machine.upload().map(Upload::outcomes).unwrap_or_default();
        outcomes
            .into_iter()
            .map(|o| vec![o.row.to_string(), outcome_label(o.outcome).to_owned(), o.user_id.unwrap_or_default(), o.reason.unwrap_or_default()])
            .collect::<Vec<_>>()
    });
    let download = move |_| {
        let outcomes = driver.read(|machine| machine.upload().map(Upload::outcomes).unwrap_or_default());
        save_file("results.csv", &results_csv(&outcomes));
    };
    view! {
        <p role="status">{move || done.get().map(|[created, updated, deleted, rejected]| {
            format!("Done: {created} created, {updated} updated, {deleted} deleted, {rejected} rejected.")
        })}</p>
        <div class="actions">
            <button type="button" class="secondary" on:click=download>"Download the results (CSV)"</button>
            <Show when=move || done.get().is_some_and(|[created, ..]| created > 0)>
                <button type="button" on:click=move |_| driver.send(Event::SendToActivationClicked)>"Send all link-path users to activation"</button>
            </Show>
        </div>
        <p role="status">{move || activation.get()}</p>
        <VirtualTable caption="Result per row" headers=&["Row", "Result", "UUID", "Reason"] rows/>
    }
}
