//! The organization's users, for its administrators: search, pages, and the
//! way to a new user.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::*;
use crate::language;
use crate::pages::shell::{on_failure, Shell};
use crate::user_list::{status_label, UserList};

#[component]
pub fn Users() -> impl IntoView {
    view! { <Shell><UserListPage/></Shell> }
}

#[component]
fn UserListPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || language::lang(i18n.get_locale());
    let list = RwSignal::new(UserList::default());
    let search = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let load_page = move |after: Option<String>| {
        spawn_local(async move {
            match api::users(search.get_untracked(), after).await {
                Ok(page) => list.update(|list| list.append(page)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load_page(None);

    let submit_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        error.set(None);
        list.update(UserList::clear);
        load_page(None);
    };
    let load_more = move |_| {
        if let Some(cursor) = list.with_untracked(UserList::next_cursor) {
            load_page(Some(cursor));
        }
    };

    view! {
        <main id="main">
            <div class="title-row">
                <h1>{t!(i18n, users.title)}</h1>
                <a class="button" href="/users/new">{t!(i18n, users.new_user)}</a>
            </div>
            <form role="search" class="inline" on:submit=submit_search>
                <label for="user-search">{t!(i18n, users.search_label)}</label>
                <input id="user-search" type="search" bind:value=search/>
                <button type="submit">{t!(i18n, users.search)}</button>
            </form>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <Show when=move || list.with(UserList::is_loaded) fallback=move || view! { <p aria-live="polite">{t!(i18n, users.loading)}</p> }>
                <Show when=move || !list.with(UserList::is_empty) fallback=move || view! { <p role="status">{t!(i18n, users.empty)}</p> }>
                    <div class="table-scroll" role="region" aria-labelledby="users-caption" tabindex="0">
                        <table>
                            <caption id="users-caption">{t!(i18n, users.caption)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, users.column.name)}</th>
                                    <th scope="col">{t!(i18n, users.column.email)}</th>
                                    <th scope="col">{t!(i18n, users.column.status)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=move || list.get().users key=|user| user.id.clone() let:user>
                                    <tr>
                                        <td><a href=format!("/users/{}", user.id)>{format!("{} {}", user.first_name, user.last_name)}</a></td>
                                        <td>{user.email.clone()}</td>
                                        <td>{move || status_label(user.status, lang())}</td>
                                    </tr>
                                </For>
                            </tbody>
                        </table>
                    </div>
                </Show>
            </Show>
            <Show when=move || list.with(|list| list.next_cursor().is_some())>
                <button type="button" on:click=load_more>{t!(i18n, users.show_more)}</button>
            </Show>
        </main>
    }
}
