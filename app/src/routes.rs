//! The app's pages and their addresses.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::pages::account::Account;
use crate::pages::activate::Activate;
use crate::pages::applications::{ApplicationsPage, GroupPage};
use crate::pages::audit::AuditLog;
use crate::pages::deputies::DeputiesPage;
use crate::pages::import::Import;
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
        <Router>
            <Routes fallback=|| view! { <main><h1>"Page not found"</h1><a href="/users">"Go to the users"</a></main> }>
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
                <Route path=path!("/deputies") view=DeputiesPage/>
                <Route path=path!("/applications") view=ApplicationsPage/>
                <Route path=path!("/groups/:id") view=GroupPage/>
                <Route path=path!("/requests") view=RequestsPage/>
                <Route path=path!("/transfers") view=TransfersPage/>
            </Routes>
        </Router>
    }
}
