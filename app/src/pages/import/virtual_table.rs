//! A table of many rows that draws only those in view.

use leptos::prelude::*;

use super::page_lang;
use crate::i18n::*;
use crate::import_flow::{count, visible_range};

/// `caption` names the table (and its scrolled region); the caption also
/// says how many rows there are. The cells of the `verbatim` columns are
/// the file's own text (its column names, its values): marked
/// `translate="no"`, as no page language applies to them. `actions`, when
/// given, draws a last cell of controls for the row at an index.
#[component]
pub fn VirtualTable(
    #[prop(into)] caption: Signal<String>,
    #[prop(into)] headers: Signal<Vec<String>>,
    rows: Memo<Vec<Vec<String>>>,
    #[prop(optional)] verbatim: &'static [usize],
    #[prop(optional)] actions: Option<StoredValue<Box<dyn Fn(usize) -> AnyView>, LocalStorage>>,
) -> impl IntoView {
    const ROW_HEIGHT: f64 = 32.0;
    const VIEWPORT: f64 = 384.0;
    let i18n = use_i18n();
    let scroll_top = RwSignal::new(0.0);
    view! {
        <div
            class="virtual"
            tabindex="0"
            role="region"
            aria-label=move || caption.get()
            style:max-height=format!("{VIEWPORT}px")
            on:scroll=move |event| scroll_top.set(f64::from(event_target::<web_sys::HtmlElement>(&event).scroll_top()))
        >
            <table>
                <caption>{move || {
                    let shown = count(page_lang(i18n), rows.with(Vec::len));
                    t_string!(i18n, import.table.caption, caption = caption.get(), count = shown).to_string()
                }}</caption>
                <thead><tr>{move || headers.get().into_iter().map(|header| view! { <th scope="col">{header}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {move || rows.with(|rows| {
                        let (start, end) = visible_range(scroll_top.get(), VIEWPORT, ROW_HEIGHT, rows.len());
                        let above = start as f64 * ROW_HEIGHT;
                        let below = (rows.len() - end) as f64 * ROW_HEIGHT;
                        view! {
                            <tr aria-hidden="true" class="spacer" style:height=format!("{above}px")></tr>
                            {rows[start..end].iter().enumerate().map(|(offset, cells)| view! {
                                <tr>
                                    {cells.iter().enumerate().map(|(column, cell)| {
                                        let translate = verbatim.contains(&column).then_some("no");
                                        view! { <td translate=translate>{cell.clone()}</td> }
                                    }).collect_view()}
                                    {actions.map(|actions| view! { <td class="actions">{actions.with_value(|draw| draw(start + offset))}</td> })}
                                </tr>
                            }).collect_view()}
                            <tr aria-hidden="true" class="spacer" style:height=format!("{below}px")></tr>
                        }
                    })}
                </tbody>
            </table>
        </div>
    }
}
