//! The frame of every signed-in page: who is signed in, the navigation with
//! the unread-notification count, and signing out. Signed-out visitors are
//! sent to the sign-in page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use steward_domain::api::Me;

use crate::api::{self, ApiFailure};

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

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = Session { me: RwSignal::new(None), unread: RwSignal::new(0) };
    provide_context(session);
    let navigate = use_navigate();
    {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::me().await {
                Ok(me) => {
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
    view! {
        <header class="top">
            <span class="brand">"Steward"</span>
            <nav aria-label="Main">
                <Show
                    when=move || session.me.with(|me| me.as_ref().is_some_and(|me| me.role.administers_users()))
                    fallback=move || view! {
                        {move || session.me.with(|me| me.as_ref().is_some_and(|me| me.platform_operator)).then(|| view! { <a href="/transfers">"Transfers"</a> })}
                        <a href="/account">"Your account"</a>
                    }
                >
                    <a href="/users">"Users"</a>
                    <a href="/import">"Import"</a>
                    <a href="/audit">"Audit log"</a>
                    <a href="/deputies">"Deputies"</a>
                    <a href="/applications">"Applications"</a>
                    <a href="/requests">"Requests"</a>
                    <a href="/account">"Your account"</a>
                    <a href="/notifications">
                        "Notifications"
                        {move || {
                            let unread = session.unread.get();
                            (unread > 0).then(|| view! { <span class="badge">{format!(" ({unread} unread)")}</span> })
                        }}
                    </a>
                </Show>
            </nav>
            {move || session.me.get().map(|me| view! {
                <span>{format!("{} {} · {}", me.first_name, me.last_name, me.organization.name)}</span>
            })}
            <button type="button" on:click=sign_out>"Sign out"</button>
        </header>
        {children()}
    }
}
