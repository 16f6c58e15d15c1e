//! What of the checked file goes up: all rows, or only those without
//! findings; a delete confirmed by typing its count.

use leptos::prelude::*;
use steward_domain::bulk::template::Operation;

use super::driver::Driver;
use super::page_lang;
use crate::i18n::*;
use crate::import_flow::{counted, Readiness};
use crate::import_machine::{Event, ImportMachine, Stage};

#[component]
pub fn UploadChoicePanel(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let shown = driver.select(|machine| matches!(machine.stage(), Stage::Checked(_)) && machine.readiness().is_some());
    let readiness = driver.select(ImportMachine::readiness);
    let operation = driver.select(ImportMachine::operation);
    let rows = driver.select(ImportMachine::rows_to_send);
    let valid_only = driver.select(ImportMachine::valid_only);
    let typed_count = driver.select(|machine| machine.typed_count().to_owned());
    let may_upload = driver.select(ImportMachine::may_upload);
    view! {
        <Show when=move || shown.get()>
            <section aria-labelledby="upload-heading">
                <h2 id="upload-heading">{t!(i18n, import.upload.heading)}</h2>
                {move || match readiness.get() {
                    Some(Readiness::Blocked) => view! { <p>{t!(i18n, import.upload.blocked)}</p> }.into_any(),
                    Some(Readiness::Empty) => view! { <p>{t!(i18n, import.upload.empty)}</p> }.into_any(),
                    Some(Readiness::ValidRowsOnly { valid, with_findings }) => view! {
                        <p>{move || counted!(page_lang(i18n), with_findings, import.upload.with_findings)}</p>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || valid_only.get()
                                on:change=move |event| driver.send(Event::ValidOnlyChosen(event_target_checked(&event)))/>
                            {move || format!(" {}", counted!(page_lang(i18n), valid, import.upload.valid_only))}
                        </label>
                    }.into_any(),
                    _ => view! { <p>{move || counted!(page_lang(i18n), rows.get(), import.upload.all_ready)}</p> }.into_any(),
                }}
                <Show when=move || { operation.get() == Operation::Delete && rows.get() > 0 }>
                    // The count to type is written as digits alone, in every language.
                    <label for="delete-count">{move || counted!(page_lang(i18n), rows.get(), import.upload.confirm_delete, typed = rows.get())}</label>
                    <input id="delete-count" inputmode="numeric" prop:value=move || typed_count.get()
                        on:input=move |event| driver.send(Event::CountTyped(event_target_value(&event)))/>
                </Show>
                <p>
                    <button type="button" disabled=move || !may_upload.get() on:click=move |_| driver.send(Event::UploadClicked)>
                        {move || {
                            let (lang, rows) = (page_lang(i18n), rows.get());
                            match operation.get() {
                                Operation::Create => counted!(lang, rows, import.upload.create),
                                Operation::Edit => counted!(lang, rows, import.upload.edit),
                                Operation::Delete => counted!(lang, rows, import.upload.delete),
                            }
                        }}
                    </button>
                </p>
            </section>
        </Show>
    }
}
