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
use crate::pages::shell::{on_failure, Session, Shell};
use crate::user_form::FieldErrors;

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
    let session = expect_context::<Session>();
    let catalog = RwSignal::new(Vec::<ApplicationInfo>::new());
    let groups = RwSignal::new(Vec::<GroupInfo>::new());
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
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
    let done = move |result: Result<String, ApiFailure>, errors: Option<RwSignal<FieldErrors>>| match result {
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
            done(made.map(|a| format!("The application {} is defined.", a.name)), Some(application_errors));
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
            done(made.map(|g| format!("The group {} is made.", g.name)), Some(group_errors));
        });
    };
    view! {
        <main id="main">
            <h1>"Applications and groups"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
            <table>
                <caption>"The organization's applications: named sets of roles"</caption>
                <thead><tr><th scope="col">"Application"</th><th scope="col">"Roles"</th><Show when=may_define_here><th scope="col">"Remove"</th></Show></tr></thead>
                <tbody>
                    <For each=move || catalog.get() key=|a| a.id.clone() let:application>
                        <tr>
                            <td>{application.name.clone()}</td>
                            <td>{application.roles.join(", ")}</td>
                            <Show when=may_define_here>
                                {
                                    let (id, name) = (application.id.clone(), application.name.clone());
                                    view! { <td><button type="button" class="secondary" aria-label=format!("Remove {name}") on:click=move |_| {
                                        let (id, name) = (id.clone(), name.clone());
                                        spawn_local(async move { done(api::remove_application(&id).await.map(|()| format!("The application {name} is removed.")), None) });
                                    }>"Remove"</button></td> }
                                }
                            </Show>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=may_define_here>
                <form class="narrow-form" on:submit=define_application aria-labelledby="new-application">
                    <h2 id="new-application">"Define an application"</h2>
                    <label for="application-name">"Application name"</label>
                    <input id="application-name" bind:value=new_name aria-describedby="application-name-error"
                        aria-invalid=move || application_errors.with(|e| e.get("name").is_some()).to_string()/>
                    {field_error(application_errors, "name", "application-name-error")}
                    <label for="application-roles">"Roles (separated by commas)"</label>
                    <input id="application-roles" bind:value=new_roles aria-describedby="application-roles-hint application-roles-error"
                        aria-invalid=move || application_errors.with(|e| e.get("roles").is_some()).to_string()/>
                    <p class="hint" id="application-roles-hint">"For example invoice.read, invoice.approve"</p>
                    {field_error(application_errors, "roles", "application-roles-error")}
                    <button type="submit">"Define application"</button>
                </form>
            </Show>
            <h2>"Groups"</h2>
            <table>
                <caption>"Custom groups give their applications to their members; system groups are the P-units"</caption>
                <thead><tr><th scope="col">"Group"</th><th scope="col">"Kind"</th><th scope="col">"Gives"</th><th scope="col">"Members"</th></tr></thead>
                <tbody>
                    <For each=move || groups.get() key=|g| (g.id.clone(), g.member_count) let:group>
                        <tr>
                            <td><a href=format!("/groups/{}", group.id)>{group.name.clone()}</a></td>
                            <td>{match group.kind { GroupKind::Custom => "Custom", GroupKind::System => "System (P-unit)" }}</td>
                            <td>{if group.applications.is_empty() { "—".to_owned() } else { group.applications.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ") }}</td>
                            <td>{group.member_count}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Show when=may_define_here>
                <form class="narrow-form" on:submit=define_group aria-labelledby="new-group">
                    <h2 id="new-group">"Make a custom group"</h2>
                    <label for="group-name">"Group name"</label>
                    <input id="group-name" bind:value=group_name aria-describedby="group-name-error"/>
                    {field_error(group_errors, "name", "group-name-error")}
                    <fieldset>
                        <legend>"Applications the group gives"</legend>
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
                    <button type="submit">"Make group"</button>
                </form>
            </Show>
        </main>
    }
}

#[component]
fn Group() -> impl IntoView {
    let id = StoredValue::new(use_params_map().with_untracked(|p| p.get("id").unwrap_or_default()));
    let session = expect_context::<Session>();
    let detail = RwSignal::new(None::<GroupDetail>);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
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
    let report = move |result: Result<String, ApiFailure>| match result {
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
            report(added.map(|_| format!("{address} is added to the group.")));
        });
    };
    let may_define_here = move || session.me.with(|me| me.as_ref().is_some_and(|me| may_define(me.role).is_allowed()));
    view! {
        <main id="main">
            <p><a href="/applications">"← Applications and groups"</a></p>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <p role="status">{move || outcome.get()}</p>
            {move || detail.get().map(|detail| {
                let custom = detail.group.kind == GroupKind::Custom;
                view! {
                    <h1>{detail.group.name.clone()}</h1>
                    <p>{if custom {
                        format!("Gives: {}", if detail.group.applications.is_empty() { "no applications".to_owned() } else { detail.group.applications.iter().map(application_label).collect::<Vec<_>>().join("; ") })
                    } else {
                        "The system group of a P-unit: its members are the users with this P-number.".to_owned()
                    }}</p>
                    <h2>"Members"</h2>
                    {if detail.members.is_empty() {
                        view! { <p>"No members you manage."</p> }.into_any()
                    } else {
                        view! { <ul>{detail.members.into_iter().map(|member| {
                            let member_id = member.id.clone();
                            view! {
                                <li>
                                    <a href=format!("/users/{}", member.id)>{member.name.clone()}</a>
                                    {custom.then(|| view! { " " <button type="button" class="secondary" aria-label=format!("Remove {} from the group", member.name) on:click=move |_| {
                                        let (member_id, name) = (member_id.clone(), member.name.clone());
                                        spawn_local(async move { report(api::remove_group_member(&id.get_value(), &member_id).await.map(|()| format!("{name} is removed from the group."))) });
                                    }>"Remove"</button> })}
                                </li>
                            }
                        }).collect_view()}</ul> }.into_any()
                    }}
                    {custom.then(|| view! {
                        <form class="inline" on:submit=add>
                            <label for="member-email">"Add a member by e-mail"</label>
                            <input id="member-email" type="email" bind:value=email aria-describedby="member-email-error"
                                aria-invalid=move || errors.with(|e| e.get("email").is_some()).to_string()/>
                            <button type="submit">"Add"</button>
                            {field_error(errors, "email", "member-email-error")}
                        </form>
                        <Show when=may_define_here>
                            <button type="button" class="danger" on:click=move |_| spawn_local(async move {
                                match api::remove_group(&id.get_value()).await {
                                    Ok(()) => { let _ = window().location().set_href("/applications"); }
                                    Err(failure) => error.set(on_failure(failure)),
                                }
                            })>"Remove this group"</button>
                        </Show>
                    })}
                }
            })}
        </main>
    }
}
