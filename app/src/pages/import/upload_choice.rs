//! What of the checked file goes up: all rows, or only those without
//! findings; a delete confirmed by typing its count.

use leptos::prelude::*;
use steward_domain::bulk::template::Operation;

use super::driver::Driver;
use crate::import_flow::Readiness;
use crate::import_machine::{Event, ImportMachine, Stage};

#[component]
pub fn UploadChoicePanel(driver: Driver) -> impl IntoView {
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
                <h2 id="upload-heading">"Upload"</h2>
                {move || match readiness.get() {
                    Some(Readiness::Blocked) => view! { <p>"The file itself must be corrected first (see the findings)."</p> }.into_any(),
                    Some(Readiness::Empty) => view! { <p>"The file has no rows to upload."</p> }.into_any(),
                    Some(Readiness::ValidRowsOnly { valid, with_findings }) => view! {
                        <p>{format!("{with_findings} rows have findings. Correct the file and check again, or send only the others.")}</p>
                        <label class="check">
                            <input type="checkbox" prop:checked=move || valid_only.get()
                                on:change=move |event| driver.send(Event::ValidOnlyChosen(event_target_checked(&event)))/>
                            {format!(" Send only the {valid} rows without findings")}
                        </label>
                    }.into_any(),
                    _ => view! { <p>{format!("All {} rows are ready.", rows.get())}</p> }.into_any(),
                }}
                <Show when=move || { operation.get() == Operation::Delete && rows.get() > 0 }>
                    <label for="delete-count">{move || format!("To delete {} users for good, type {}", rows.get(), rows.get())}</label>
                    <input id="delete-count" inputmode="numeric" prop:value=move || typed_count.get()
                        on:input=move |event| driver.send(Event::CountTyped(event_target_value(&event)))/>
                </Show>
                <p>
                    <button type="button" disabled=move || !may_upload.get() on:click=move |_| driver.send(Event::UploadClicked)>
                        {move || match operation.get() {
                            Operation::Create => format!("Create {} users", rows.get()),
                            Operation::Edit => format!("Update {} users", rows.get()),
                            Operation::Delete => format!("Delete {} users", rows.get()),
                        }}
                    </button>
                </p>
            </section>
        </Show>
    }
}
