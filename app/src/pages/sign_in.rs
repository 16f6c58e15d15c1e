//! The sign-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::pages::shell::PublicHeader;

#[component]
pub fn SignIn() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::sign_in(email.get_untracked(), password.get_untracked()).await {
                // Administrators start at their users; everyone else at their own account.
                Ok(me) => navigate(if me.role.administers_users() { "/users" } else { "/account" }, Default::default()),
                Err(failure) => {
                    error.set(Some(failure.message()));
                    busy.set(false);
                }
            }
        });
    };

    view! {
        <PublicHeader/>
        <main id="main" class="narrow">
            <h1>"Sign in to Steward"</h1>
            <form on:submit=submit>
                <label for="sign-in-email">"E-mail"</label>
                <input id="sign-in-email" name="email" type="email" autocomplete="username" required bind:value=email/>
                <label for="sign-in-password">"Password"</label>
                <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required bind:value=password/>
                {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                <button type="submit" disabled=move || busy.get()>"Sign in"</button>
            </form>
            <p>"New here? " <a href="/activate">"Activate your account"</a> " with the code from your administrator, or " <a href="/join">"apply to join an organization"</a> "."</p>
        </main>
    }
}
