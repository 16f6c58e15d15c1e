//! What the file does (create, edit or delete users), and its template.

use leptos::prelude::*;
use steward_domain::bulk::template::{template_file, Operation};

use super::driver::Driver;
use super::save_file;
use crate::i18n::*;
use crate::import_machine::{Event, ImportMachine};

#[component]
pub fn OperationChoice(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let operation = driver.select(ImportMachine::operation);
    let label = move |op: Operation| match op {
        Operation::Create => t_string!(i18n, import.operation.create),
        Operation::Edit => t_string!(i18n, import.operation.edit),
        Operation::Delete => t_string!(i18n, import.operation.delete),
    };
    view! {
        <fieldset>
            <legend>{t!(i18n, import.operation.legend)}</legend>
            {[Operation::Create, Operation::Edit, Operation::Delete].into_iter().map(|op| view! {
                <label class="check">
                    <input type="radio" name="operation" prop:checked=move || operation.get() == op
                        on:change=move |_| driver.send(Event::OperationChosen(op))/>
                    {move || format!(" {}", label(op))}
                </label>
            }).collect_view()}
            <p>
                <button type="button" class="secondary" on:click=move |_| {
                    let op = operation.get_untracked();
                    save_file(&format!("steward-{}.csv", op.as_str()), &template_file(op));
                }>{t!(i18n, import.operation.template)}</button>
            </p>
        </fieldset>
    }
}
