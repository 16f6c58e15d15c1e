//! The signed-in person's own account, and changing their password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::activation::check_new_password;
use steward_domain::lang::Lang;

use crate::api;
use crate::pages::shell::{on_failure, Session, Shell};

#[component]
pub fn Account() -> impl IntoView {
    view! { <Shell><AccountDetails/></Shell> }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let session = expect_context::<Session>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(None);
        let chosen = new.get_untracked();
        // The same rule the server applies, before anything is sent.
        if let Err(problem) = check_new_password(&chosen) {
            error.set(Some(problem.message(Lang::En)));
            return;
        }
        if chosen != repeated.get_untracked() {
            error.set(Some("The two new passwords are not the same.".into()));
            return;
        }
        let old = current.get_untracked();
        spawn_local(async move {
            match api::change_password(old, chosen).await {
                Ok(()) => {
                    error.set(None);
                    current.set(String::new());
                    new.set(String::new());
                    repeated.set(String::new());
                    saved.set(Some("Your password is changed. You were signed out everywhere else.".into()));
                }
                Err(failure) => {
                    let issue = failure.issues().first().map(|issue| issue.message.clone());
                    error.set(issue.or_else(|| on_failure(failure)));
                }
            }
        });
    };
    view! {
        <main>
            <h1>"Your account"</h1>
            {move || session.me.get().map(|me| view! {
                <dl class="details">
                    <dt>"Name"</dt><dd>{format!("{} {}", me.first_name, me.last_name)}</dd>
                    <dt>"E-mail"</dt><dd>{me.email.clone()}</dd>
                    <dt>"Organization"</dt><dd>{me.organization.name.clone()}</dd>
                </dl>
            })}
            <h2>"Change your password"</h2>
            <form class="narrow-form" on:submit=submit>
                <label for="current-password">"Current password"</label>
                <input id="current-password" type="password" autocomplete="current-password" required bind:value=current/>
                <label for="new-password">"New password"</label>
                <input id="new-password" type="password" autocomplete="new-password" required bind:value=new aria-describedby="new-password-hint"/>
                <p class="hint" id="new-password-hint">"At least 12 characters; not a common password."</p>
                <label for="repeat-password">"Repeat the new password"</label>
                <input id="repeat-password" type="password" autocomplete="new-password" required bind:value=repeated/>
                {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                <p role="status">{move || saved.get()}</p>
                <button type="submit">"Change password"</button>
            </form>
        </main>
    }
}
