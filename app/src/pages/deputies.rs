//! Deputies: who stands in for the signed-in administrator, whom they stand
//! in for; and, for organization administrators, the management model.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::Deputyships;
use steward_domain::authz::{may_change_settings, ManagementModel};

use crate::api::{self, ApiFailure};
use crate::i18n::*;
use crate::pages::shell::{on_failure, Session, Shell};

/// What a change did, kept as data so that the page says it in the
/// language in use.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Done {
    Registered,
    Withdrawn,
    ModelSaved,
}

/// What the page shows in its alert: the Worker's message as it came, or
/// the page's own.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Server(String),
    NoAdministratorChosen,
}

#[component]
pub fn DeputiesPage() -> impl IntoView {
    view! { <Shell><Deputies/></Shell> }
}

#[component]
fn Deputies() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let state = RwSignal::new(None::<Deputyships>);
    let chosen = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Problem>);
    let outcome = RwSignal::new(None::<Done>);
    let failed = move |failure: ApiFailure| error.set(on_failure(failure).map(Problem::Server));
    let load = move || {
        spawn_local(async move {
            match api::deputies().await {
                Ok(found) => state.set(Some(found)),
                Err(failure) => failed(failure),
            }
        });
    };
    load();
    let after = move |result: Result<(), ApiFailure>, done: Done| match result {
        Ok(()) => {
            error.set(None);
            outcome.set(Some(done));
            load();
        }
        Err(failure) => failed(failure),
    };
    let register = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let deputy = chosen.get_untracked();
        if deputy.is_empty() {
            error.set(Some(Problem::NoAdministratorChosen));
            return;
        }
        spawn_local(async move { after(api::register_deputy(deputy).await, Done::Registered) });
    };
    let may_set_model = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_change_settings(me.role).is_allowed()));
    let set_model = move |model: ManagementModel| {
        spawn_local(async move { after(api::set_management_model(model).await, Done::ModelSaved) });
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, deputies.title)}</h1>
            {move || error.get().map(|problem| view! { <p role="alert" class="error">{match problem {
                Problem::Server(message) => message.into_any(),
                Problem::NoAdministratorChosen => t!(i18n, deputies.choose_administrator_error).into_any(),
            }}</p> })}
            <p role="status">{move || outcome.get().map(|done| match done {
                Done::Registered => t!(i18n, deputies.outcome.registered).into_any(),
                Done::Withdrawn => t!(i18n, deputies.outcome.withdrawn).into_any(),
                Done::ModelSaved => t!(i18n, deputies.outcome.model_saved).into_any(),
            })}</p>
            {move || state.get().map(|state| {
                let model = state.model;
                view! {
                    <p>{match model {
                        ManagementModel::Shared => t!(i18n, deputies.model.shared_explained).into_any(),
                        ManagementModel::Owned => t!(i18n, deputies.model.owned_explained).into_any(),
                    }}</p>
                    <Show when=may_set_model>
                        <fieldset>
                            <legend>{t!(i18n, deputies.model.legend)}</legend>
                            {[ManagementModel::Shared, ManagementModel::Owned].into_iter().map(|option| view! {
                                <label class="check">
                                    <input type="radio" name="model" prop:checked=model == option on:change=move |_| set_model(option)/>
                                    " "
                                    {match option {
                                        ManagementModel::Shared => t!(i18n, deputies.model.shared).into_any(),
                                        ManagementModel::Owned => t!(i18n, deputies.model.owned).into_any(),
                                    }}
                                </label>
                            }).collect_view()}
                        </fieldset>
                    </Show>
                    <h2>{t!(i18n, deputies.mine.heading)}</h2>
                    {if state.my_deputies.is_empty() {
                        view! { <p>{t!(i18n, deputies.mine.nobody)}</p> }.into_any()
                    } else {
                        view! {
                            <ul>{state.my_deputies.iter().map(|deputy| {
                                let id = deputy.id.clone();
                                let name = deputy.name.clone();
                                view! {
                                    <li>
                                        {deputy.name.clone()} " "
                                        <button type="button" class="secondary" on:click=move |_| {
                                            let id = id.clone();
                                            spawn_local(async move { after(api::withdraw_deputy(&id).await, Done::Withdrawn) });
                                        }>{t!(i18n, deputies.mine.withdraw, name = move || name.clone())}</button>
                                    </li>
                                }
                            }).collect_view()}</ul>
                        }.into_any()
                    }}
                    <form class="inline" on:submit=register>
                        <label for="deputy-choice">{t!(i18n, deputies.register.label)}</label>
                        <select id="deputy-choice" on:change=move |event| chosen.set(event_target_value(&event))>
                            <option value="">{t!(i18n, deputies.register.choose)}</option>
                            {state.candidates.iter().map(|person| view! { <option value=person.id.clone()>{person.name.clone()}</option> }).collect_view()}
                        </select>
                        <button type="submit">{t!(i18n, deputies.register.submit)}</button>
                    </form>
                    <h2>{t!(i18n, deputies.stand_in.heading)}</h2>
                    {if state.i_stand_in_for.is_empty() {
                        view! { <p>{t!(i18n, deputies.stand_in.nobody)}</p> }.into_any()
                    } else {
                        view! { <ul>{state.i_stand_in_for.iter().map(|p| view! { <li>{p.name.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}
                }
            })}
        </main>
    }
}
