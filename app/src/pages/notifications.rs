//! The administrator's notifications and how they want to receive them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::NotificationItem;
use steward_domain::notification::Channel;

use crate::api;
use crate::pages::shell::{on_failure, refresh_unread, Session, Shell};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! { <Shell><NotificationList/></Shell> }
}

#[component]
fn NotificationList() -> impl IntoView {
    let session = expect_context::<Session>();
    let items = RwSignal::new(Vec::<NotificationItem>::new());
    let channel = RwSignal::new(Channel::Both);
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match api::notifications().await {
                Ok(found) => {
                    session.unread.set(found.unread);
                    channel.set(found.channel);
                    items.set(found.items);
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let mark_read = move |_| {
        spawn_local(async move {
            match api::mark_notifications_read().await {
                Ok(()) => {
                    load();
                    refresh_unread(session);
                }
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let choose = move |chosen: Channel| {
        channel.set(chosen);
        spawn_local(async move {
            match api::set_notification_channel(chosen).await {
                Ok(()) => saved.set(Some("Saved.".into())),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let option = move |value: Channel, label: &'static str| {
        view! {
            <label class="check">
                <input type="radio" name="channel" prop:checked=move || channel.get() == value on:change=move |_| choose(value)/>
                {format!(" {label}")}
            </label>
        }
    };
    view! {
        <main id="main">
            <h1>"Notifications"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <fieldset>
                <legend>"How do you want to hear of events?"</legend>
                {option(Channel::InApp, "In Steward only")}
                {option(Channel::Email, "By e-mail only")}
                {option(Channel::Both, "In Steward and by e-mail")}
                <p role="status">{move || saved.get()}</p>
            </fieldset>
            <p>{move || format!("{} unread", session.unread.get())}</p>
            <button type="button" on:click=mark_read>"Mark all as read"</button>
            <ul class="notifications">
                <For each=move || items.get() key=|item| (item.id.clone(), item.read) let:item>
                    <li class:unread=!item.read>
                        <h2>{item.subject.clone()}{(!item.read).then(|| " (unread)")}</h2>
                        <p class="meta">{crate::language::time(item.created_at)}</p>
                        <p>{item.body.clone()}</p>
                    </li>
                </For>
            </ul>
        </main>
    }
}
