//! The signed-in person's own account, and changing their password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::activation::check_new_password;
use steward_domain::api::MyApplications;
use steward_domain::api::{HeldApplication, RequestStatus};

use crate::api;
use crate::grants::application_label;
use crate::i18n::*;
use crate::language;
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
    let i18n = use_i18n();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saved.set(None);
        let lang = language::lang(i18n.get_locale_untracked());
        let chosen = new.get_untracked();
        // The same rule the server applies, before anything is sent.
        if let Err(problem) = check_new_password(&chosen) {
            error.set(Some(problem.message(lang)));
            return;
        }
        if chosen != repeated.get_untracked() {
            error.set(Some(td_string!(language::locale(lang), account.not_same).to_string()));
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
                    saved.set(Some(td_string!(language::locale(language::current()), account.changed).to_string()));
                }
                Err(failure) => {
                    let issue = failure.issues().first().map(|issue| issue.message.clone());
                    error.set(issue.or_else(|| on_failure(failure)));
                }
            }
        });
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, account.title)}</h1>
            {move || session.me.get().map(|me| view! {
                <dl class="details">
                    <dt>{t!(i18n, account.name)}</dt><dd>{format!("{} {}", me.first_name, me.last_name)}</dd>
                    <dt>{t!(i18n, account.email)}</dt><dd>{me.email.clone()}</dd>
                    <dt>{t!(i18n, account.organization)}</dt><dd>{me.organization.name.clone()}</dd>
                </dl>
            })}
            <MyApplicationsSection/>
            <h2>{t!(i18n, account.change_password)}</h2>
            <form class="narrow-form" on:submit=submit>
                <label for="current-password">{t!(i18n, account.current_password)}</label>
                <input id="current-password" type="password" autocomplete="current-password" required bind:value=current/>
                <label for="new-password">{t!(i18n, account.new_password)}</label>
                <input id="new-password" type="password" autocomplete="new-password" required bind:value=new aria-describedby="new-password-hint"/>
                <p class="hint" id="new-password-hint">{t!(i18n, account.password_hint)}</p>
                <label for="repeat-password">{t!(i18n, account.repeat_password)}</label>
                <input id="repeat-password" type="password" autocomplete="new-password" required bind:value=repeated/>
                {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                <p role="status">{move || saved.get()}</p>
                <button type="submit">{t!(i18n, account.submit_password)}</button>
            </form>
        </main>
    }
}

/// What the person holds, what they asked for, and the form to ask for more.
#[component]
fn MyApplicationsSection() -> impl IntoView {
    let mine = RwSignal::new(None::<MyApplications>);
    let chosen = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let i18n = use_i18n();
    let load = move || {
        spawn_local(async move {
            match api::my_applications().await {
                Ok(found) => mine.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let ask = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let application = chosen.get_untracked();
        if application.is_empty() {
            error.set(Some(t_string!(i18n, account.applications.choose_first).to_string()));
            return;
        }
        let why = reason.get_untracked();
        spawn_local(async move {
            match api::request_application(application, why).await {
                Ok(request) => {
                    error.set(None);
                    chosen.set(String::new());
                    reason.set(String::new());
                    outcome.set(Some(
                        td_string!(language::locale(language::current()), account.applications.asked_for, application = request.application.name).to_string(),
                    ));
                    load();
                }
                Err(failure) => {
                    let issue = failure.issues().first().map(|issue| issue.message.clone());
                    error.set(issue.or_else(|| on_failure(failure)));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="my-applications">
            <h2 id="my-applications">{t!(i18n, account.applications.title)}</h2>
            {move || mine.get().map(|mine| view! {
                {(!mine.scope.is_empty()).then(|| view! { <p>{t!(i18n, account.applications.scope)} {mine.scope.clone()}</p> })}
                {if mine.held.is_empty() {
                    view! { <p>{t!(i18n, account.applications.none_held)}</p> }.into_any()
                } else {
                    view! { <ul aria-label=move || t_string!(i18n, account.applications.held_label)>
                        {mine.held.iter().map(|held| { let held = held.clone(); view! { <li>{move || held_text(i18n, &held)}</li> } }).collect_view()}
                    </ul> }.into_any()
                }}
                {(!mine.requests.is_empty()).then(|| view! {
                    <table>
                        <caption>{t!(i18n, account.applications.requests_caption)}</caption>
                        <thead><tr><th scope="col">{t!(i18n, account.applications.application)}</th>
                            <th scope="col">{t!(i18n, account.applications.asked)}</th>
                            <th scope="col">{t!(i18n, account.applications.answer)}</th></tr></thead>
                        <tbody>{mine.requests.iter().map(|request| view! {
                            <tr>
                                <td>{request.application.name.clone()}</td>
                                <td>{let at = request.created_at; move || language::time(at)}</td>
                                <td>
                                    {status_text(i18n, request.status)}
                                    {request.decided_by.clone().map(|by| view! { {t!(i18n, account.applications.decided_by, name = by)} })}
                                </td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                })}
                {if mine.requestable.is_empty() {
                    view! { <p>{t!(i18n, account.applications.nothing_more)}</p> }.into_any()
                } else {
                    view! {
                        <form class="narrow-form" on:submit=ask aria-labelledby="request-heading">
                            <h3 id="request-heading">{t!(i18n, account.applications.ask_heading)}</h3>
                            <label for="request-application">{t!(i18n, account.applications.application)}</label>
                            <select id="request-application" prop:value=move || chosen.get() on:change=move |event| chosen.set(event_target_value(&event))>
                                <option value="">{t!(i18n, account.applications.choose)}</option>
                                {mine.requestable.iter().map(|a| view! { <option value=a.id.clone()>{application_label(a)}</option> }).collect_view()}
                            </select>
                            <label for="request-reason">{t!(i18n, account.applications.reason)}</label>
                            <textarea id="request-reason" maxlength="500" bind:value=reason></textarea>
                            <button type="submit">{t!(i18n, account.applications.send)}</button>
                        </form>
                    }.into_any()
                }}
            })}
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
        </section>
    }
}

/// An application someone holds, and where from, in the page's language.
fn held_text(i18n: leptos_i18n::I18nContext<Locale>, held: &HeldApplication) -> String {
    match &held.via_group {
        None => application_label(&held.application),
        Some(group) => {
            t_string!(i18n, account.applications.through_group, application = application_label(&held.application), group = group.clone()).to_string()
        }
    }
}

/// The answer to a request so far, in the page's language.
fn status_text(i18n: leptos_i18n::I18nContext<Locale>, status: RequestStatus) -> impl IntoView {
    move || match status {
        RequestStatus::Pending => t_string!(i18n, account.applications.status.pending),
        RequestStatus::Granted => t_string!(i18n, account.applications.status.granted),
        RequestStatus::Refused => t_string!(i18n, account.applications.status.refused),
    }
}
