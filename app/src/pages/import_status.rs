//! One import's progress and result as the server has it (`GET
//! /api/imports/{id}`), reached from its event in the audit log: what an
//! administrator reads after the tab that uploaded it was closed.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use steward_domain::api::ImportProgress;
use steward_domain::bulk::template::Operation;

use crate::api;
use crate::i18n::*;
use crate::import_flow::count;
use crate::language;
use crate::pages::shell::{on_failure, Shell};

#[component]
pub fn ImportStatus() -> impl IntoView {
    view! { <Shell><ImportStatusPage/></Shell> }
}

#[component]
fn ImportStatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|params| params.get("id").unwrap_or_default());
    let progress = LocalResource::new(move || {
        let id = id.clone();
        async move { api::import_progress(&id).await.map_err(on_failure) }
    });
    view! {
        <main id="main">
            <h1>{t!(i18n, audit.import.title)}</h1>
            {move || progress.get().map(|answer| match answer {
                Ok(progress) => view! { <ProgressList progress/> }.into_any(),
                Err(message) => message.map(|message| view! { <p role="alert" class="error">{message}</p> }).into_any(),
            })}
            <p><a href="/audit">{t!(i18n, audit.import.back)}</a></p>
        </main>
    }
}

#[component]
fn ProgressList(progress: ImportProgress) -> impl IntoView {
    let i18n = use_i18n();
    let number = move |n: u64| move || count(language::lang(i18n.get_locale()), n as usize);
    let (started, last) = (progress.started_at, progress.last_activity_at);
    let outcomes = progress.outcomes;
    view! {
        <dl>
            <dt>{t!(i18n, audit.import.operation)}</dt>
            <dd>{match progress.operation {
                Operation::Create => t!(i18n, import.operation.create).into_any(),
                Operation::Edit => t!(i18n, import.operation.edit).into_any(),
                Operation::Delete => t!(i18n, import.operation.delete).into_any(),
            }}</dd>
            <dt>{t!(i18n, audit.import.started_by)}</dt>
            <dd>{progress.actor_name.clone()}</dd>
            <dt>{t!(i18n, audit.import.started)}</dt>
            <dd>{move || language::time(started)}</dd>
            <dt>{t!(i18n, audit.import.last_activity)}</dt>
            <dd>{move || language::time(last)}</dd>
            <dt>{t!(i18n, audit.import.chunks)}</dt>
            <dd>{number(progress.chunks.len() as u64)}</dd>
            <dt>{t!(i18n, audit.import.rows)}</dt>
            <dd>{number(progress.rows)}</dd>
            <dt>{t!(i18n, audit.import.created)}</dt>
            <dd>{number(outcomes.created)}</dd>
            <dt>{t!(i18n, audit.import.updated)}</dt>
            <dd>{number(outcomes.updated)}</dd>
            <dt>{t!(i18n, audit.import.deleted)}</dt>
            <dd>{number(outcomes.deleted)}</dd>
            <dt>{t!(i18n, audit.import.rejected)}</dt>
            <dd>{number(outcomes.rejected)}</dd>
        </dl>
    }
}
