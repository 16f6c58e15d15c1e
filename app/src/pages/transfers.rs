//! Transfer of responsibility, for platform operators: find the
//! organization by CVR number, choose who left and who takes over, confirm.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::OrganizationAdministrators;

use crate::api::{self, ApiFailure};
use crate::pages::shell::{on_failure, Shell};

fn users(count: u32) -> String {
    if count == 1 { "1 user".into() } else { format!("{count} users") }
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    view! { <Shell><Transfers/></Shell> }
}

#[component]
fn Transfers() -> impl IntoView {
    let cvr = RwSignal::new(String::new());
    let found = RwSignal::new(None::<OrganizationAdministrators>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let find = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let number = cvr.get_untracked();
        spawn_local(async move {
            match api::organization_administrators(&number).await {
                Ok(administrators) => {
                    error.set(None);
                    from.set(String::new());
                    to.set(String::new());
                    found.set(Some(administrators));
                }
                Err(failure) => {
                    found.set(None);
                    error.set(match failure {
                        ApiFailure::Refused { code, .. } if code == "not_found" => Some(format!("No organization has the CVR number {number}.")),
                        other => on_failure(other),
                    });
                }
            }
        });
    };
    let name_of = move |id: String| {
        found.with(|found| found.as_ref().and_then(|f| f.administrators.iter().find(|a| a.id == id).map(|a| a.name.clone())).unwrap_or_default())
    };
    let ask = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (from_id, to_id) = (from.get_untracked(), to.get_untracked());
        if from_id.is_empty() || to_id.is_empty() {
            error.set(Some("Choose both the administrator who left and the one who takes over.".into()));
        } else if from_id == to_id {
            error.set(Some("Choose two different administrators.".into()));
        } else {
            error.set(None);
            confirming.set(true);
        }
    };
    let transfer = move |_| {
        let (from_id, to_id) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            match api::transfer(from_id.clone(), to_id.clone()).await {
                Ok(result) => {
                    confirming.set(false);
                    outcome.set(Some(format!("{} moved from {} to {}. Both are notified.", users(result.moved), name_of(from_id), name_of(to_id))));
                    if let Ok(administrators) = api::organization_administrators(&cvr.get_untracked()).await {
                        found.set(Some(administrators));
                    }
                }
                Err(failure) => {
                    confirming.set(false);
                    error.set(on_failure(failure));
                }
            }
        });
    };
    view! {
        <main id="main">
            <h1>"Transfer of responsibility"</h1>
            <p>"When an administrator leaves, move every user they manage to another administrator of the same organization."</p>
            <form class="inline" on:submit=find>
                <label for="transfer-cvr">"Organization's CVR number"</label>
                <input id="transfer-cvr" inputmode="numeric" bind:value=cvr/>
                <button type="submit">"Find administrators"</button>
            </form>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
            {move || found.get().map(|found| {
                let options = move |choice: RwSignal<String>| found.administrators.iter().map(|a| {
                    let label = format!("{} (manages {})", a.name, users(a.manages));
                    let id = a.id.clone();
                    view! { <option value=id.clone() selected=move || choice.get() == id>{label}</option> }
                }).collect_view();
                view! {
                    <h2>{found.organization.name.clone()}</h2>
                    <form class="narrow-form" on:submit=ask>
                        <label for="transfer-from">"The administrator who left"</label>
                        <select id="transfer-from" on:change=move |event| { confirming.set(false); from.set(event_target_value(&event)) }>
                            <option value="">"Choose an administrator"</option>
                            {options(from)}
                        </select>
                        <label for="transfer-to">"The administrator who takes over"</label>
                        <select id="transfer-to" on:change=move |event| { confirming.set(false); to.set(event_target_value(&event)) }>
                            <option value="">"Choose an administrator"</option>
                            {options(to)}
                        </select>
                        <button type="submit">"Transfer responsibility"</button>
                    </form>
                }
            })}
            <Show when=move || confirming.get()>
                <div class="panel" role="group" aria-labelledby="transfer-confirm">
                    <h2 id="transfer-confirm">"Move the users?"</h2>
                    <p>{move || format!("Every user {} manages moves to {}; those standing in for {} stop doing so.", name_of(from.get()), name_of(to.get()), name_of(from.get()))}</p>
                    <div class="actions">
                        <button type="button" on:click=transfer>"Move the users"</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </main>
    }
}
