//! The findings of the check, one kind or all, in a table that draws only
//! what is on screen.

use std::sync::Arc;

use leptos::prelude::*;
use steward_domain::bulk::check::Report;

use super::driver::Driver;
use super::virtual_table::VirtualTable;
use super::{page_lang, save_file};
use crate::i18n::*;
use crate::import_flow::{count, findings_csv};
use crate::import_machine::Event;
use crate::language;

#[component]
pub fn Findings(driver: Driver) -> impl IntoView {
    let report = driver.report();
    // Drawn anew for each check, which starts it on all kinds again.
    move || report.get().filter(|report| !report.findings.is_empty()).map(|report| view! { <FindingsOfCheck driver report/> })
}

#[component]
fn FindingsOfCheck(driver: Driver, report: Arc<Report>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(String::new());
    let kinds = report.counts_by_code();
    let rows = {
        let report = report.clone();
        Memo::new(move |_| kind.with(|kind| finding_cells(&report, kind)))
    };
    view! {
        <section aria-labelledby="findings-heading">
            <h2 id="findings-heading">{t!(i18n, import.findings.heading)}</h2>
            <div class="inline">
                <label for="finding-filter">{t!(i18n, import.findings.show)}</label>
                <select id="finding-filter" on:change=move |event| kind.set(event_target_value(&event))>
                    <option value="">{t!(i18n, import.findings.all_kinds)}</option>
                    {kinds.into_iter().map(|(code, n)| {
                        let value = code.clone();
                        view! {
                            <option value=value>{move || {
                                t_string!(i18n, import.findings.kind_option, kind = code.clone(), count = count(page_lang(i18n), n)).to_string()
                            }}</option>
                        }
                    }).collect_view()}
                </select>
                <button type="button" class="secondary" on:click=move |_| save_file("findings.csv", &findings_csv(language::current(), &report))>
                    {t!(i18n, import.findings.download)}
                </button>
                <button type="button" class="secondary" on:click=move |_| driver.send(Event::CheckAgain)>{t!(i18n, import.findings.check_again)}</button>
            </div>
            <VirtualTable
                caption=Signal::derive(move || t_string!(i18n, import.findings.caption).to_string())
                headers=Signal::derive(move || vec![
                    t_string!(i18n, import.findings.column.row).to_string(),
                    t_string!(i18n, import.findings.column.column).to_string(),
                    t_string!(i18n, import.findings.column.finding).to_string(),
                    t_string!(i18n, import.findings.column.value).to_string(),
                ])
                rows
                verbatim=&[1, 3]/>
        </section>
    }
}

/// The findings of one kind (code), or of every kind when `kind` is empty,
/// as table cells.
fn finding_cells(report: &Report, kind: &str) -> Vec<Vec<String>> {
    report
        .findings
        .iter()
        .filter(|finding| kind.is_empty() || finding.code == kind)
        .map(|finding| {
            vec![
                finding.row.to_string(),
                finding.header.clone().unwrap_or_default(),
                finding.message.clone(),
                finding.value.clone().unwrap_or_default(),
            ]
        })
        .collect()
}
