//! Bulk create, edit and delete (product.md §5): choose the operation, get
//! the template, pick or drop a file; it is checked completely in the
//! browser, in Web Workers that leave the page responsive
//! (`check_workers`); findings are listed (a long list
//! draws only what is on screen) and can be downloaded; the rows go up in
//! chunks that the server applies once each, resuming after a dropped
//! connection; every row's result is shown and can be downloaded.
//!
//! What the page does next is decided by `import_machine`; the components
//! here draw it and send it events, and `Driver` carries out its effects.

mod check;
mod driver;
mod file_drop;
mod findings;
mod operation_choice;
mod results;
mod resume_offer;
mod upload_choice;
mod virtual_table;

use leptos::prelude::*;
use steward_domain::lang::Lang;
use wasm_bindgen::JsCast;

use crate::i18n::*;
use crate::language;
use crate::pages::shell::Shell;
use check::{CheckSummary, CheckingProgress};
use driver::Driver;
use file_drop::FileDrop;
use findings::Findings;
use operation_choice::OperationChoice;
use results::UploadResults;
use resume_offer::ResumeOffer;
use upload_choice::UploadChoicePanel;

#[component]
pub fn Import() -> impl IntoView {
    view! { <Shell><ImportPage/></Shell> }
}

#[component]
fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let driver = Driver::new();
    let error = driver.select(|machine| machine.error().cloned());
    view! {
        <main id="main">
            <h1>{t!(i18n, import.title)}</h1>
            {move || error.get().map(|problem| view! { <p role="alert" class="error">{move || problem.message(page_lang(i18n))}</p> })}
            <ResumeOffer driver/>
            <OperationChoice driver/>
            <FileDrop driver/>
            <CheckingProgress driver/>
            <CheckSummary driver/>
            <Findings driver/>
            <UploadChoicePanel driver/>
            <UploadResults driver/>
        </main>
    }
}

/// The page's language; read in a reactive closure, the closure follows a
/// change of it.
fn page_lang(i18n: leptos_i18n::I18nContext<Locale>) -> Lang {
    language::lang(i18n.get_locale())
}

/// Offers `text` as a file download.
fn save_file(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(anchor) = document().create_element("a").map(|a| a.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
