//! The findings of the check, one kind or all, in a table that draws only
//! what is on screen.

use std::sync::Arc;

use leptos::prelude::*;
use steward_domain::bulk::check::Report;
use steward_domain::bulk::report::findings_csv;

use super::driver::Driver;
use super::save_file;
use super::virtual_table::VirtualTable;
use crate::import_machine::Event;

#[component]
pub fn Findings(driver: Driver) -> impl IntoView {
    let report = driver.report();
    // Drawn anew for each check, which starts it on all kinds again.
    move || report.get().filter(|report| !report.findings.is_empty()).map(|report| view! { <FindingsOfCheck driver report/> })
}

#[component]
fn FindingsOfCheck(driver: Driver, report: Arc<Report>) -> impl IntoView {
    let kind = RwSignal::new(String::new());
    let kinds = report.counts_by_code();
    let rows = {
        let report = report.clone();
        Memo::new(move |_| kind.with(|kind| finding_cells(&report, kind)))
    };
    view! {
        <section aria-labelledby="findings-heading">
            <h2 id="findings-heading">"Findings"</h2>
            <div class="inline">
                <label for="finding-filter">"Show"</label>
                <select id="finding-filter" on:change=move |event| kind.set(event_target_value(&event))>
                    <option value="">"All kinds"</option>
                    {kinds.into_iter().map(|(code, count)| view! {
                        <option value=code.clone()>{format!("{code} ({count})")}</option>
                    }).collect_view()}
                </select>
                <button type="button" class="secondary" on:click=move |_| save_file("findings.csv", &findings_csv(&report))>
                    "Download the findings (CSV)"
                </button>
                <button type="button" class="secondary" on:click=move |_| driver.send(Event::CheckAgain)>"Check again"</button>
            </div>
            <VirtualTable caption="Findings" headers=&["Row", "Column", "Finding", "Value"] rows/>
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
