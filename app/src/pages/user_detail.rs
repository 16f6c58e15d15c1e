//! One user: their record (CPR masked), what can be done with them now, and
//! their history with date range and text search.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use steward_domain::activation::ActivationPath;
use steward_domain::api::{ActivationSent, DeactivateRequest, HistoryEntry, UserApplications, UserDetail};
use steward_domain::fields::Date;
use steward_domain::user::Role;

use crate::api::{self, ApiFailure};
use crate::grants::{application_label, held_label_in};
use crate::i18n::*;
use crate::language;
use crate::pages::shell::{on_failure, Session, Shell};
use crate::pages::user_form::{today, TextField};
use crate::user_actions::{available_actions, role_choice_label, role_choices, role_label, UserAction};
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

/// What an action did, shown in the live region in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Reactivated,
    LinkSent,
    CodeShown,
    DeactivationPlanned(String),
    Deactivated,
    RoleChanged { name: String, role: Role },
}

fn row(label: impl IntoView, value: impl IntoView) -> impl IntoView {
    view! { <dt>{label}</dt><dd>{value}</dd> }
}

/// A stored text, or a dash when there is none.
fn or_dash(value: Option<String>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into())
}

/// A stored `YYYY-MM-DD` date in the page's language (as stored if it is
/// not one).
fn shown_date(text: &str) -> String {
    Date::parse_iso(text).map(language::date).unwrap_or_else(|| text.to_owned())
}

#[component]
fn UserDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || language::lang(i18n.get_locale());
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let id = StoredValue::new(id);
    let user = RwSignal::new(None::<UserDetail>);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
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

    let report = move |result: Result<Outcome, ApiFailure>| match result {
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
                report(api::reactivate(&id.get_value()).await.map(|_| Outcome::Reactivated));
            }),
            UserAction::SendToActivation | UserAction::ResendLink | UserAction::RegenerateCode => spawn_local(async move {
                let sent = api::send_to_activation(&id.get_value()).await;
                report(sent.map(|ActivationSent { path, code: new_code, .. }| match path {
                    ActivationPath::Link => Outcome::LinkSent,
                    ActivationPath::Code => {
                        code.set(new_code);
                        Outcome::CodeShown
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
                Some(from) => Outcome::DeactivationPlanned(from),
                None => Outcome::Deactivated,
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

    let outcome_text = move |outcome: Outcome| match outcome {
        Outcome::Reactivated => t_string!(i18n, user.outcome.reactivated).to_string(),
        Outcome::LinkSent => t_string!(i18n, user.outcome.link_sent).to_string(),
        Outcome::CodeShown => t_string!(i18n, user.outcome.code_shown).to_string(),
        Outcome::DeactivationPlanned(from) => t_string!(i18n, user.outcome.deactivation_planned, date = shown_date(&from)).to_string(),
        Outcome::Deactivated => t_string!(i18n, user.outcome.deactivated).to_string(),
        Outcome::RoleChanged { name, role } => t_string!(i18n, user.outcome.role_changed, name = name, role = role_label(role, lang())).to_string(),
    };
    let identity_means = move |means: &str| {
        means
            .split(',')
            .map(str::trim)
            .filter(|means| !means.is_empty())
            .map(|means| match means {
                "password" => t_string!(i18n, user.means.password).to_string(),
                "totp" => t_string!(i18n, user.means.totp).to_string(),
                "passkey" => t_string!(i18n, user.means.passkey).to_string(),
                other => other.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let yes_no = move |value: bool| move || if value { t_string!(i18n, user.yes) } else { t_string!(i18n, user.no) };

    view! {
        <main id="main">
            <p><a href="/users">{t!(i18n, user.back_to_users)}</a></p>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <div role="status" aria-live="polite">
                {move || outcome.get().map(|happened| view! { <p class="notice">{move || outcome_text(happened.clone())}</p> })}
                {move || code.get().map(|code| view! {
                    <p class="code-box">{t!(i18n, user.activation_code)}" "<strong class="code">{code}</strong></p>
                })}
            </div>
            {move || user.get().map(|user| {
                let delete = delete.clone();
                let actions = session.me.get().map(|me| available_actions(&user, me.role, me.id == user.id)).unwrap_or_default();
                let user_role = user.role;
                let user_status = user.status;
                let user_id = StoredValue::new(user.id.clone());
                let name = format!("{} {}", user.first_name, user.last_name);
                let warning_name = name.clone();
                let scope = user.scope.clone();
                let means = user.identity_means.clone();
                let activation_path = user.activation_path;
                let created_at = user.created_at;
                let birth_date = user.birth_date.clone();
                view! {
                    <h1>{name.clone()}</h1>
                    <p>
                        {t!(i18n, user.status)}" "<strong>{move || status_label(user_status, lang())}</strong>
                        {user.code_locked.then(|| view! { " · "{t!(i18n, user.code_locked)} })}
                        {user.registration_deadline.map(|deadline| view! { " · "{t!(i18n, user.activate_by, time = move || language::time(deadline))} })}
                        {user.deactivate_from.clone().map(|from| view! { " · "{t!(i18n, user.deactivation_from, date = move || shown_date(&from))} })}
                        {user.deactivate_until.clone().map(|until| view! { " · "{t!(i18n, user.deactivation_until, date = move || shown_date(&until))} })}
                    </p>
                    <p>
                        {t!(i18n, user.role)}" "<strong>{move || role_label(user_role, lang())}</strong>
                        {(!user.scope.is_empty()).then(|| { let scope = scope.clone(); view! { " · "{t!(i18n, user.scope_note, scope = move || scope.clone())} } })}
                    </p>
                    <UserApplicationsSection user_id=user.id.clone() on_change=Callback::new(move |()| load_history())/>
                    <div class="actions">
                        <a class="button" href=format!("/users/{}/edit", user.id)>{t!(i18n, user.edit)}</a>
                        {move || session.me.get().map(|me| role_choices(me.role, me.id == user_id.get_value(), user_role)
                            .into_iter()
                            .map(|role| view! {
                                <button type="button" on:click=move |_| spawn_local(async move {
                                    report(api::set_role(&id.get_value(), role).await.map(|user| Outcome::RoleChanged { name: user.first_name, role: user.role }));
                                })>{move || role_choice_label(role, lang())}</button>
                            })
                            .collect_view())}
                        {actions.into_iter().map(|action| view! {
                            <button type="button" on:click=move |_| act(action)>{move || action.label(lang())}</button>
                        }).collect_view()}
                    </div>
                    <Show when=move || panel.get() == Panel::Deactivate>
                        <form class="panel" on:submit=deactivate aria-labelledby="deactivate-heading">
                            <h2 id="deactivate-heading">{t!(i18n, user.deactivate.heading)}</h2>
                            <p>{t!(i18n, user.deactivate.help)}</p>
                            <TextField label=move || t_string!(i18n, user.deactivate.from) name="from" value=period_from errors=period_errors kind="date"/>
                            <TextField label=move || t_string!(i18n, user.deactivate.until) name="until" value=period_until errors=period_errors kind="date"/>
                            <div class="actions">
                                <button type="submit">{t!(i18n, user.deactivate.submit)}</button>
                                <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>{t!(i18n, common.cancel)}</button>
                            </div>
                        </form>
                    </Show>
                    <Show when=move || panel.get() == Panel::Delete>
                        <div class="panel" role="group" aria-labelledby="delete-heading">
                            <h2 id="delete-heading">{t!(i18n, user.delete.heading)}</h2>
                            <p>{t!(i18n, user.delete.warning, name = { let name = warning_name.clone(); move || name.clone() })}</p>
                            <div class="actions">
                                <button type="button" class="danger" on:click=delete.clone()>{t!(i18n, user.delete.submit)}</button>
                                <button type="button" class="secondary" on:click=move |_| panel.set(Panel::None)>{t!(i18n, common.cancel)}</button>
                            </div>
                        </div>
                    </Show>
                    <h2>{t!(i18n, user.details)}</h2>
                    <dl class="details">
                        {row(t!(i18n, user.field.email), or_dash(Some(user.email.clone())))}
                        {row(t!(i18n, user.field.cpr), or_dash(user.cpr_masked.clone()))}
                        {row(t!(i18n, user.field.birth_date), move || or_dash(birth_date.as_deref().map(shown_date)))}
                        {row(t!(i18n, user.field.phone), or_dash(user.phone.clone()))}
                        {row(t!(i18n, user.field.p_number), or_dash(user.p_number.clone()))}
                        {row(t!(i18n, user.field.se_number), or_dash(user.se_number.clone()))}
                        {row(t!(i18n, user.field.identity_means), move || or_dash(Some(identity_means(&means))))}
                        {row(t!(i18n, user.field.activation), move || match activation_path {
                            ActivationPath::Link => t_string!(i18n, user.activation_by_link),
                            ActivationPath::Code => t_string!(i18n, user.activation_by_code),
                        })}
                        {row(t!(i18n, user.field.anonymous), yes_no(user.anonymous))}
                        {row(t!(i18n, user.field.may_sign), yes_no(user.may_sign))}
                        {row(t!(i18n, user.field.may_seal), yes_no(user.may_seal))}
                        {row(t!(i18n, user.field.scope), or_dash(Some(user.scope.clone())))}
                        {row(t!(i18n, user.field.free1), or_dash(Some(user.free1.clone())))}
                        {row(t!(i18n, user.field.free2), or_dash(Some(user.free2.clone())))}
                        {row(t!(i18n, user.field.free3), or_dash(Some(user.free3.clone())))}
                        {row(t!(i18n, user.field.created), move || language::time(created_at))}
                    </dl>
                }
            })}
            <h2>{t!(i18n, user.history.heading)}</h2>
            <form class="inline" on:submit=filter_history aria-label=move || t_string!(i18n, user.history.filter_label)>
                <label for="history-from">{t!(i18n, user.history.from)}</label>
                <input id="history-from" type="date" bind:value=history_from max=today().to_string()/>
                <label for="history-to">{t!(i18n, user.history.to)}</label>
                <input id="history-to" type="date" bind:value=history_to/>
                <label for="history-text">{t!(i18n, user.history.text)}</label>
                <input id="history-text" type="search" bind:value=history_text/>
                <button type="submit">{t!(i18n, user.history.filter)}</button>
            </form>
            <div class="table-scroll" role="region" aria-labelledby="history-caption" tabindex="0">
                <table>
                    <caption id="history-caption">{t!(i18n, user.history.caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, user.history.when)}</th>
                            <th scope="col">{t!(i18n, user.history.what)}</th>
                            <th scope="col">{t!(i18n, user.history.by)}</th>
                            <th scope="col">{t!(i18n, user.history.details)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || history.get() key=|entry| (entry.at, entry.action.clone(), entry.details.clone()) let:entry>
                            <tr>
                                <td>{move || language::time(entry.at)}</td>
                                <td>{entry.label.clone()}</td>
                                <td>{entry.actor_name.clone()}</td>
                                <td>{entry.details.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </main>
    }
}

/// The user's applications with their scope; grant what this administrator
/// may grant (the server offers only that) and revoke direct grants.
#[component]
fn UserApplicationsSection(user_id: String, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || language::lang(i18n.get_locale());
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
            error.set(Some(t_string!(i18n, user.applications.choose_first).to_string()));
            return;
        }
        spawn_local(async move {
            match api::grant_application(&user_id.get_value(), application).await {
                Ok(found) => {
                    error.set(None);
                    chosen.set(String::new());
                    outcome.set(Some(td_string!(i18n.get_locale_untracked(), user.applications.granted).to_string()));
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
                    outcome.set(Some(td_string!(i18n.get_locale_untracked(), user.applications.revoked, name = name).to_string()));
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
            <h2 id="applications-heading">{t!(i18n, user.applications.heading)}</h2>
            {move || state.get().map(|state| view! {
                {(!state.scope.is_empty()).then(|| view! { <p>{t!(i18n, user.applications.scope)}" "{state.scope.clone()}</p> })}
                {if state.held.is_empty() {
                    view! { <p>{t!(i18n, user.applications.none)}</p> }.into_any()
                } else {
                    view! { <ul aria-label=move || t_string!(i18n, user.applications.held)>{state.held.iter().map(|held| {
                        let direct = held.via_group.is_none() && state.may_revoke;
                        let (id, name) = (held.application.id.clone(), held.application.name.clone());
                        let held = held.clone();
                        view! {
                            <li>
                                {move || held_label_in(lang(), &held)}
                                {direct.then(|| {
                                    let label_name = name.clone();
                                    view! {
                                        " "
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=move || t_string!(i18n, user.applications.revoke_label, name = label_name.clone()).to_string()
                                            on:click=move |_| revoke(id.clone(), name.clone())
                                        >
                                            {t!(i18n, user.applications.revoke)}
                                        </button>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}</ul> }.into_any()
                }}
                {(!state.grantable.is_empty()).then(|| view! {
                    <form class="inline" on:submit=grant>
                        <label for="grant-application">{t!(i18n, user.applications.grant_label)}</label>
                        <select id="grant-application" prop:value=move || chosen.get() on:change=move |event| chosen.set(event_target_value(&event))>
                            <option value="">{t!(i18n, user.applications.choose)}</option>
                            {state.grantable.iter().map(|a| view! { <option value=a.id.clone()>{application_label(a)}</option> }).collect_view()}
                        </select>
                        <button type="submit">{t!(i18n, user.applications.grant)}</button>
                    </form>
                })}
            })}
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
        </section>
    }
}
