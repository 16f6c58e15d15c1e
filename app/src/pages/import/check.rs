//! The check under way, and what it found in summary.

use leptos::prelude::*;
use steward_domain::bulk::check::{kind_label, Report};
use steward_domain::lang::Lang;

use super::driver::Driver;
use super::{page_lang, save_file};
use crate::i18n::*;
use crate::import_flow::{corrected_file_name, count, counted};
use crate::import_machine::Stage;
use crate::language::locale;

#[component]
pub fn CheckingProgress(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    // Rows checked, and the share of the file read.
    let progress = driver.select(|machine| match machine.stage() {
        Stage::Checking { rows, read, total, .. } => Some((*rows, *read as f64 / (*total).max(1) as f64)),
        _ => None,
    });
    view! {
        <Show when=move || progress.with(Option::is_some)>
            <div role="status">
                <label for="check-progress">{move || {
                    let rows = progress.get().map_or(0, |(rows, _)| rows) as usize;
                    counted!(page_lang(i18n), rows, import.check.progress)
                }}</label>
                <progress id="check-progress" max="1" value=move || progress.get().map_or(0.0, |(_, share)| share)></progress>
            </div>
        </Show>
    }
}

#[component]
pub fn CheckSummary(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let report = driver.report();
    move || report.get().map(|report| view! {
        <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">{t!(i18n, import.check.heading)}</h2>
            <p role="status">{
                let report = report.clone();
                move || summary(page_lang(i18n), &report)
            }</p>
            <ul>{report.notices.iter().map(|notice| view! { <li>{notice.message.clone()}</li> }).collect_view()}</ul>
            <CorrectedFile driver/>
            {(!report.findings.is_empty()).then(|| view! {
                <h3>{t!(i18n, import.check.by_kind)}</h3>
                <ul>{report.counts_by_code().into_iter().map(|(code, n)| view! {
                    <li>{move || {
                        let lang = page_lang(i18n);
                        t_string!(i18n, import.check.kind_count, kind = kind_label(&code, lang), count = count(lang, n)).to_string()
                    }}</li>
                }).collect_view()}</ul>
            })}
        </section>
    })
}

/// How many cells were corrected in the page, and the corrected file to download.
#[component]
fn CorrectedFile(driver: Driver) -> impl IntoView {
    let i18n = use_i18n();
    let corrected = driver.select(|machine| machine.corrections().len());
    let download = move |_| {
        let (name, bytes) = driver.read(|machine| (machine.file_name().map(corrected_file_name), machine.checked_bytes().cloned()));
        if let (Some(name), Some(bytes)) = (name, bytes) {
            save_file(&name, &String::from_utf8_lossy(&bytes));
        }
    };
    view! {
        <Show when=move || { corrected.get() > 0 }>
            <p>{move || counted!(page_lang(i18n), corrected.get(), import.fix.corrected)}</p>
            <button type="button" class="secondary" on:click=download>{t!(i18n, import.fix.download)}</button>
        </Show>
    }
}

/// "5 rows checked; 4 findings. Read as UTF-8, fields separated by ";"."
fn summary(lang: Lang, report: &Report) -> String {
    let locale = locale(lang);
    let rows = counted!(lang, report.rows as usize, import.check.rows_checked);
    let findings = counted!(lang, report.findings.len(), import.check.findings);
    let delimiter = if report.delimiter == "\t" { td_string!(locale, import.check.tab).to_string() } else { report.delimiter.clone() };
    let read_as = td_string!(locale, import.check.read_as, encoding = report.encoding.clone(), delimiter = delimiter).to_string();
    td_string!(locale, import.check.summary, rows = rows, findings = findings, read_as = read_as).to_string()
}
