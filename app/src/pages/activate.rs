//! The public activation page: from the e-mail's link (the token is in the
//! address's fragment), or with e-mail, the handed-over code and the birth
//! date; then a password.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::activation_form::{request, ActivationMode, CodeFields};
use crate::api;
use crate::i18n::*;
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
    let i18n = use_i18n();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let fields = CodeFields { email: email.get_untracked(), code: code.get_untracked(), birth_date: birth_date.get_untracked() };
        let built = mode.with_value(|mode| request(mode, &fields, &password.get_untracked(), &repeated.get_untracked(), crate::language::lang(i18n.get_locale_untracked())));
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
            <h1>{t!(i18n, activate.title)}</h1>
            <Show
                when=move || !done.get()
                fallback=move || view! {
                    <p role="status">{t!(i18n, activate.done)}</p>
                    <p><a href="/sign-in">{t!(i18n, activate.sign_in)}</a></p>
                }
            >
                <form on:submit=submit>
                    {if is_link {
                        view! { <p>{t!(i18n, activate.link_intro)}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t!(i18n, activate.code_intro)}</p>
                            <label for="activate-email">{t!(i18n, activate.email)}</label>
                            <input id="activate-email" type="email" autocomplete="username" required bind:value=email/>
                            <label for="activate-code">{t!(i18n, activate.code)}</label>
                            <input id="activate-code" autocomplete="one-time-code" required bind:value=code aria-describedby="activate-code-hint"/>
                            <p class="hint" id="activate-code-hint">{t!(i18n, activate.code_hint)}</p>
                            <label for="activate-birth-date">{t!(i18n, activate.birth_date)}</label>
                            <input id="activate-birth-date" required bind:value=birth_date aria-describedby="activate-birth-date-hint"/>
                            <p class="hint" id="activate-birth-date-hint">{t!(i18n, activate.birth_date_hint)}</p>
                        }.into_any()
                    }}
                    <label for="activate-password">{t!(i18n, activate.password)}</label>
                    <input id="activate-password" type="password" autocomplete="new-password" required bind:value=password aria-describedby="activate-password-hint"/>
                    <p class="hint" id="activate-password-hint">{t!(i18n, activate.password_hint)}</p>
                    <label for="activate-repeat">{t!(i18n, activate.repeat)}</label>
                    <input id="activate-repeat" type="password" autocomplete="new-password" required bind:value=repeated/>
                    {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                    <button type="submit" disabled=move || busy.get()>{t!(i18n, activate.submit)}</button>
                </form>
            </Show>
        </main>
    }
}
