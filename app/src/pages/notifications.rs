//! The administrator's notifications and how they want to receive them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::NotificationItem;
use steward_domain::notification::Channel;

use crate::api;
use crate::i18n::*;
use crate::language;
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
    let i18n = use_i18n();
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
                Ok(()) => saved.set(Some(td_string!(language::locale(language::current()), notifications.saved).to_string())),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    let option = move |value: Channel| {
        let label = move || match value {
            Channel::InApp => t_string!(i18n, notifications.channel.in_app),
            Channel::Email => t_string!(i18n, notifications.channel.email),
            Channel::Both => t_string!(i18n, notifications.channel.both),
        };
        view! {
            <label class="check">
                <input type="radio" name="channel" prop:checked=move || channel.get() == value on:change=move |_| choose(value)/>
                {move || format!(" {}", label())}
            </label>
        }
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, notifications.title)}</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <fieldset>
                <legend>{t!(i18n, notifications.channel_legend)}</legend>
                {option(Channel::InApp)}
                {option(Channel::Email)}
                {option(Channel::Both)}
                <p role="status">{move || saved.get()}</p>
            </fieldset>
            <p>{move || unread_text(i18n, u64::from(session.unread.get()))}</p>
            <button type="button" on:click=mark_read>{t!(i18n, notifications.mark_all_read)}</button>
            <ul class="notifications">
                <For each=move || items.get() key=|item| (item.id.clone(), item.read) let:item>
                    <li class:unread=!item.read>
                        <h2>{item.subject.clone()}{(!item.read).then(|| t!(i18n, notifications.unread_marker))}</h2>
                        <p class="meta">{let at = item.created_at; move || language::time(at)}</p>
                        <p>{item.body.clone()}</p>
                    </li>
                </For>
            </ul>
        </main>
    }
}

/// "3 unread", with the language's plural.
fn unread_text(i18n: leptos_i18n::I18nContext<Locale>, count: u64) -> String {
    let lang = language::lang(i18n.get_locale());
    let shown = language::number(count);
    match steward_domain::format::plural(lang, count) {
        steward_domain::format::Plural::One => t_string!(i18n, notifications.unread_count.one, count = shown).to_string(),
        steward_domain::format::Plural::Other => t_string!(i18n, notifications.unread_count.other, count = shown).to_string(),
    }
}
