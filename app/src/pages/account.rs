//! The signed-in person's own account, and changing their password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::activation::check_new_password;
use steward_domain::api::MyApplications;
use steward_domain::lang::Lang;

use crate::api;
use crate::grants::{application_label, held_label, status_label};
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
        <main id="main">
            <h1>"Your account"</h1>
            {move || session.me.get().map(|me| view! {
                <dl class="details">
                    <dt>"Name"</dt><dd>{format!("{} {}", me.first_name, me.last_name)}</dd>
                    <dt>"E-mail"</dt><dd>{me.email.clone()}</dd>
                    <dt>"Organization"</dt><dd>{me.organization.name.clone()}</dd>
                </dl>
            })}
            <MyApplicationsSection/>
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

/// What the person holds, what they asked for, and the form to ask for more.
#[component]
fn MyApplicationsSection() -> impl IntoView {
    let mine = RwSignal::new(None::<MyApplications>);
    let chosen = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
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
            error.set(Some("Choose the application you need.".into()));
            return;
        }
        let why = reason.get_untracked();
        spawn_local(async move {
            match api::request_application(application, why).await {
                Ok(request) => {
                    error.set(None);
                    chosen.set(String::new());
                    reason.set(String::new());
                    outcome.set(Some(format!("You asked for {}. Your administrators are told; you will get an e-mail with their answer.", request.application.name)));
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
            <h2 id="my-applications">"Your applications"</h2>
            {move || mine.get().map(|mine| view! {
                {(!mine.scope.is_empty()).then(|| view! { <p>"Scope: " {mine.scope.clone()}</p> })}
                {if mine.held.is_empty() {
                    view! { <p>"You hold no applications yet."</p> }.into_any()
                } else {
                    view! { <ul aria-label="Applications you hold">{mine.held.iter().map(|held| view! { <li>{held_label(held)}</li> }).collect_view()}</ul> }.into_any()
                }}
                {(!mine.requests.is_empty()).then(|| view! {
                    <table>
                        <caption>"Your requests"</caption>
                        <thead><tr><th scope="col">"Application"</th><th scope="col">"Asked"</th><th scope="col">"Answer"</th></tr></thead>
                        <tbody>{mine.requests.iter().map(|request| view! {
                            <tr>
                                <td>{request.application.name.clone()}</td>
                                <td>{crate::language::time(request.created_at)}</td>
                                <td>{status_label(request.status)}{request.decided_by.clone().map(|by| format!(" by {by}"))}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                })}
                {if mine.requestable.is_empty() {
                    view! { <p>"There is nothing more to ask for."</p> }.into_any()
                } else {
                    view! {
                        <form class="narrow-form" on:submit=ask aria-labelledby="request-heading">
                            <h3 id="request-heading">"Ask for an application"</h3>
                            <label for="request-application">"Application"</label>
                            <select id="request-application" prop:value=move || chosen.get() on:change=move |event| chosen.set(event_target_value(&event))>
                                <option value="">"Choose an application"</option>
                                {mine.requestable.iter().map(|a| view! { <option value=a.id.clone()>{application_label(a)}</option> }).collect_view()}
                            </select>
                            <label for="request-reason">"Why you need it (optional)"</label>
                            <textarea id="request-reason" maxlength="500" bind:value=reason></textarea>
                            <button type="submit">"Send request"</button>
                        </form>
                    }.into_any()
                }}
            })}
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
        </section>
    }
}
