//! An upload that a closed tab or a reload left unfinished: what it was,
//! how far it got, and — once the same file is chosen again — Continue; or
//! Discard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::bulk::template::Operation;
use steward_domain::format;

use super::driver::Driver;
use super::page_lang;
use crate::i18n::*;
use crate::import_flow::count;
use crate::import_machine::{Event, ImportMachine};
use crate::import_resume::{self, Offer};
use crate::pages::shell::Session;

#[component]
pub fn ResumeOffer(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    // The signed-in person's record, looked up once they are known.
    if let Some(session) = use_context::<Session>() {
        Effect::new(move |looked_up: Option<bool>| {
            if looked_up == Some(true) {
                return true;
            }
            let Some(user_id) = session.me.with(|me| me.as_ref().map(|me| me.id.clone())) else { return false };
            spawn_local(async move {
                let unfinished = import_resume::recall(&user_id).await;
                driver.send(Event::Recalled { user_id, unfinished });
            });
            true
        });
    }
    let offer = driver.select(ImportMachine::resume_offer);
    let may_continue = driver.select(ImportMachine::may_continue);
    let unfinished = driver.select(|machine| machine.unfinished().map(|u| (u.file_name.clone(), u.operation, u.progress(), u.started)));
    let operation_label = move |operation: Operation| match operation {
        Operation::Create => t_string!(i18n, import.operation.create).to_string(),
        Operation::Edit => t_string!(i18n, import.operation.edit).to_string(),
        Operation::Delete => t_string!(i18n, import.operation.delete).to_string(),
    };
    let summary = move || {
        let (file, operation, (done, total), started) = unfinished.get()?;
        let lang = page_lang(i18n);
        let (operation, when, done, total) = (operation_label(operation), format::time(lang, started), count(lang, done), count(lang, total));
        Some(t_string!(i18n, import.resume.summary, file = file, operation = operation, when = when, done = done, total = total).to_string())
    };
    let status = move || match offer.get() {
        Offer::Nothing => String::new(),
        Offer::ChooseFile => t_string!(i18n, import.resume.choose_file).to_string(),
        Offer::OtherFile => t_string!(i18n, import.resume.other_file).to_string(),
        Offer::OtherOperation => {
            let operation = unfinished.get().map(|(_, operation, ..)| operation_label(operation)).unwrap_or_default();
            t_string!(i18n, import.resume.other_operation, operation = operation).to_string()
        }
        Offer::Continue => t_string!(i18n, import.resume.same_file).to_string(),
    };
    view! {
        <Show when=move || offer.get() != Offer::Nothing>
            <section aria-labelledby="resume-heading">
                <h2 id="resume-heading">{t!(i18n, import.resume.heading)}</h2>
                <p>{summary}</p>
                <p role="status">{status}</p>
                <p class="actions">
                    <Show when=move || offer.get() == Offer::Continue>
                        <button type="button" disabled=move || !may_continue.get() on:click=move |_| driver.send(Event::ContinueClicked)>
                            {t!(i18n, import.resume.continue_upload)}
                        </button>
                    </Show>
                    <button type="button" class="secondary" on:click=move |_| driver.send(Event::DiscardClicked)>{t!(i18n, import.resume.discard)}</button>
                </p>
            </section>
        </Show>
    }
}
