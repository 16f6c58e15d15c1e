//! The public page where a person applies to join an organization that
//! takes applications. The browser checks the fields with the same rules as
//! the server, and every problem is shown at its field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::join::{self, JoinInput};
use steward_domain::lang::Lang;

use crate::api;
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
        if let Err(issues) = join::parse(&input, today(), Lang::En) {
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
            <h1>"Apply to join an organization"</h1>
            <Show
                when=move || !sent.get()
                fallback=|| view! {
                    <p role="status">"Thank you. The organization's administrators will look at your application; if they approve it, you get an e-mail to activate your account."</p>
                }
            >
                <form on:submit=submit novalidate>
                    <p>"Some organizations let people apply for an account. Give the organization's CVR number and who you are."</p>
                    <TextField label="The organization's CVR number" name="cvr" value=cvr errors=errors hint="8 digits"/>
                    <TextField label="First name" name="first_name" value=first_name errors=errors autocomplete="given-name"/>
                    <TextField label="Last name" name="last_name" value=last_name errors=errors autocomplete="family-name"/>
                    <TextField label="E-mail" name="email" value=email errors=errors kind="email" autocomplete="email"/>
                    <TextField label="Birth date" name="birth_date" value=birth_date errors=errors hint="DD-MM-YYYY" autocomplete="bday"/>
                    {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                    <button type="submit">"Send application"</button>
                </form>
            </Show>
            <p><a href="/sign-in">"Already have an account? Sign in"</a></p>
        </main>
    }
}
