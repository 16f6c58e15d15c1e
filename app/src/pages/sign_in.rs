//! The sign-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::i18n::*;
use crate::pages::shell::PublicHeader;

#[component]
pub fn SignIn() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let i18n = use_i18n();

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
            <h1>{t!(i18n, sign_in.title)}</h1>
            <form on:submit=submit>
                <label for="sign-in-email">{t!(i18n, sign_in.email)}</label>
                <input id="sign-in-email" name="email" type="email" autocomplete="username" required bind:value=email/>
                <label for="sign-in-password">{t!(i18n, sign_in.password)}</label>
                <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required bind:value=password/>
                {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                <button type="submit" disabled=move || busy.get()>{t!(i18n, sign_in.submit)}</button>
            </form>
            <p>
                {t!(i18n, sign_in.new_here)}
                <a href="/activate">{t!(i18n, sign_in.activate_link)}</a>
                {t!(i18n, sign_in.with_code_or)}
                <a href="/join">{t!(i18n, sign_in.join_link)}</a>
                {t!(i18n, sign_in.end)}
            </p>
        </main>
    }
}
