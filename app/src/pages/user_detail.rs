//! One user: their record (CPR masked), what can be done with them now, and
//! their history with date range and text search.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use steward_domain::activation::ActivationPath;
use steward_domain::api::{ActivationSent, DeactivateRequest, HistoryEntry, UserApplications, UserDetail};

use crate::api::{self, ApiFailure};
use crate::grants::{application_label, held_label};
use crate::pages::shell::{on_failure, Session, Shell};
use crate::pages::user_form::{today, TextField};
use crate::user_actions::{available_actions, role_choice_label, role_choices, UserAction};
use crate::user_form::FieldErrors;
use crate::user_list::status_label;

#[component]
pub fn UserPage() -> impl IntoView {
    view! { <Shell><UserDetailPage/></Shell> }
}

/// Which confirmation panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Deactivate,
    Delete,
}

fn row(label: &'static str, value: Option<String>) -> impl IntoView {
    view! { <dt>{label}</dt><dd>{value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into())}</dd> }
}

fn yes_no(value: bool) -> Option<String> {
    Some(if value { "Yes" } else { "No" }.into())
}

#[component]
fn UserDetailPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let id = StoredValue::new(id);
    let user = RwSignal::new(None::<UserDetail>);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let code = RwSignal::new(None::<String>);
    let panel = RwSignal::new(Panel::None);
    let history = RwSignal::new(Vec::<HistoryEntry>::new());
    let history_from = RwSignal::new(String::new());
    let history_to = RwSignal::new(String::new());
    let history_text = RwSignal::new(String::new());
    let period_from = RwSignal::new(String::new());
    let period_until = RwSignal::new(String::new());
    let period_errors = RwSignal::new(FieldErrors::default());
    let navigate = use_navigate();
    let session = expect_context::<Session>();

    let load_history = move || {
        spawn_local(async move {
            let found = api::history(
                &id.get_value(),
                &history_from.get_untracked(),
                &history_to.get_untracked(),
                &history_text.get_untracked(),
            )
            .await;
            match found {
                Ok(page) => history.set(page.entries),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let reload = move || {
        spawn_local(async move {
            match api::user(&id.get_value()).await {
                Ok(found) => user.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
        load_history();
    };
    reload();

    let report = move |result: Result<String, ApiFailure>| match result {
        Ok(message) => {
            error.set(None);
            outcome.set(Some(message));
            panel.set(Panel::None);
            reload();
        }
        Err(failure) => {
            period_errors.set(FieldErrors::from_issues(&failure.issues()));
            error.set(on_failure(failure));
        }
    };

    let act = move |action: UserAction| {
        outcome.set(None);
        code.set(None);
        match action {
            UserAction::Deactivate => panel.set(Panel::Deactivate),
            UserAction::Delete => panel.set(Panel::Delete),
            UserAction::Reactivate => spawn_local(async move {
                report(api::reactivate(&id.get_value()).await.map(|_| "The user is active again.".into()));
            }),
            UserAction::SendToActivation | UserAction::ResendLink | UserAction::RegenerateCode => spawn_local(async move {
                let sent = api::send_to_activation(&id.get_value()).await;
                report(sent.map(|ActivationSent { path, code: new_code, .. }| match path {
                    ActivationPath::Link => "An e-mail with a new activation link is on its way; any earlier link no longer works.".into(),
                    ActivationPath::Code => {
                        code.set(new_code);
                        "Hand this code to the user yourself. It is shown only now; the user's e-mail does not contain it.".into()
                    }
                }));
            }),
        }
    };

    let deactivate = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let period = DeactivateRequest {
            from: Some(period_from.get_untracked()).filter(|v| !v.is_empty()),
            until: Some(period_until.get_untracked()).filter(|v| !v.is_empty()),
        };
        spawn_local(async move {
            let result = api::deactivate(&id.get_value(), &period).await;
            report(result.map(|user| match user.deactivate_from {
                Some(from) => format!("The user will be deactivated on {from}."),
                None => "The user is deactivated and signed out everywhere.".into(),
            }));
        });
    };

    let delete = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::delete_user(&id.get_value()).await {
                Ok(()) => navigate("/users", Default::default()),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };

    let filter_history = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        load_history();
    };

    view! {
        <main id="main">
            <p><a href="/users">"← Users"</a></p>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <div role="status" aria-live="polite">
                {move || outcome.get().map(|message| view! { <p class="notice">{message}</p> })}
                {move || code.get().map(|code| view! {
                    <p class="code-box">"Activation code: " <strong class="code" aria-label=format!("Activation code {code}")>{code.clone()}</strong></p>
                })}
            </div>
            {move || user.get().map(|user| {
                let delete = delete.clone();
                let actions = session.me.get().map(|me| available_actions(&user, me.role, me.id == user.id)).unwrap_or_default();
                let user_role = user.role;
                let user_id = StoredValue::new(user.id.clone());
                let name = format!("{} {}", user.first_name, user.last_name);
                view! {
                    <h1>{name.clone()}</h1>
                    <p>
                        "Status: " <strong>{status_label(user.status)}</strong>
                        {user.code_locked.then(|| " · the activation code is locked after 5 wrong attempts")}
                        {user.registration_deadline.map(|deadline| format!(" · activate by {}", crate::language::time(deadline)))}
                        {user.deactivate_from.clone().map(|from| format!(" · deactivation from {from}"))}
                        {user.deactivate_until.clone().map(|until| format!(" · until {until}"))}
                    </p>
                    <p>"Role: " <strong>{user.role.label()}</strong>{(!user.scope.is_empty()).then(|| format!(" · scope: {}", user.scope))}</p>
                    <UserApplicationsSection user_id=user.id.clone() on_change=Callback::new(move |()| load_history())/>
                    <div class="actions">
                        <a class="button" href=format!("/users/{}/edit", user.id)>"Edit"</a>
                        {move || session.me.get().map(|me| role_choices(me.role, me.id == user_id.get_value(), user_role)
                            .into_iter()
                            .map(|role| view! {
                                <button type="button" on:click=move |_| spawn_local(async move {
                                    report(api::set_role(&id.get_value(), role).await.map(|user| format!("{} is now: {}.", user.first_name, user.role.label())));
                                })>{role_choice_label(role)}</button>
                            })
                            .collect_view())}
                        {actions.into_iter().map(|action| view! {
                            <button type="button" on:click=move |_| act(action)>{action.label()}</button>
                        }).collect_view()}
                    </div>
                    <Show when=move || panel.get() == Panel::Deactivate>
                        <form class="panel" on:submit=deactivate aria-labelledby="deactivate-heading">
                            <h2 id="deactivate-heading">"Deactivate"</h2>
                            <p>"Leave both dates empty to deactivate now. With an end date the user is reactivated automatically, e.g. after parental leave."</p>
                            <TextField label="From (YYYY-MM-DD)" name="from" value=period_from errors=period_errors kind="date"/>
                            <TextField label="Until (YYYY-MM-DD, optional)" name="until" value=period_until errors=period_errors kind="date"/>
                            <div class="actions">
                                <button type="submit">"Deactivate"</button>
                                <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>"Cancel"</button>
                            </div>
                        </form>
                    </Show>
                    <Show when=move || panel.get() == Panel::Delete>
                        <div class="panel" role="group" aria-labelledby="delete-heading">
                            <h2 id="delete-heading">"Delete for good?"</h2>
                            <p>{format!("{name} will be deleted. This cannot be undone: personal data is erased and only the history remains.")}</p>
                            <div class="actions">
                                <button type="button" class="danger" on:click=delete.clone()>"Delete for good"</button>
                                <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>"Cancel"</button>
                            </div>
                        </div>
                    </Show>
                    <h2>"Details"</h2>
                    <dl class="details">
                        {row("E-mail", Some(user.email.clone()))}
                        {row("CPR number", user.cpr_masked.clone())}
                        {row("Birth date", user.birth_date.clone())}
                        {row("Phone", user.phone.clone())}
                        {row("P-number", user.p_number.clone())}
                        {row("SE number", user.se_number.clone())}
                        {row("Identity means", Some(user.identity_means.replace(',', ", ")))}
                        {row("Activation", Some(match user.activation_path { ActivationPath::Link => "By e-mail link".into(), ActivationPath::Code => "By code handed over".into() }))}
                        {row("Anonymous", yes_no(user.anonymous))}
                        {row("May sign", yes_no(user.may_sign))}
                        {row("May seal", yes_no(user.may_seal))}
                        {row("Scope", Some(user.scope.clone()))}
                        {row("Free field 1", Some(user.free1.clone()))}
                        {row("Free field 2", Some(user.free2.clone()))}
                        {row("Free field 3", Some(user.free3.clone()))}
                        {row("Created", Some(crate::language::time(user.created_at)))}
                    </dl>
                }
            })}
            <h2>"History"</h2>
            <form class="inline" on:submit=filter_history aria-label="Filter history">
                <label for="history-from">"From"</label>
                <input id="history-from" type="date" bind:value=history_from max=today().to_string()/>
                <label for="history-to">"To"</label>
                <input id="history-to" type="date" bind:value=history_to/>
                <label for="history-text">"Text"</label>
                <input id="history-text" type="search" bind:value=history_text/>
                <button type="submit">"Filter"</button>
            </form>
            <table>
                <caption>"Latest 200 events, newest first"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"By"</th><th scope="col">"Details"</th></tr></thead>
                <tbody>
                    <For each=move || history.get() key=|entry| (entry.at, entry.action.clone(), entry.details.clone()) let:entry>
                        <tr>
                            <td>{crate::language::time(entry.at)}</td>
                            <td>{entry.label.clone()}</td>
                            <td>{entry.actor_name.clone()}</td>
                            <td>{entry.details.clone()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </main>
    }
}

/// The user's applications with their scope; grant what this administrator
/// may grant (the server offers only that) and revoke direct grants.
#[component]
fn UserApplicationsSection(user_id: String, on_change: Callback<()>) -> impl IntoView {
    let user_id = StoredValue::new(user_id);
    let state = RwSignal::new(None::<UserApplications>);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::user_applications(&user_id.get_value()).await {
            Ok(found) => state.set(Some(found)),
            Err(failure) => error.set(on_failure(failure)),
        }
    });
    let grant = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let application = chosen.get_untracked();
        if application.is_empty() {
            error.set(Some("Choose an application to grant.".into()));
            return;
        }
        spawn_local(async move {
            match api::grant_application(&user_id.get_value(), application).await {
                Ok(found) => {
                    error.set(None);
                    chosen.set(String::new());
                    outcome.set(Some("The application is granted.".into()));
                    state.set(Some(found));
                    on_change.run(());
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let revoke = move |application_id: String, name: String| {
        spawn_local(async move {
            match api::revoke_application(&user_id.get_value(), &application_id).await {
                Ok(()) => {
                    error.set(None);
                    outcome.set(Some(format!("{name} is revoked.")));
                    if let Ok(found) = api::user_applications(&user_id.get_value()).await {
                        state.set(Some(found));
                    }
                    on_change.run(());
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    view! {
        <section aria-labelledby="applications-heading">
            <h2 id="applications-heading">"Applications"</h2>
            {move || state.get().map(|state| view! {
                {(!state.scope.is_empty()).then(|| view! { <p>"Scope: " {state.scope.clone()}</p> })}
                {if state.held.is_empty() {
                    view! { <p>"No applications."</p> }.into_any()
                } else {
                    view! { <ul aria-label="Applications held">{state.held.iter().map(|held| {
                        let direct = held.via_group.is_none() && state.may_revoke;
                        let (id, name) = (held.application.id.clone(), held.application.name.clone());
                        view! {
                            <li>
                                {held_label(held)}
                                {direct.then(|| view! { " " <button type="button" class="secondary" aria-label=format!("Revoke {name}") on:click=move |_| revoke(id.clone(), name.clone())>"Revoke"</button> })}
                            </li>
                        }
                    }).collect_view()}</ul> }.into_any()
                }}
                {(!state.grantable.is_empty()).then(|| view! {
                    <form class="inline" on:submit=grant>
                        <label for="grant-application">"Grant an application"</label>
                        <select id="grant-application" prop:value=move || chosen.get() on:change=move |event| chosen.set(event_target_value(&event))>
                            <option value="">"Choose an application"</option>
                            {state.grantable.iter().map(|a| view! { <option value=a.id.clone()>{application_label(a)}</option> }).collect_view()}
                        </select>
                        <button type="submit">"Grant"</button>
                    </form>
                })}
            })}
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
        </section>
    }
}
