//! Requests for further applications from the users this administrator
//! manages: grant (offered only where the rules allow) or refuse.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::{JoinRequests, RoleRequestInfo};
use steward_domain::applications::{roles_of, Roles};
use steward_domain::authz::may_change_settings;

use crate::api;
use crate::grants::{application_label, may_grant_request};
use crate::i18n::*;
use crate::pages::shell::{on_failure, refresh_unread, Session, Shell};

/// What a decision did, kept as data so that the page says it in the
/// language in use (and again after a change of language).
#[derive(Clone, Debug, PartialEq)]
enum Done {
    Granted { who: String, what: String },
    Refused { who: String, what: String },
    JoinRefused(String),
    /// Created; the activation code is shown for the administrator to hand over.
    JoinWithCode(String),
    JoinMailed(String),
    Joining(bool),
}

impl Done {
    fn text(&self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            Done::Granted { who, what } => t_string!(i18n, requests.outcome.granted, who = who, what = what).to_string(),
            Done::Refused { who, what } => t_string!(i18n, requests.outcome.refused, who = who, what = what).to_string(),
            Done::JoinRefused(name) => t_string!(i18n, requests.outcome.join_refused, name = name).to_string(),
            Done::JoinWithCode(name) => t_string!(i18n, requests.outcome.join_code, name = name).to_string(),
            Done::JoinMailed(name) => t_string!(i18n, requests.outcome.join_mailed, name = name).to_string(),
            Done::Joining(true) => t_string!(i18n, requests.outcome.joining_on).to_string(),
            Done::Joining(false) => t_string!(i18n, requests.outcome.joining_off).to_string(),
        }
    }
}

#[component]
pub fn RequestsPage() -> impl IntoView {
    view! { <Shell><Requests/></Shell> }
}

#[component]
fn Requests() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let requests = RwSignal::new(None::<Vec<RoleRequestInfo>>);
    let my_roles = RwSignal::new(Roles::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Done>);
    let joins = RwSignal::new(None::<JoinRequests>);
    // The activation code of an approved person, shown once.
    let join_code = RwSignal::new(None::<(String, String)>);
    let load = move || {
        spawn_local(async move {
            match api::my_applications().await {
                Ok(mine) => my_roles.set(roles_of(&mine.held)),
                Err(failure) => error.set(on_failure(failure)),
            }
            match api::pending_requests().await {
                Ok(found) => requests.set(Some(found.requests)),
                Err(failure) => error.set(on_failure(failure)),
            }
            match api::join_requests().await {
                Ok(found) => joins.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let decide = move |id: String, grant: bool| {
        spawn_local(async move {
            match api::decide_request(&id, grant).await {
                Ok(decided) => {
                    error.set(None);
                    let (who, what) = (decided.requester.name, decided.application.name);
                    outcome.set(Some(if grant { Done::Granted { who, what } } else { Done::Refused { who, what } }));
                    refresh_unread(session);
                    load();
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let decide_join = move |id: String, name: String, approve: bool| {
        spawn_local(async move {
            match api::decide_join(&id, approve).await {
                Ok(approved) => {
                    error.set(None);
                    outcome.set(Some(match approved {
                        None => Done::JoinRefused(name),
                        Some(approved) => match approved.activation.code {
                            Some(code) => {
                                join_code.set(Some((name.clone(), code)));
                                Done::JoinWithCode(name)
                            }
                            None => Done::JoinMailed(name),
                        },
                    }));
                    load();
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let may_set = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_change_settings(me.role).is_allowed()));
    let set_joining = move |allowed: bool| {
        spawn_local(async move {
            match api::set_joining(allowed).await {
                Ok(()) => {
                    outcome.set(Some(Done::Joining(allowed)));
                    load();
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, requests.title)}</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <div role="status">
                <p>{move || outcome.get().map(|done| done.text(i18n))}</p>
                {move || join_code.get().map(|(name, code)| {
                    let label = code.clone();
                    view! {
                        <p class="code-box">{t!(i18n, requests.code.intro, name = move || name.clone())}<strong class="code"
                            aria-label=move || t_string!(i18n, requests.code.label, code = label.as_str()).to_string()>{code.clone()}</strong></p>
                    }
                })}
            </div>
            {move || requests.get().map(|requests| if requests.is_empty() {
                view! { <p>{t!(i18n, requests.roles.none_waiting)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="requests-caption" tabindex="0">
                    <table>
                        <caption id="requests-caption">{t!(i18n, requests.roles.caption)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, requests.roles.who)}</th>
                            <th scope="col">{t!(i18n, requests.roles.application)}</th>
                            <th scope="col">{t!(i18n, requests.roles.reason)}</th>
                            <th scope="col">{t!(i18n, requests.roles.asked)}</th>
                            <th scope="col">{t!(i18n, requests.roles.decision)}</th>
                        </tr></thead>
                        <tbody>
                            {requests.into_iter().map(|request| {
                                let grantable = session.me.with(|me| me.as_ref().is_some_and(|me| my_roles.with(|roles| may_grant_request(me, roles, &request))));
                                let (grant_id, refuse_id) = (request.id.clone(), request.id.clone());
                                let who = StoredValue::new(request.requester.name.clone());
                                let what = StoredValue::new(request.application.name.clone());
                                let asked = request.created_at;
                                view! {
                                    <tr>
                                        <td>{request.requester.name.clone()}</td>
                                        <td>{application_label(&request.application)}</td>
                                        <td>{if request.reason.is_empty() { t!(i18n, requests.none).into_any() } else { request.reason.clone().into_any() }}</td>
                                        <td>{move || crate::language::time(asked)}</td>
                                        <td class="actions">
                                            {grantable.then(|| view! {
                                                <button type="button"
                                                    aria-label=move || t_string!(i18n, requests.roles.grant_label, what = what.get_value(), who = who.get_value()).to_string()
                                                    on:click=move |_| decide(grant_id.clone(), true)>{t!(i18n, requests.roles.grant)}</button>
                                            })}
                                            <button type="button" class="secondary"
                                                aria-label=move || t_string!(i18n, requests.roles.refuse_label, what = what.get_value(), who = who.get_value()).to_string()
                                                on:click=move |_| decide(refuse_id.clone(), false)>{t!(i18n, requests.roles.refuse)}</button>
                                            {(!grantable).then(|| view! { <span class="hint">" "{t!(i18n, requests.roles.cannot_grant)}</span> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            })}
            <h2>{t!(i18n, requests.joins.heading)}</h2>
            {move || joins.get().map(|joins| view! {
                <Show when=may_set>
                    <label class="check">
                        <input type="checkbox" prop:checked=joins.allowed on:change=move |event| set_joining(event_target_checked(&event))/>
                        " "{t!(i18n, requests.joins.allow)}
                    </label>
                </Show>
                {if joins.requests.is_empty() {
                    view! { <p>{if joins.allowed {
                        t!(i18n, requests.joins.none_waiting).into_any()
                    } else {
                        t!(i18n, requests.joins.closed).into_any()
                    }}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" role="region" aria-labelledby="joins-caption" tabindex="0">
                        <table>
                            <caption id="joins-caption">{t!(i18n, requests.joins.caption)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, requests.joins.name)}</th>
                                <th scope="col">{t!(i18n, requests.joins.email)}</th>
                                <th scope="col">{t!(i18n, requests.joins.birth_date)}</th>
                                <th scope="col">{t!(i18n, requests.joins.applied)}</th>
                                <th scope="col">{t!(i18n, requests.joins.decision)}</th>
                            </tr></thead>
                            <tbody>{joins.requests.into_iter().map(|join| {
                                let name = format!("{} {}", join.first_name, join.last_name);
                                let (approve_id, refuse_id, approve_name, refuse_name) = (join.id.clone(), join.id.clone(), name.clone(), name.clone());
                                let label = StoredValue::new(name.clone());
                                let applied = join.created_at;
                                view! {
                                    <tr>
                                        <td>{name.clone()}</td>
                                        <td>{join.email.clone()}</td>
                                        <td>{join.birth_date.clone()}</td>
                                        <td>{move || crate::language::time(applied)}</td>
                                        <td class="actions">
                                            <button type="button"
                                                aria-label=move || t_string!(i18n, requests.joins.approve_label, name = label.get_value()).to_string()
                                                on:click=move |_| decide_join(approve_id.clone(), approve_name.clone(), true)>{t!(i18n, requests.joins.approve)}</button>
                                            <button type="button" class="secondary"
                                                aria-label=move || t_string!(i18n, requests.joins.refuse_label, name = label.get_value()).to_string()
                                                on:click=move |_| decide_join(refuse_id.clone(), refuse_name.clone(), false)>{t!(i18n, requests.joins.refuse)}</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                        </div>
                    }.into_any()
                }}
            })}
        </main>
    }
}
