//! Choosing the file, or dropping it on the page.

use leptos::prelude::*;

use super::driver::Driver;
use crate::i18n::*;

#[component]
pub fn FileDrop(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let file_name = driver.select(|machine| machine.file_name().map(str::to_owned));
    let choose = move |file: Option<web_sys::File>| {
        if let Some(file) = file {
            driver.choose_file(file);
        }
    };
    view! {
        <div
            class="drop-zone"
            on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
            on:drop=move |event: web_sys::DragEvent| {
                event.prevent_default();
                choose(event.data_transfer().and_then(|t| t.files()).and_then(|files| files.get(0)));
            }
        >
            <label for="import-file">{t!(i18n, import.file.choose)}</label>
            <input id="import-file" type="file" accept=".csv,text/csv,text/plain"
                on:change=move |event| {
                    let input = event_target::<web_sys::HtmlInputElement>(&event);
                    choose(input.files().and_then(|files| files.get(0)));
                }/>
            {move || file_name.get().map(|name| view! { <p>{t!(i18n, import.file.chosen, name = name)}</p> })}
        </div>
    }
}
