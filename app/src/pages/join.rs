//! The public page where a person applies to join an organization that
//! takes applications. The browser checks the fields with the same rules as
//! the server, and every problem is shown at its field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::join::{self, JoinInput};

use crate::api;
use crate::i18n::*;
use crate::pages::user_form::{focus_field, today, TextField};
use crate::user_form::FieldErrors;
use crate::pages::shell::PublicHeader;

/// The join form's fields in the order it shows them.
const JOIN_FIELDS: &[&str] = &["cvr", "first_name", "last_name", "email", "birth_date"];

#[component]
pub fn Join() -> impl IntoView {
    let cvr = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let i18n = use_i18n();
    let show = move |found: FieldErrors| {
        if let Some(field) = found.first_field(JOIN_FIELDS) {
            focus_field(&field);
        }
        errors.set(found);
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let input = JoinInput {
            cvr: cvr.get_untracked(),
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            email: email.get_untracked(),
            birth_date: birth_date.get_untracked(),
        };
        if let Err(issues) = join::parse(&input, today(), crate::language::lang(i18n.get_locale_untracked())) {
            show(FieldErrors::from_issues(&issues));
            return;
        }
        errors.set(FieldErrors::default());
        spawn_local(async move {
            match api::apply_to_join(&input).await {
                Ok(()) => sent.set(true),
                Err(failure) if !failure.issues().is_empty() => show(FieldErrors::from_issues(&failure.issues())),
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    view! {
        <PublicHeader/>
        <main id="main" class="narrow">
            <h1>{t!(i18n, join.title)}</h1>
            <Show
                when=move || !sent.get()
                fallback=move || view! {
                    <p role="status">{t!(i18n, join.sent)}</p>
                }
            >
                <form on:submit=submit novalidate>
                    <p>{t!(i18n, join.intro)}</p>
                    <TextField label=move || t_string!(i18n, join.cvr) name="cvr" value=cvr errors=errors hint=move || t_string!(i18n, join.cvr_hint)/>
                    <TextField label=move || t_string!(i18n, join.first_name) name="first_name" value=first_name errors=errors autocomplete="given-name"/>
                    <TextField label=move || t_string!(i18n, join.last_name) name="last_name" value=last_name errors=errors autocomplete="family-name"/>
                    <TextField label=move || t_string!(i18n, join.email) name="email" value=email errors=errors kind="email" autocomplete="email"/>
                    <TextField label=move || t_string!(i18n, join.birth_date) name="birth_date" value=birth_date errors=errors hint=move || t_string!(i18n, join.birth_date_hint) autocomplete="bday"/>
                    {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                    <button type="submit">{t!(i18n, join.submit)}</button>
                </form>
            </Show>
            <p><a href="/sign-in">{t!(i18n, join.have_account)}</a></p>
        </main>
    }
}
