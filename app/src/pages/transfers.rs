//! Transfer of responsibility, for platform operators: find the
//! organization by CVR number, choose who left and who takes over, confirm.

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::api::OrganizationAdministrators;
use steward_domain::format::{number, plural, Plural};

use crate::api::{self, ApiFailure};
use crate::i18n::*;
use crate::language::lang;
use crate::pages::shell::{on_failure, Shell};

/// "1 user", "12 users" in the page's language.
fn users(i18n: leptos_i18n::I18nContext<Locale>, count: u32) -> String {
    let lang = lang(i18n.get_locale());
    let count = u64::from(count);
    let shown = number(lang, count);
    match plural(lang, count) {
        Plural::One => t_string!(i18n, transfers.users.one, count = shown).to_string(),
        Plural::Other => t_string!(i18n, transfers.users.other, count = shown).to_string(),
    }
}

/// What the page shows in its alert: the Worker's message as it came, or
/// the page's own.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Server(String),
    NoSuchOrganization(String),
    ChooseBoth,
    ChooseDifferent,
}

/// A finished transfer: how many users moved, from whom, to whom.
#[derive(Clone, Debug, PartialEq)]
struct Moved {
    count: u32,
    from: String,
    to: String,
}

#[component]
pub fn TransfersPage() -> impl IntoView {
    view! { <Shell><Transfers/></Shell> }
}

#[component]
fn Transfers() -> impl IntoView {
    let i18n = use_i18n();
    let cvr = RwSignal::new(String::new());
    let found = RwSignal::new(None::<OrganizationAdministrators>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<Problem>);
    let outcome = RwSignal::new(None::<Moved>);
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
                        ApiFailure::Refused { code, .. } if code == "not_found" => Some(Problem::NoSuchOrganization(number)),
                        other => on_failure(other).map(Problem::Server),
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
            error.set(Some(Problem::ChooseBoth));
        } else if from_id == to_id {
            error.set(Some(Problem::ChooseDifferent));
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
                    outcome.set(Some(Moved { count: result.moved, from: name_of(from_id), to: name_of(to_id) }));
                    if let Ok(administrators) = api::organization_administrators(&cvr.get_untracked()).await {
                        found.set(Some(administrators));
                    }
                }
                Err(failure) => {
                    confirming.set(false);
                    error.set(on_failure(failure).map(Problem::Server));
                }
            }
        });
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, transfers.title)}</h1>
            <p>{t!(i18n, transfers.intro)}</p>
            <form class="inline" on:submit=find>
                <label for="transfer-cvr">{t!(i18n, transfers.cvr)}</label>
                <input id="transfer-cvr" inputmode="numeric" bind:value=cvr/>
                <button type="submit">{t!(i18n, transfers.find)}</button>
            </form>
            {move || error.get().map(|problem| view! { <p role="alert" class="error">{match problem {
                Problem::Server(message) => message.into_any(),
                Problem::NoSuchOrganization(number) => t!(i18n, transfers.not_found, number = move || number.clone()).into_any(),
                Problem::ChooseBoth => t!(i18n, transfers.choose_both).into_any(),
                Problem::ChooseDifferent => t!(i18n, transfers.choose_different).into_any(),
            }}</p> })}
            <p role="status">{move || outcome.get().map(|moved| {
                t_string!(i18n, transfers.moved, users = users(i18n, moved.count), from = moved.from.as_str(), to = moved.to.as_str()).to_string()
            })}</p>
            {move || found.get().map(|found| {
                let options = move |choice: RwSignal<String>| found.administrators.iter().map(|a| {
                    let (name, manages) = (a.name.clone(), a.manages);
                    let label = move || t_string!(i18n, transfers.option, name = name.as_str(), users = users(i18n, manages)).to_string();
                    let id = a.id.clone();
                    view! { <option value=id.clone() selected=move || choice.get() == id>{label}</option> }
                }).collect_view();
                view! {
                    <h2>{found.organization.name.clone()}</h2>
                    <form class="narrow-form" on:submit=ask>
                        <label for="transfer-from">{t!(i18n, transfers.from)}</label>
                        <select id="transfer-from" on:change=move |event| { confirming.set(false); from.set(event_target_value(&event)) }>
                            <option value="">{t!(i18n, transfers.choose)}</option>
                            {options(from)}
                        </select>
                        <label for="transfer-to">{t!(i18n, transfers.to)}</label>
                        <select id="transfer-to" on:change=move |event| { confirming.set(false); to.set(event_target_value(&event)) }>
                            <option value="">{t!(i18n, transfers.choose)}</option>
                            {options(to)}
                        </select>
                        <button type="submit">{t!(i18n, transfers.submit)}</button>
                    </form>
                }
            })}
            <Show when=move || confirming.get()>
                <div class="panel" role="group" aria-labelledby="transfer-confirm">
                    <h2 id="transfer-confirm">{t!(i18n, transfers.confirm.heading)}</h2>
                    <p>{move || t_string!(i18n, transfers.confirm.text, from = name_of(from.get()), to = name_of(to.get())).to_string()}</p>
                    <div class="actions">
                        <button type="button" on:click=transfer>{t!(i18n, transfers.confirm.submit)}</button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t!(i18n, common.cancel)}</button>
                    </div>
                </div>
            </Show>
        </main>
    }
}
