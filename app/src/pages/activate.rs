//! The public activation page: from the e-mail's link (the token is in the
//! address's fragment), or with e-mail, the handed-over code and the birth
//! date; then a password.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::activation_form::{request, ActivationMode, CodeFields};
use crate::api;
use crate::pages::shell::PublicHeader;

#[component]
pub fn Activate() -> impl IntoView {
    let mode = ActivationMode::from_fragment(&window().location().hash().unwrap_or_default());
    let is_link = matches!(mode, ActivationMode::Link { .. });
    let mode = StoredValue::new(mode);
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let birth_date = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let fields = CodeFields { email: email.get_untracked(), code: code.get_untracked(), birth_date: birth_date.get_untracked() };
        let built = mode.with_value(|mode| request(mode, &fields, &password.get_untracked(), &repeated.get_untracked()));
        let body = match built {
            Ok(body) => body,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::activate(&body).await {
                Ok(()) => done.set(true),
                Err(failure) => {
                    let issues = failure.issues();
                    error.set(Some(issues.first().map_or_else(|| failure.message(), |issue| issue.message.clone())));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <PublicHeader/>
        <main id="main" class="narrow">
            <h1>"Activate your account"</h1>
            <Show
                when=move || !done.get()
                fallback=|| view! {
                    <p role="status">"Your account is active."</p>
                    <p><a href="/sign-in">"Sign in"</a></p>
                }
            >
                <form on:submit=submit>
                    {if is_link {
                        view! { <p>"Choose the password you will sign in with."</p> }.into_any()
                    } else {
                        view! {
                            <p>"Enter your e-mail address, the code your administrator gave you and your birth date."</p>
                            <label for="activate-email">"E-mail"</label>
                            <input id="activate-email" type="email" autocomplete="username" required bind:value=email/>
                            <label for="activate-code">"Activation code"</label>
                            <input id="activate-code" autocomplete="one-time-code" required bind:value=code aria-describedby="activate-code-hint"/>
                            <p class="hint" id="activate-code-hint">"12 letters and digits, e.g. K7QM-2XHP-9RTA"</p>
                            <label for="activate-birth-date">"Birth date"</label>
                            <input id="activate-birth-date" required bind:value=birth_date aria-describedby="activate-birth-date-hint"/>
                            <p class="hint" id="activate-birth-date-hint">"DD-MM-YYYY"</p>
                        }.into_any()
                    }}
                    <label for="activate-password">"New password"</label>
                    <input id="activate-password" type="password" autocomplete="new-password" required bind:value=password aria-describedby="activate-password-hint"/>
                    <p class="hint" id="activate-password-hint">"At least 12 characters; not a common password."</p>
                    <label for="activate-repeat">"Repeat the password"</label>
                    <input id="activate-repeat" type="password" autocomplete="new-password" required bind:value=repeated/>
                    {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                    <button type="submit" disabled=move || busy.get()>"Activate"</button>
                </form>
            </Show>
        </main>
    }
}
