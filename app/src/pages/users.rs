//! The organization's users, for its administrators. Signed-out visitors are
//! sent to the sign-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use steward_domain::api::Me;

use crate::api::{self, ApiFailure};
use crate::user_list::{status_label, UserList};

#[component]
pub fn Users() -> impl IntoView {
    let me = RwSignal::new(None::<Me>);
    let list = RwSignal::new(UserList::default());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    let on_failure = {
        let navigate = navigate.clone();
        move |failure: ApiFailure| match failure {
            ApiFailure::Unauthenticated => navigate("/sign-in", Default::default()),
            other => error.set(Some(other.message())),
        }
    };

    let load_page = {
        let on_failure = on_failure.clone();
        move |after: Option<String>| {
            let on_failure = on_failure.clone();
            spawn_local(async move {
                match api::users(after).await {
                    Ok(page) => list.update(|list| list.append(page)),
                    Err(failure) => on_failure(failure),
                }
            });
        }
    };

    {
        let on_failure = on_failure.clone();
        let load_page = load_page.clone();
        spawn_local(async move {
            match api::me().await {
                Ok(signed_in) => {
                    me.set(Some(signed_in));
                    load_page(None);
                }
                Err(failure) => on_failure(failure),
            }
        });
    }

    let sign_out = move |_| {
        let navigate = navigate.clone();
        let on_failure = on_failure.clone();
        spawn_local(async move {
            match api::sign_out().await {
                Ok(()) => navigate("/sign-in", Default::default()),
                Err(failure) => on_failure(failure),
            }
        });
    };

    let load_more = move |_| {
        if let Some(cursor) = list.with_untracked(UserList::next_cursor) {
            load_page(Some(cursor));
        }
    };

    view! {
        <header class="top">
            <span class="brand">"Steward"</span>
            {move || me.get().map(|me| view! {
                <span>{format!("{} {} · {}", me.first_name, me.last_name, me.organization.name)}</span>
            })}
            <button type="button" on:click=sign_out>"Sign out"</button>
        </header>
        <main>
            <h1>"Users"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <Show when=move || list.with(UserList::is_loaded) fallback=|| view! { <p aria-live="polite">"Loading users…"</p> }>
                <Show when=move || !list.with(UserList::is_empty) fallback=|| view! { <p>"There are no users yet."</p> }>
                    <table>
                        <caption>"Users of your organization"</caption>
                        <thead>
                            <tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Status"</th></tr>
                        </thead>
                        <tbody>
                            <For each=move || list.get().users key=|user| user.id.clone() let:user>
                                <tr>
                                    <td>{format!("{} {}", user.first_name, user.last_name)}</td>
                                    <td>{user.email.clone()}</td>
                                    <td>{status_label(user.status)}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </Show>
            </Show>
            <Show when=move || list.with(|list| list.next_cursor().is_some())>
                <button type="button" on:click=load_more.clone()>"Show more users"</button>
            </Show>
        </main>
    }
}
