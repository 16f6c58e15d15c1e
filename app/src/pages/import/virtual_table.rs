//! A table of many rows that draws only those in view.

use leptos::prelude::*;

use crate::import_flow::visible_range;

#[component]
pub fn VirtualTable(caption: &'static str, headers: &'static [&'static str], rows: Memo<Vec<Vec<String>>>) -> impl IntoView {
    const ROW_HEIGHT: f64 = 32.0;
    const VIEWPORT: f64 = 384.0;
    let scroll_top = RwSignal::new(0.0);
    view! {
        <div
            class="virtual"
            tabindex="0"
            role="region"
            aria-label=caption
            style:max-height=format!("{VIEWPORT}px")
            on:scroll=move |event| scroll_top.set(f64::from(event_target::<web_sys::HtmlElement>(&event).scroll_top()))
        >
            <table>
                <caption>{move || format!("{caption} ({})", rows.with(Vec::len))}</caption>
                <thead><tr>{headers.iter().map(|header| view! { <th scope="col">{*header}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {move || rows.with(|rows| {
                        let (start, end) = visible_range(scroll_top.get(), VIEWPORT, ROW_HEIGHT, rows.len());
                        let above = start as f64 * ROW_HEIGHT;
                        let below = (rows.len() - end) as f64 * ROW_HEIGHT;
                        view! {
                            <tr aria-hidden="true" class="spacer" style:height=format!("{above}px")></tr>
                            {rows[start..end].iter().map(|cells| view! {
                                <tr>{cells.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                            }).collect_view()}
                            <tr aria-hidden="true" class="spacer" style:height=format!("{below}px")></tr>
                        }
                    })}
                </tbody>
            </table>
        </div>
    }
}
