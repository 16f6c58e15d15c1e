//! The organization's applications and groups. Organization administrators
//! define applications and custom groups; every administrator sees them and
//! manages the members of custom groups on a group's page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use steward_domain::api::{ApplicationInfo, GroupDetail, GroupInfo, GroupKind};
use steward_domain::applications::may_define;

use crate::api::{self, ApiFailure};
use crate::grants::{application_label, roles_from_text};
use crate::i18n::*;
use crate::pages::shell::{on_failure, Session, Shell};
use crate::user_form::FieldErrors;

/// What a change on these pages did, kept as data so that the page says it
/// in the language in use (and again after a change of language).
#[derive(Clone, Debug, PartialEq)]
enum Done {
    Defined(String),
    Removed(String),
    Made(String),
    MemberAdded(String),
    MemberRemoved(String),
}

impl Done {
    fn text(&self, i18n: leptos_i18n::I18nContext<Locale>) -> String {
        match self {
            Done::Defined(name) => t_string!(i18n, applications.outcome.defined, name = name).to_string(),
            Done::Removed(name) => t_string!(i18n, applications.outcome.removed, name = name).to_string(),
            Done::Made(name) => t_string!(i18n, applications.outcome.made, name = name).to_string(),
            Done::MemberAdded(email) => t_string!(i18n, applications.outcome.member_added, email = email).to_string(),
            Done::MemberRemoved(name) => t_string!(i18n, applications.outcome.member_removed, name = name).to_string(),
        }
    }
}

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! { <Shell><Applications/></Shell> }
}

#[component]
pub fn GroupPage() -> impl IntoView {
    view! { <Shell><Group/></Shell> }
}

fn field_error(errors: RwSignal<FieldErrors>, field: &'static str, id: &'static str) -> impl IntoView {
    move || errors.with(|e| e.get(field).map(|message| view! { <p class="error" id=id>{message.to_owned()}</p> }))
}

#[component]
fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let catalog = RwSignal::new(Vec::<ApplicationInfo>::new());
    let groups = RwSignal::new(Vec::<GroupInfo>::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Done>);
    let new_name = RwSignal::new(String::new());
    let new_roles = RwSignal::new(String::new());
    let application_errors = RwSignal::new(FieldErrors::default());
    let group_name = RwSignal::new(String::new());
    let group_applications = RwSignal::new(Vec::<String>::new());
    let group_errors = RwSignal::new(FieldErrors::default());
    let load = move || {
        spawn_local(async move {
            match api::applications().await {
                Ok(found) => catalog.set(found.applications),
                Err(failure) => error.set(on_failure(failure)),
            }
            match api::groups().await {
                Ok(found) => groups.set(found.groups),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let done = move |result: Result<Done, ApiFailure>, errors: Option<RwSignal<FieldErrors>>| match result {
        Ok(message) => {
            error.set(None);
            if let Some(errors) = errors {
                errors.set(FieldErrors::default());
            }
            outcome.set(Some(message));
            load();
        }
        Err(failure) => {
            if let Some(errors) = errors {
                errors.set(FieldErrors::from_issues(&failure.issues()));
            }
            outcome.set(None);
            error.set(on_failure(failure));
        }
    };
    let may_define_here = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_define(me.role).is_allowed()));
    let define_application = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, roles) = (new_name.get_untracked(), roles_from_text(&new_roles.get_untracked()));
        spawn_local(async move {
            let made = api::define_application(name, roles).await;
            if made.is_ok() {
                new_name.set(String::new());
                new_roles.set(String::new());
            }
            done(made.map(|a| Done::Defined(a.name)), Some(application_errors));
        });
    };
    let define_group = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, chosen) = (group_name.get_untracked(), group_applications.get_untracked());
        spawn_local(async move {
            let made = api::define_group(name, chosen).await;
            if made.is_ok() {
                group_name.set(String::new());
                group_applications.set(Vec::new());
            }
            done(made.map(|g| Done::Made(g.name)), Some(group_errors));
        });
    };
    view! {
        <main id="main">
            <h1>{t!(i18n, applications.title)}</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get().map(|done| done.text(i18n))}</p>
            <div class="table-scroll" role="region" aria-labelledby="applications-caption" tabindex="0">
            <table>
                <caption id="applications-caption">{t!(i18n, applications.catalogue.caption)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, applications.catalogue.application)}</th>
                    <th scope="col">{t!(i18n, applications.catalogue.roles)}</th>
                    <Show when=may_define_here><th scope="col">{t!(i18n, applications.catalogue.remove)}</th></Show>
                </tr></thead>
                <tbody>
                    <For each=move || catalog.get() key=|a| a.id.clone() let:application>
                        <tr>
                            <td>{application.name.clone()}</td>
                            <td>{application.roles.join(", ")}</td>
                            <Show when=may_define_here>
                                {
                                    let (id, name) = (application.id.clone(), application.name.clone());
                                    let label = name.clone();
                                    view! { <td><button type="button" class="secondary"
                                        aria-label=move || t_string!(i18n, applications.catalogue.remove_label, name = label.as_str()).to_string()
                                        on:click=move |_| {
                                        let (id, name) = (id.clone(), name.clone());
                                        spawn_local(async move { done(api::remove_application(&id).await.map(|()| Done::Removed(name)), None) });
                                    }>{t!(i18n, applications.remove)}</button></td> }
                                }
                            </Show>
                        </tr>
                    </For>
                </tbody>
            </table>
            </div>
            <Show when=may_define_here>
                <form class="narrow-form" on:submit=define_application aria-labelledby="new-application">
                    <h2 id="new-application">{t!(i18n, applications.define.heading)}</h2>
                    <label for="application-name">{t!(i18n, applications.define.name)}</label>
                    <input id="application-name" bind:value=new_name aria-describedby="application-name-error"
                        aria-invalid=move || application_errors.with(|e| e.get("name").is_some()).to_string()/>
                    {field_error(application_errors, "name", "application-name-error")}
                    <label for="application-roles">{t!(i18n, applications.define.roles)}</label>
                    <input id="application-roles" bind:value=new_roles aria-describedby="application-roles-hint application-roles-error"
                        aria-invalid=move || application_errors.with(|e| e.get("roles").is_some()).to_string()/>
                    <p class="hint" id="application-roles-hint">{t!(i18n, applications.define.roles_hint)}</p>
                    {field_error(application_errors, "roles", "application-roles-error")}
                    <button type="submit">{t!(i18n, applications.define.submit)}</button>
                </form>
            </Show>
            <h2>{t!(i18n, applications.groups.heading)}</h2>
            <div class="table-scroll" role="region" aria-labelledby="groups-caption" tabindex="0">
            <table>
                <caption id="groups-caption">{t!(i18n, applications.groups.caption)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, applications.groups.group)}</th>
                    <th scope="col">{t!(i18n, applications.groups.kind)}</th>
                    <th scope="col">{t!(i18n, applications.groups.gives)}</th>
                    <th scope="col">{t!(i18n, applications.groups.members)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || groups.get() key=|g| (g.id.clone(), g.member_count) let:group>
                        <tr>
                            <td><a href=format!("/groups/{}", group.id)>{group.name.clone()}</a></td>
                            <td>{match group.kind {
                                GroupKind::Custom => t!(i18n, applications.groups.custom).into_any(),
                                GroupKind::System => t!(i18n, applications.groups.system).into_any(),
                            }}</td>
                            <td>{if group.applications.is_empty() {
                                t!(i18n, applications.none).into_any()
                            } else {
                                group.applications.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ").into_any()
                            }}</td>
                            <td>{
                                let members = u64::from(group.member_count);
                                move || crate::language::number(members)
                            }</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            </div>
            <Show when=may_define_here>
                <form class="narrow-form" on:submit=define_group aria-labelledby="new-group">
                    <h2 id="new-group">{t!(i18n, applications.make_group.heading)}</h2>
                    <label for="group-name">{t!(i18n, applications.make_group.name)}</label>
                    <input id="group-name" bind:value=group_name aria-describedby="group-name-error"/>
                    {field_error(group_errors, "name", "group-name-error")}
                    <fieldset>
                        <legend>{t!(i18n, applications.make_group.applications)}</legend>
                        <For each=move || catalog.get() key=|a| a.id.clone() let:application>
                            {
                                let id = StoredValue::new(application.id.clone());
                                view! {
                                    <label class="check">
                                        <input type="checkbox"
                                            prop:checked=move || group_applications.with(|chosen| chosen.contains(&id.get_value()))
                                            on:change=move |event| {
                                                let on = event_target_checked(&event);
                                                group_applications.update(|chosen| {
                                                    chosen.retain(|c| *c != id.get_value());
                                                    if on { chosen.push(id.get_value()); }
                                                });
                                            }/>
                                        {format!(" {}", application_label(&application))}
                                    </label>
                                }
                            }
                        </For>
                    </fieldset>
                    {field_error(group_errors, "application_ids", "group-applications-error")}
                    <button type="submit">{t!(i18n, applications.make_group.submit)}</button>
                </form>
            </Show>
        </main>
    }
}

#[component]
fn Group() -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(use_params_map().with_untracked(|p| p.get("id").unwrap_or_default()));
    let session = expect_context::<Session>();
    let detail = RwSignal::new(None::<GroupDetail>);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Done>);
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let load = move || {
        spawn_local(async move {
            match api::group(&id.get_value()).await {
                Ok(found) => detail.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    };
    load();
    let report = move |result: Result<Done, ApiFailure>| match result {
        Ok(message) => {
            error.set(None);
            errors.set(FieldErrors::default());
            outcome.set(Some(message));
            load();
        }
        Err(failure) => {
            errors.set(FieldErrors::from_issues(&failure.issues()));
            outcome.set(None);
            error.set(on_failure(failure));
        }
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let address = email.get_untracked();
        spawn_local(async move {
            let added = api::add_group_member(&id.get_value(), address.clone()).await;
            if added.is_ok() {
                email.set(String::new());
            }
            report(added.map(|_| Done::MemberAdded(address)));
        });
    };
    let may_define_here = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_define(me.role).is_allowed()));
    view! {
        <main id="main">
            <p><a href="/applications">{t!(i18n, applications.group.back)}</a></p>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get().map(|done| done.text(i18n))}</p>
            {move || detail.get().map(|detail| {
                let custom = detail.group.kind == GroupKind::Custom;
                view! {
                    <h1>{detail.group.name.clone()}</h1>
                    <p>{if !custom {
                        t!(i18n, applications.group.system).into_any()
                    } else if detail.group.applications.is_empty() {
                        t!(i18n, applications.group.gives_nothing).into_any()
                    } else {
                        let gives = detail.group.applications.iter().map(application_label).collect::<Vec<_>>().join("; ");
                        t!(i18n, applications.group.gives, applications = move || gives.clone()).into_any()
                    }}</p>
                    <h2>{t!(i18n, applications.group.members)}</h2>
                    {if detail.members.is_empty() {
                        view! { <p>{t!(i18n, applications.group.no_members)}</p> }.into_any()
                    } else {
                        view! { <ul>{detail.members.into_iter().map(|member| {
                            let member_id = member.id.clone();
                            view! {
                                <li>
                                    <a href=format!("/users/{}", member.id)>{member.name.clone()}</a>
                                    {custom.then(|| {
                                        let label = member.name.clone();
                                        view! { " " <button type="button" class="secondary"
                                            aria-label=move || t_string!(i18n, applications.group.remove_member_label, name = label.as_str()).to_string()
                                            on:click=move |_| {
                                            let (member_id, name) = (member_id.clone(), member.name.clone());
                                            spawn_local(async move { report(api::remove_group_member(&id.get_value(), &member_id).await.map(|()| Done::MemberRemoved(name))) });
                                        }>{t!(i18n, applications.remove)}</button> }
                                    })}
                                </li>
                            }
                        }).collect_view()}</ul> }.into_any()
                    }}
                    {custom.then(|| view! {
                        <form class="inline" on:submit=add>
                            <label for="member-email">{t!(i18n, applications.group.add_member)}</label>
                            <input id="member-email" type="email" bind:value=email aria-describedby="member-email-error"
                                aria-invalid=move || errors.with(|e| e.get("email").is_some()).to_string()/>
                            <button type="submit">{t!(i18n, applications.group.add)}</button>
                            {field_error(errors, "email", "member-email-error")}
                        </form>
                        <Show when=may_define_here>
                            <button type="button" class="danger" on:click=move |_| spawn_local(async move {
                                match api::remove_group(&id.get_value()).await {
                                    Ok(()) => { let _ = window().location().set_href("/applications"); }
                                    Err(failure) => error.set(on_failure(failure)),
                                }
                            })>{t!(i18n, applications.group.remove_group)}</button>
                        </Show>
                    })}
                }
            })}
        </main>
    }
}
