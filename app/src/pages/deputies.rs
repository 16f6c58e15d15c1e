//! Deputies: who stands in for the signed-in administrator, whom they stand
//! in for; and, for organization administrators, the management model.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::Deputyships;
use steward_domain::authz::{may_change_settings, ManagementModel};

use crate::api::{self, ApiFailure};
use crate::pages::shell::{on_failure, Session, Shell};

#[component]
pub fn DeputiesPage() -> impl IntoView {
    view! { <Shell><Deputies/></Shell> }
}

#[component]
fn Deputies() -> impl IntoView {
    let session = expect_context::<Session>();
    let state = RwSignal::new(None::<Deputyships>);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match api::deputies().await {
                Ok(found) => state.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let after = move |result: Result<(), ApiFailure>, done: &'static str| match result {
        Ok(()) => {
            error.set(None);
            outcome.set(Some(done.into()));
            load();
        }
        Err(failure) => error.set(on_failure(failure)),
    };
    let register = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let deputy = chosen.get_untracked();
        if deputy.is_empty() {
            error.set(Some("Choose an administrator.".into()));
            return;
        }
        spawn_local(async move { after(api::register_deputy(deputy).await, "The deputy is registered.") });
    };
    let may_set_model = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_change_settings(me.role).is_allowed()));
    let set_model = move |model: ManagementModel| {
        spawn_local(async move { after(api::set_management_model(model).await, "The management model is saved.") });
    };
    view! {
        <main id="main">
            <h1>"Deputies"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
            {move || state.get().map(|state| {
                let model = state.model;
                view! {
                    <p>{match model {
                        ManagementModel::Shared => "Management model: shared — every user administrator manages every user.",
                        ManagementModel::Owned => "Management model: owned — each administrator manages the users they created, and their deputies do too.",
                    }}</p>
                    <Show when=may_set_model>
                        <fieldset>
                            <legend>"Management model of the organization"</legend>
                            {[(ManagementModel::Shared, "Shared"), (ManagementModel::Owned, "Owned")].into_iter().map(|(option, label)| view! {
                                <label class="check">
                                    <input type="radio" name="model" prop:checked=model == option on:change=move |_| set_model(option)/>
                                    {format!(" {label}")}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    </Show>
                    <h2>"Your deputies"</h2>
                    {if state.my_deputies.is_empty() {
                        view! { <p>"Nobody stands in for you."</p> }.into_any()
                    } else {
                        view! {
                            <ul>{state.my_deputies.iter().map(|deputy| {
                                let id = deputy.id.clone();
                                view! {
                                    <li>
                                        {deputy.name.clone()} " "
                                        <button type="button" class="secondary" on:click=move |_| {
                                            let id = id.clone();
                                            spawn_local(async move { after(api::withdraw_deputy(&id).await, "The deputy is withdrawn.") });
                                        }>{format!("Withdraw {}", deputy.name)}</button>
                                    </li>
                                }
                            }).collect_view()}</ul>
                        }.into_any()
                    }}
                    <form class="inline" on:submit=register>
                        <label for="deputy-choice">"Register a deputy"</label>
                        <select id="deputy-choice" on:change=move |event| chosen.set(event_target_value(&event))>
                            <option value="">"Choose an administrator"</option>
                            {state.candidates.iter().map(|person| view! { <option value=person.id.clone()>{person.name.clone()}</option> }).collect_view()}
                        </select>
                        <button type="submit">"Register"</button>
                    </form>
                    <h2>"You stand in for"</h2>
                    {if state.i_stand_in_for.is_empty() {
                        view! { <p>"Nobody."</p> }.into_any()
                    } else {
                        view! { <ul>{state.i_stand_in_for.iter().map(|p| view! { <li>{p.name.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}
                }
            })}
        </main>
    }
}
