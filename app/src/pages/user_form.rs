//! Create and edit one user: the same field rules as the bulk file, checked
//! in the browser first and by the server again; every problem is shown at
//! its field and focus moves to the first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use steward_domain::api::UserDetail;
use steward_domain::fields::{Date, IdentityMeans};
use steward_domain::format::{plural, Plural};
use steward_domain::user_form::UserInput;
use wasm_bindgen::JsCast;

use crate::api;
use crate::i18n::*;
use crate::language;
use crate::pages::shell::{on_failure, Shell};
use crate::user_form::{check, input_for, typed_from, FieldErrors, FIELD_ORDER};

pub fn today() -> Date {
    Date::from_unix_seconds((js_sys::Date::now() / 1000.0) as i64)
}

pub fn focus_field(name: &str) {
    if let Some(element) = document().get_element_by_id(&format!("field-{name}")) {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

/// One labelled input with its hint and its problem. `label` and `hint`
/// take a fixed text or a closure (`move || t_string!(i18n, ..)`) that
/// follows a change of language.
#[component]
pub fn TextField(
    #[prop(into)] label: TextProp,
    name: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<FieldErrors>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("field-{name}-error");
    let hint_id = format!("field-{name}-hint");
    let error = move || errors.with(|errors| errors.get(name));
    let has_hint = hint.is_some();
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get().to_string()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get().to_string()}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                bind:value=value
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=described_by
            />
            {move || error().map(|message| view! { <p class="error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}

/// "3 fields need to be corrected." in the page's language.
fn fields_to_correct(i18n: leptos_i18n::I18nContext<Locale>, count: usize) -> String {
    match plural(language::lang(i18n.get_locale()), count as u64) {
        Plural::One => t_string!(i18n, user.form.to_correct.one, count = count).to_string(),
        Plural::Other => t_string!(i18n, user.form.to_correct.other, count = count).to_string(),
    }
}

#[component]
fn UserForm(editing: Option<UserDetail>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = editing.as_ref().map(typed_from).unwrap_or_default();
    let first_name = RwSignal::new(typed.first_name);
    let last_name = RwSignal::new(typed.last_name);
    let email = RwSignal::new(typed.email);
    let cpr = RwSignal::new(String::new());
    let remove_cpr = RwSignal::new(false);
    let birth_date = RwSignal::new(typed.birth_date);
    let phone = RwSignal::new(typed.phone);
    let p_number = RwSignal::new(typed.p_number);
    let se_number = RwSignal::new(typed.se_number);
    let means = IdentityMeans::parse_list(&typed.identity_means).unwrap_or_default();
    let password = RwSignal::new(editing.is_none() || means.contains(&IdentityMeans::Password));
    let totp = RwSignal::new(means.contains(&IdentityMeans::Totp));
    let passkey = RwSignal::new(means.contains(&IdentityMeans::Passkey));
    let anonymous = RwSignal::new(typed.anonymous.unwrap_or(false));
    let may_sign = RwSignal::new(typed.may_sign);
    let may_seal = RwSignal::new(typed.may_seal);
    let scope = RwSignal::new(typed.scope);
    let free1 = RwSignal::new(typed.free1);
    let free2 = RwSignal::new(typed.free2);
    let free3 = RwSignal::new(typed.free3);
    let errors = RwSignal::new(FieldErrors::default());
    let problem = RwSignal::new(None::<String>);
    let to_correct = RwSignal::new(None::<usize>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let editing = StoredValue::new(editing);
    let is_edit = editing.with_value(Option::is_some);
    let stored_cpr = editing.with_value(|user| user.as_ref().and_then(|user| user.cpr_masked.clone()));

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let identity_means = [(password, "password"), (totp, "totp"), (passkey, "passkey")]
            .iter()
            .filter(|(chosen, _)| chosen.get_untracked())
            .map(|(_, name)| *name)
            .collect::<Vec<_>>()
            .join(", ");
        let typed = UserInput {
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            email: email.get_untracked(),
            cpr: Some(cpr.get_untracked()),
            birth_date: birth_date.get_untracked(),
            phone: phone.get_untracked(),
            p_number: p_number.get_untracked(),
            se_number: se_number.get_untracked(),
            identity_means,
            anonymous: Some(anonymous.get_untracked()),
            may_sign: may_sign.get_untracked(),
            may_seal: may_seal.get_untracked(),
            scope: scope.get_untracked(),
            free1: free1.get_untracked(),
            free2: free2.get_untracked(),
            free3: free3.get_untracked(),
        };
        let input = editing.with_value(|user| input_for(typed, user.as_ref(), remove_cpr.get_untracked()));
        let lang = language::lang(i18n.get_locale_untracked());
        let found = editing.with_value(|user| check(&input, user.as_ref(), today(), lang));
        problem.set(None);
        to_correct.set(None);
        if !found.is_empty() {
            let first = found.first_field(FIELD_ORDER);
            to_correct.set(Some(found.len()));
            errors.set(found);
            if let Some(field) = first {
                focus_field(&field);
            }
            return;
        }
        errors.set(FieldErrors::default());
        busy.set(true);
        let navigate = navigate.clone();
        let id = editing.with_value(|user| user.as_ref().map(|user| user.id.clone()));
        spawn_local(async move {
            let saved = match &id {
                Some(id) => api::update_user(id, &input).await,
                None => api::create_user(&input).await,
            };
            busy.set(false);
            match saved {
                Ok(user) => navigate(&format!("/users/{}", user.id), Default::default()),
                Err(failure) => {
                    let issues = FieldErrors::from_issues(&failure.issues());
                    let first = issues.first_field(FIELD_ORDER);
                    problem.set(on_failure(failure));
                    errors.set(issues);
                    if let Some(field) = first {
                        focus_field(&field);
                    }
                }
            }
        });
    };

    view! {
        <form class="user-form" on:submit=submit novalidate>
            {move || problem.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            {move || to_correct.get().map(|count| view! { <p role="alert" class="error">{move || fields_to_correct(i18n, count)}</p> })}
            <fieldset>
                <legend>{t!(i18n, user.form.person)}</legend>
                <TextField label=move || t_string!(i18n, user.field.first_name) name="first_name" value=first_name errors=errors autocomplete="off"/>
                <TextField label=move || t_string!(i18n, user.field.last_name) name="last_name" value=last_name errors=errors/>
                <TextField label=move || t_string!(i18n, user.field.email) name="email" value=email errors=errors kind="email"/>
                <TextField
                    label=move || t_string!(i18n, user.field.cpr)
                    name="cpr"
                    value=cpr
                    errors=errors
                    hint=move || if is_edit { t_string!(i18n, user.form.cpr_hint_edit) } else { t_string!(i18n, user.form.cpr_hint_new) }
                />
                {stored_cpr.map(|masked| view! {
                    <p>{t!(i18n, user.form.stored_cpr, masked = move || masked.clone())}</p>
                    <label class="check"><input type="checkbox" bind:checked=remove_cpr/>" "{t!(i18n, user.form.remove_cpr)}</label>
                })}
                <TextField label=move || t_string!(i18n, user.field.birth_date) name="birth_date" value=birth_date errors=errors hint=move || t_string!(i18n, user.form.birth_date_hint)/>
                <TextField label=move || t_string!(i18n, user.field.phone) name="phone" value=phone errors=errors kind="tel" hint=move || t_string!(i18n, user.form.phone_hint)/>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, user.form.organization)}</legend>
                <TextField label=move || t_string!(i18n, user.field.p_number) name="p_number" value=p_number errors=errors hint=move || t_string!(i18n, user.form.p_number_hint)/>
                <TextField label=move || t_string!(i18n, user.field.se_number) name="se_number" value=se_number errors=errors hint=move || t_string!(i18n, user.form.se_number_hint)/>
            </fieldset>
            <fieldset aria-describedby="field-identity_means-error">
                <legend id="field-identity_means" tabindex="-1">{t!(i18n, user.field.identity_means)}</legend>
                <label class="check"><input type="checkbox" bind:checked=password/>" "{t!(i18n, user.form.password)}</label>
                <label class="check"><input type="checkbox" bind:checked=totp/>" "{t!(i18n, user.form.totp)}</label>
                <label class="check"><input type="checkbox" bind:checked=passkey/>" "{t!(i18n, user.form.passkey)}</label>
                {move || errors.with(|e| e.get("identity_means")).map(|m| view! { <p class="error" id="field-identity_means-error">{m}</p> })}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, user.form.rights)}</legend>
                <label class="check">
                    <input id="field-anonymous" type="checkbox" bind:checked=anonymous disabled=is_edit/>
                    " "{t!(i18n, user.form.anonymous)}
                </label>
                {move || errors.with(|e| e.get("anonymous")).map(|m| view! { <p class="error">{m}</p> })}
                <label class="check"><input type="checkbox" bind:checked=may_sign/>" "{t!(i18n, user.field.may_sign)}</label>
                <label class="check"><input type="checkbox" bind:checked=may_seal/>" "{t!(i18n, user.field.may_seal)}</label>
                <TextField label=move || t_string!(i18n, user.field.scope) name="scope" value=scope errors=errors hint=move || t_string!(i18n, user.form.scope_hint)/>
                <TextField label=move || t_string!(i18n, user.field.free1) name="free1" value=free1 errors=errors/>
                <TextField label=move || t_string!(i18n, user.field.free2) name="free2" value=free2 errors=errors/>
                <TextField label=move || t_string!(i18n, user.field.free3) name="free3" value=free3 errors=errors/>
            </fieldset>
            <button type="submit" disabled=move || busy.get()>
                {move || if is_edit { t_string!(i18n, user.form.save_changes) } else { t_string!(i18n, user.form.create) }}
            </button>
        </form>
    }
}

#[component]
pub fn NewUser() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Shell>
            <main id="main">
                <p><a href="/users">{t!(i18n, user.back_to_users)}</a></p>
                <h1>{t!(i18n, user.new_title)}</h1>
                <p>{t!(i18n, user.new_intro)}</p>
                <UserForm editing=None/>
            </main>
        </Shell>
    }
}

#[component]
pub fn EditUser() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let user = RwSignal::new(None::<UserDetail>);
    let error = RwSignal::new(None::<String>);
    let i18n = use_i18n();
    {
        let id = id.clone();
        spawn_local(async move {
            match api::user(&id).await {
                Ok(found) => user.set(Some(found)),
                Err(failure) => error.set(on_failure(failure)),
            }
        });
    }
    view! {
        <Shell>
            <main id="main">
                <p><a href=format!("/users/{id}")>{t!(i18n, user.back_to_user)}</a></p>
                <h1>{t!(i18n, user.edit_title)}</h1>
                {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
                {move || user.get().map(|user| view! { <UserForm editing=Some(user)/> })}
            </main>
        </Shell>
    }
}
