//! The app's pages and their addresses.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use steward_domain::lang::Lang;
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::language;
use crate::pages::account::Account;
use crate::pages::activate::Activate;
use crate::pages::applications::{ApplicationsPage, GroupPage};
use crate::pages::audit::AuditLog;
use crate::pages::deputies::DeputiesPage;
use crate::pages::import::Import;
use crate::pages::import_status::ImportStatus;
use crate::pages::join::Join;
use crate::pages::notifications::NotificationsPage;
use crate::pages::requests::RequestsPage;
use crate::pages::sign_in::SignIn;
use crate::pages::transfers::TransfersPage;
use crate::pages::user_detail::UserPage;
use crate::pages::user_form::{EditUser, NewUser};
use crate::pages::users::Users;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Pages/>
        </I18nContextProvider>
    }
}

#[component]
fn Pages() -> impl IntoView {
    let i18n = use_i18n();
    language::speak(i18n, language::browser().unwrap_or(Lang::En));
    view! {
        <Router>
            <FocusOnNavigation/>
            <Routes fallback=move || view! { <main id="main"><h1>{t!(i18n, common.page_not_found)}</h1><a href="/users">{t!(i18n, common.go_to_users)}</a></main> }>
                <Route path=path!("/") view=|| view! { <Redirect path="/users"/> }/>
                <Route path=path!("/sign-in") view=SignIn/>
                <Route path=path!("/activate") view=Activate/>
                <Route path=path!("/join") view=Join/>
                <Route path=path!("/account") view=Account/>
                <Route path=path!("/users") view=Users/>
                <Route path=path!("/users/new") view=NewUser/>
                <Route path=path!("/users/:id") view=UserPage/>
                <Route path=path!("/users/:id/edit") view=EditUser/>
                <Route path=path!("/notifications") view=NotificationsPage/>
                <Route path=path!("/import") view=Import/>
                <Route path=path!("/audit") view=AuditLog/>
                <Route path=path!("/imports/:id") view=ImportStatus/>
                <Route path=path!("/deputies") view=DeputiesPage/>
                <Route path=path!("/applications") view=ApplicationsPage/>
                <Route path=path!("/groups/:id") view=GroupPage/>
                <Route path=path!("/requests") view=RequestsPage/>
                <Route path=path!("/transfers") view=TransfersPage/>
            </Routes>
        </Router>
    }
}

/// After moving to another page, focus goes to its heading, so that a
/// screen reader announces where one is and Tab starts from the content.
/// The first page is left alone: focus starts at the skip link.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            request_animation_frame(|| {
                let heading = document().query_selector("main h1").ok().flatten();
                if let Some(heading) = heading.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = heading.set_attribute("tabindex", "-1");
                    let _ = heading.focus();
                }
            });
        }
        path
    });
}
