//! The frame of every page: a skip link, the language switcher and, once
//! signed in, who is signed in, the navigation (behind a menu button on a
//! narrow screen) with the unread-notification count, and signing out.
//! Signed-out visitors are sent to the sign-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use steward_domain::api::Me;
use steward_domain::lang::Lang;

use crate::api::{self, ApiFailure};
use crate::i18n::*;
use crate::language;
use wasm_bindgen::JsCast;

/// What pages inside the shell share.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    pub unread: RwSignal<u32>,
}

/// Sends a signed-out visitor to sign in; otherwise gives the message to
/// show. Called from async tasks, where the router's context is gone, so it
/// leaves by the address bar.
pub fn on_failure(failure: ApiFailure) -> Option<String> {
    match failure {
        ApiFailure::Unauthenticated => {
            let _ = window().location().set_href("/sign-in");
            None
        }
        other => Some(other.message()),
    }
}

pub fn refresh_unread(session: Session) {
    spawn_local(async move {
        if let Ok(notifications) = api::notifications().await {
            session.unread.set(notifications.unread);
        }
    });
}

/// The languages, each in its own name; choosing one speaks it at once and,
/// when someone is signed in, keeps it as their language.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let signed_in = use_context::<Session>().map(|session| session.me);
    let choose = move |event: leptos::ev::Event| {
        let Some(lang) = Lang::parse(&event_target_value(&event)) else { return };
        language::choose(i18n, lang);
        if signed_in.is_some_and(|me| me.with_untracked(Option::is_some)) {
            spawn_local(async move {
                let _ = api::set_language(lang).await;
            });
        }
    };
    view! {
        <div class="language">
            <label for="language-choice">{t!(i18n, shell.language)}</label>
            <select id="language-choice" on:change=choose>
                {Lang::ALL.map(|lang| view! {
                    <option
                        value=lang.as_str()
                        lang=lang.as_str()
                        selected=move || language::lang(i18n.get_locale()) == lang
                    >
                        {lang.own_name()}
                    </option>
                })}
            </select>
        </div>
    }
}

/// The skip link every page starts with.
#[component]
fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    // The router would take the fragment link over and only scroll; moving
    // focus is what lets the next Tab start inside the content.
    let skip = |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if let Some(main) = document().get_element_by_id("main").and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = main.set_attribute("tabindex", "-1");
            let _ = main.focus();
        }
    };
    view! { <a class="skip-link" href="#main" on:click=skip>{t!(i18n, shell.skip_to_main)}</a> }
}

/// The frame of the pages one reaches without signing in.
#[component]
pub fn PublicHeader() -> impl IntoView {
    view! {
        <SkipLink/>
        <header class="top">
            <span class="brand">"Steward"</span>
            <LanguageSwitcher/>
        </header>
    }
}

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session { me: RwSignal::new(None), unread: RwSignal::new(0) };
    provide_context(session);
    let navigate = use_navigate();
    {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::me().await {
                Ok(me) => {
                    // A choice made before signing in becomes the person's own.
                    if let (None, Some(chosen)) = (me.chosen_language, language::chosen_here()) {
                        spawn_local(async move {
                            let _ = api::set_language(chosen).await;
                        });
                    }
                    let own = me.chosen_language.or(language::chosen_here());
                    language::speak(i18n, language::for_signed_in(own, language::browser(), me.language));
                    let administers = me.role.administers_users();
                    session.me.set(Some(me));
                    if administers {
                        refresh_unread(session);
                    }
                }
                Err(ApiFailure::Unauthenticated) => navigate("/sign-in", Default::default()),
                Err(_) => {}
            }
        });
    }
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::sign_out().await;
            navigate("/sign-in", Default::default());
        });
    };
    let menu_open = RwSignal::new(false);
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let administers = move || session.me.with(|me| me.as_ref().is_some_and(|me| me.role.administers_users()));
    let operates = move || session.me.with(|me| me.as_ref().is_some_and(|me| me.platform_operator));
    view! {
        <SkipLink/>
        <header class="top">
            <span class="brand">"Steward"</span>
            <button
                type="button"
                class="menu-button"
                aria-controls="main-nav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                {t!(i18n, shell.menu)}
            </button>
            <nav id="main-nav" aria-label=move || t_string!(i18n, shell.main_navigation) data-open=move || menu_open.get().to_string()>
                <Show
                    when=administers
                    fallback=move || view! {
                        {move || operates().then(|| view! { <a href="/transfers">{t!(i18n, shell.transfers)}</a> })}
                        <a href="/account">{t!(i18n, shell.your_account)}</a>
                    }
                >
                    <a href="/users">{t!(i18n, shell.users)}</a>
                    <a href="/import">{t!(i18n, shell.import)}</a>
                    <a href="/audit">{t!(i18n, shell.audit_log)}</a>
                    <a href="/deputies">{t!(i18n, shell.deputies)}</a>
                    <a href="/applications">{t!(i18n, shell.applications)}</a>
                    <a href="/requests">{t!(i18n, shell.requests)}</a>
                    <a href="/account">{t!(i18n, shell.your_account)}</a>
                    <a href="/notifications">
                        {t!(i18n, shell.notifications)}
                        {move || {
                            let unread = session.unread.get();
                            (unread > 0).then(|| view! { <span class="badge">{t!(i18n, shell.unread, count = move || unread)}</span> })
                        }}
                    </a>
                </Show>
            </nav>
            {move || session.me.get().map(|me| {
                let name = format!("{} {}", me.first_name, me.last_name);
                let organization = me.organization.name.clone();
                view! { <span class="who">{t!(i18n, shell.signed_in_as, name = move || name.clone(), organization = move || organization.clone())}</span> }
            })}
            <LanguageSwitcher/>
            <button type="button" on:click=sign_out>{t!(i18n, shell.sign_out)}</button>
        </header>
        {children()}
    }
}
