//! The app's pages and their addresses.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::pages::{sign_in::SignIn, users::Users};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| view! { <main><h1>"Page not found"</h1><a href="/users">"Go to the users"</a></main> }>
                <Route path=path!("/") view=|| view! { <Redirect path="/users"/> }/>
                <Route path=path!("/sign-in") view=SignIn/>
                <Route path=path!("/users") view=Users/>
            </Routes>
        </Router>
    }
}
