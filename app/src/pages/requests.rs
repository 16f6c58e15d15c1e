//! Requests for further applications from the users this administrator
//! manages: grant (offered only where the rules allow) or refuse.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::{JoinRequests, RoleRequestInfo};
use steward_domain::applications::{roles_of, Roles};
use steward_domain::authz::may_change_settings;

use crate::api;
use crate::grants::{application_label, may_grant_request};
use crate::pages::shell::{on_failure, refresh_unread, Session, Shell};

#[component]
pub fn RequestsPage() -> impl IntoView {
    view! { <Shell><Requests/></Shell> }
}

#[component]
fn Requests() -> impl IntoView {
    let session = expect_context::<Session>();
    let requests = RwSignal::new(None::<Vec<RoleRequestInfo>>);
    let my_roles = RwSignal::new(Roles::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
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
                    outcome.set(Some(if grant {
                        format!("{who} now holds {what}; they are told by e-mail.")
                    } else {
                        format!("{who}'s request for {what} is refused; they are told by e-mail.")
                    }));
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
                        None => format!("{name}'s application is refused; they are told by e-mail."),
                        Some(approved) => match approved.activation.code {
                            Some(code) => {
                                join_code.set(Some((name.clone(), code)));
                                format!("{name} is created and sent to activation. They get an e-mail that points to the activation page; hand them the code yourself.")
                            }
                            None => format!("{name} is created and sent to activation by e-mail."),
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
                    outcome.set(Some(if allowed { "People may now apply to join." } else { "People can no longer apply to join." }.into()));
                    load();
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    view! {
        <main id="main">
            <h1>"Requests"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <div role="status">
                <p>{move || outcome.get()}</p>
                {move || join_code.get().map(|(name, code)| view! {
                    <p class="code-box">{format!("Activation code for {name}: ")}<strong class="code" aria-label=format!("Activation code {code}")>{code.clone()}</strong></p>
                })}
            </div>
            {move || requests.get().map(|requests| if requests.is_empty() {
                view! { <p>"No requests are waiting."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption>"Requests waiting for a decision, oldest first"</caption>
                        <thead><tr><th scope="col">"Who"</th><th scope="col">"Application"</th><th scope="col">"Reason"</th><th scope="col">"Asked"</th><th scope="col">"Decision"</th></tr></thead>
                        <tbody>
                            {requests.into_iter().map(|request| {
                                let grantable = session.me.with(|me| me.as_ref().is_some_and(|me| my_roles.with(|roles| may_grant_request(me, roles, &request))));
                                let (grant_id, refuse_id) = (request.id.clone(), request.id.clone());
                                let who = request.requester.name.clone();
                                let what = request.application.name.clone();
                                view! {
                                    <tr>
                                        <td>{request.requester.name.clone()}</td>
                                        <td>{application_label(&request.application)}</td>
                                        <td>{if request.reason.is_empty() { "—".to_owned() } else { request.reason.clone() }}</td>
                                        <td>{crate::language::time(request.created_at)}</td>
                                        <td class="actions">
                                            {grantable.then(|| view! {
                                                <button type="button" aria-label=format!("Grant {what} to {who}") on:click=move |_| decide(grant_id.clone(), true)>"Grant"</button>
                                            })}
                                            <button type="button" class="secondary" aria-label=format!("Refuse {} to {}", request.application.name, request.requester.name) on:click=move |_| decide(refuse_id.clone(), false)>"Refuse"</button>
                                            {(!grantable).then(|| view! { <span class="hint">" You do not hold these roles; an organization administrator can grant it."</span> })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            })}
            <h2>"Applications to join the organization"</h2>
            {move || joins.get().map(|joins| view! {
                <Show when=may_set>
                    <label class="check">
                        <input type="checkbox" prop:checked=joins.allowed on:change=move |event| set_joining(event_target_checked(&event))/>
                        " People may apply to join the organization (on the page /join)"
                    </label>
                </Show>
                {if joins.requests.is_empty() {
                    view! { <p>{if joins.allowed { "No applications are waiting." } else { "The organization does not take applications to join." }}</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <caption>"Applications to join, oldest first"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Birth date"</th><th scope="col">"Applied"</th><th scope="col">"Decision"</th></tr></thead>
                            <tbody>{joins.requests.into_iter().map(|join| {
                                let name = format!("{} {}", join.first_name, join.last_name);
                                let (approve_id, refuse_id, approve_name, refuse_name) = (join.id.clone(), join.id.clone(), name.clone(), name.clone());
                                view! {
                                    <tr>
                                        <td>{name.clone()}</td>
                                        <td>{join.email.clone()}</td>
                                        <td>{join.birth_date.clone()}</td>
                                        <td>{crate::language::time(join.created_at)}</td>
                                        <td class="actions">
                                            <button type="button" aria-label=format!("Approve {name}") on:click=move |_| decide_join(approve_id.clone(), approve_name.clone(), true)>"Approve"</button>
                                            <button type="button" class="secondary" aria-label=format!("Refuse {name}") on:click=move |_| decide_join(refuse_id.clone(), refuse_name.clone(), false)>"Refuse"</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }}
            })}
        </main>
    }
}
