//! Requests for further applications from the users this administrator
//! manages: grant (offered only where the rules allow) or refuse.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::RoleRequestInfo;
use steward_domain::applications::Roles;

use crate::api;
use crate::grants::{application_label, may_grant_request, roles_held};
use crate::pages::shell::{on_failure, refresh_unread, Session, Shell};
use crate::user_actions::format_time;

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
    let load = move || {
        spawn_local(async move {
            match api::my_applications().await {
                Ok(mine) => my_roles.set(roles_held(&mine.held)),
                Err(failure) => error.set(on_failure(failure)),
            }
            match api::pending_requests().await {
                Ok(found) => requests.set(Some(found.requests)),
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
                    let verb = if grant { "granted" } else { "refused" };
                    outcome.set(Some(format!("{} was {verb} {}; they are told by e-mail.", decided.application.name, decided.requester.name)));
                    refresh_unread(session);
                    load();
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    view! {
        <main>
            <h1>"Requests"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
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
                                        <td>{format_time(request.created_at)}</td>
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
        </main>
    }
}
