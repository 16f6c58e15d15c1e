//! The check under way, and what it found in summary.

use leptos::prelude::*;

use super::driver::Driver;
use crate::import_machine::Stage;

#[component]
pub fn CheckingProgress(driver: Driver) -> impl IntoView {
    // Rows checked, and the share of the file read.
    let progress = driver.select(|machine| match machine.stage() {
        Stage::Checking { rows, read, total, .. } => Some((*rows, *read as f64 / (*total).max(1) as f64)),
        _ => None,
    });
    view! {
        <Show when=move || progress.with(Option::is_some)>
            <label for="check-progress">{move || format!("Checking… {} rows", progress.get().map_or(0, |(rows, _)| rows))}</label>
            <progress id="check-progress" max="1" value=move || progress.get().map_or(0.0, |(_, share)| share)></progress>
        </Show>
    }
}

#[component]
pub fn CheckSummary(driver: Driver) -> impl IntoView {
    let report = driver.report();
    move || report.get().map(|report| view! {
        <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Check"</h2>
            <p role="status">{format!(
                "{} rows checked; {} findings. Read as {}, fields separated by \"{}\".",
                report.rows, report.findings.len(), report.encoding,
                if report.delimiter == "\t" { "tab".to_owned() } else { report.delimiter.clone() },
            )}</p>
            <ul>{report.notices.iter().map(|notice| view! { <li>{notice.message.clone()}</li> }).collect_view()}</ul>
            {(!report.findings.is_empty()).then(|| view! {
                <h3>"Findings by kind"</h3>
                <ul>{report.counts_by_code().into_iter().map(|(code, count)| view! { <li>{format!("{code}: {count}")}</li> }).collect_view()}</ul>
            })}
        </section>
    })
}
