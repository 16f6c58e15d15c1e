//! The findings of the check, one kind or all, in a table that draws only
//! what is on screen; a finding about a cell can be corrected here, or its
//! suggestion taken, one at a time or all of a kind, and the file is
//! checked again with the change.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use steward_domain::bulk::check::{kind_label, Finding, Report};
use steward_domain::bulk::template::Column;
use steward_domain::fields::mask_cpr_input;

use super::driver::Driver;
use super::virtual_table::VirtualTable;
use super::{page_lang, save_file};
use crate::i18n::*;
use crate::import_flow::{count, counted, findings_csv};
use crate::import_machine::{suggestions, Event};
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
    // The finding whose cell is being corrected, by its index in the report.
    let editing = RwSignal::new(None::<usize>);
    let kinds = report.counts_by_code();
    let shown = {
        let report = report.clone();
        Memo::new(move |_| kind.with(|kind| findings_of_kind(&report, kind)))
    };
    let rows = {
        let report = report.clone();
        Memo::new(move |_| shown.with(|shown| shown.iter().map(|index| finding_cells(&report.findings[*index])).collect::<Vec<_>>()))
    };
    let suggested = {
        let report = report.clone();
        Memo::new(move |_| kind.with(|kind| suggestions(&report, (!kind.is_empty()).then_some(kind.as_str())).len()))
    };
    let actions = {
        let report = report.clone();
        StoredValue::new_local(Box::new(move |row: usize| {
            let index = shown.with_untracked(|shown| shown[row]);
            finding_actions(driver, editing, index, &report.findings[index])
        }) as Box<dyn Fn(usize) -> AnyView>)
    };
    let editor_report = report.clone();
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
                                let lang = page_lang(i18n);
                                t_string!(i18n, import.findings.kind_option, kind = kind_label(&code, lang), count = count(lang, n)).to_string()
                            }}</option>
                        }
                    }).collect_view()}
                </select>
                <Show when=move || { suggested.get() > 0 }>
                    <button type="button" on:click=move |_| {
                        let kind = kind.get_untracked();
                        driver.send(Event::SuggestionsAccepted { kind: (!kind.is_empty()).then_some(kind) });
                    }>
                        {move || {
                            let lang = page_lang(i18n);
                            if kind.with(String::is_empty) {
                                counted!(lang, suggested.get(), import.fix.accept_all)
                            } else {
                                counted!(lang, suggested.get(), import.fix.accept_kind)
                            }
                        }}
                    </button>
                </Show>
                <button type="button" class="secondary" on:click=move |_| save_file("findings.csv", &findings_csv(language::current(), &report))>
                    {t!(i18n, import.findings.download)}
                </button>
                <button type="button" class="secondary" on:click=move |_| driver.send(Event::CheckAgain)>{t!(i18n, import.findings.check_again)}</button>
            </div>
            {move || editing.get().map(|index| view! { <CellEditor driver editing finding=editor_report.findings[index].clone()/> })}
            <VirtualTable
                caption=Signal::derive(move || t_string!(i18n, import.findings.caption).to_string())
                headers=Signal::derive(move || vec![
                    t_string!(i18n, import.findings.column.row).to_string(),
                    t_string!(i18n, import.findings.column.column).to_string(),
                    t_string!(i18n, import.findings.column.finding).to_string(),
                    t_string!(i18n, import.findings.column.value).to_string(),
                    t_string!(i18n, import.fix.column).to_string(),
                ])
                rows
                verbatim=&[1, 3]
                actions/>
        </section>
    }
}

/// The buttons of a finding's row: correct the cell, and take its
/// suggestion where it has one. Findings about a whole row or the header
/// are corrected in the file.
fn finding_actions(driver: Driver, editing: RwSignal<Option<usize>>, index: usize, finding: &Finding) -> AnyView {
    let i18n = use_i18n();
    let (Some(column), Some(header)) = (finding.column, finding.header.clone()) else { return ().into_any() };
    if finding.row < 2 {
        return ().into_any();
    }
    let row = finding.row;
    let place = {
        let header = header.clone();
        move || t_string!(i18n, import.fix.place, row = row, column = header.clone()).to_string()
    };
    let suggestion = finding.suggestion.clone().map(|value| {
        let shown = shown_value(column, &value);
        let label = shown.clone();
        let place = place.clone();
        view! {
            <button type="button" class="secondary"
                aria-label=move || t_string!(i18n, import.fix.use_suggestion_in, value = label.clone(), place = place()).to_string()
                on:click=move |_| driver.send(Event::CellCorrected { row, column, value: value.clone() })>
                <span translate="no">{shown}</span>
            </button>
        }
    });
    view! {
        <button type="button" class="secondary"
            aria-label=move || t_string!(i18n, import.fix.correct_in, place = place()).to_string()
            on:click=move |_| editing.set(Some(index))>
            {t!(i18n, import.fix.correct)}
        </button>
        {suggestion}
    }
    .into_any()
}

/// The form that gives one cell a new value.
#[component]
fn CellEditor(driver: Driver, editing: RwSignal<Option<usize>>, finding: Finding) -> impl IntoView {
    let i18n = use_i18n();
    let (row, column, header) = (finding.row, finding.column.unwrap_or_default(), finding.header.clone().unwrap_or_default());
    // A CPR number is shown masked, so the field starts empty rather than
    // with its mask; another value starts as the suggestion or as it was.
    let cpr = column == Column::Cpr.number();
    let initial = finding.suggestion.clone().or(finding.value.clone()).filter(|_| !cpr).unwrap_or_default();
    let value = RwSignal::new(initial);
    let input = NodeRef::<html::Input>::new();
    input.on_load(|input| {
        let _ = input.focus();
    });
    view! {
        <form class="cell-editor" on:submit=move |event| {
            event.prevent_default();
            driver.send(Event::CellCorrected { row, column, value: value.get_untracked() });
        }>
            <p>{finding.message.clone()}</p>
            <label for="cell-value">{t_string!(i18n, import.fix.new_value, place = t_string!(i18n, import.fix.place, row = row, column = header.clone()).to_string()).to_string()}</label>
            <input id="cell-value" node_ref=input translate="no" autocomplete="off" prop:value=move || value.get() on:input=move |event| value.set(event_target_value(&event))/>
            <div class="inline">
                <button type="submit">{t!(i18n, import.fix.save)}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>{t!(i18n, import.fix.cancel)}</button>
            </div>
        </form>
    }
}

/// A value as the page shows it: a CPR number masked.
fn shown_value(column: usize, value: &str) -> String {
    if column == Column::Cpr.number() { mask_cpr_input(value) } else { value.to_owned() }
}

/// The indices of the findings of one kind (code), or of every kind when
/// `kind` is empty.
fn findings_of_kind(report: &Report, kind: &str) -> Vec<usize> {
    report.findings.iter().enumerate().filter(|(_, finding)| kind.is_empty() || finding.code == kind).map(|(index, _)| index).collect()
}

/// A finding as table cells.
fn finding_cells(finding: &Finding) -> Vec<String> {
    vec![finding.row.to_string(), finding.header.clone().unwrap_or_default(), finding.message.clone(), finding.value.clone().unwrap_or_default()]
}
