//! What the file does (create, edit or delete users), and its template.

use leptos::prelude::*;
use steward_domain::bulk::template::{template_file, Operation};

use super::driver::Driver;
use super::save_file;
use crate::import_machine::{Event, ImportMachine};

#[component]
pub fn OperationChoice(driver: Driver) -> impl IntoView {
    let operation = driver.select(ImportMachine::operation);
    view! {
        <fieldset>
            <legend>"What should the file do?"</legend>
            {[(Operation::Create, "Create users"), (Operation::Edit, "Edit users"), (Operation::Delete, "Delete users")].into_iter().map(|(op, label)| view! {
                <label class="check">
                    <input type="radio" name="operation" prop:checked=move || operation.get() == op
                        on:change=move |_| driver.send(Event::OperationChosen(op))/>
                    {format!(" {label}")}
                </label>
            }).collect_view()}
            <p>
                <button type="button" class="secondary" on:click=move |_| {
                    let op = operation.get_untracked();
                    save_file(&format!("steward-{}.csv", op.as_str()), &template_file(op));
                }>"Download the template"</button>
            </p>
        </fieldset>
    }
}
