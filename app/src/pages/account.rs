//! The signed-in person's own account.

use leptos::prelude::*;

use crate::pages::shell::{Session, Shell};

#[component]
pub fn Account() -> impl IntoView {
    view! { <Shell><AccountDetails/></Shell> }
}

#[component]
fn AccountDetails() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <main>
            <h1>"Your account"</h1>
            {move || session.me.get().map(|me| view! {
                <dl class="details">
                    <dt>"Name"</dt><dd>{format!("{} {}", me.first_name, me.last_name)}</dd>
                    <dt>"E-mail"</dt><dd>{me.email.clone()}</dd>
                    <dt>"Organization"</dt><dd>{me.organization.name.clone()}</dd>
                </dl>
            })}
        </main>
    }
}
