//! Bulk create, edit and delete (product.md §5): choose the operation, get
//! the template, pick or drop a file; it is checked completely in the
//! browser, in Web Workers that leave the page responsive
//! (`check_workers`); findings are listed (a long list
//! draws only what is on screen) and can be downloaded; the rows go up in
//! chunks that the server applies once each, resuming after a dropped
//! connection; every row's result is shown and can be downloaded.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::bulk::check::{Checker, Report};
use steward_domain::bulk::import::{ImportChunk, Outcome, RowOutcome};
use steward_domain::bulk::report::findings_csv;
use steward_domain::bulk::template::{template_file, Operation};
use steward_domain::lang::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiFailure};
use crate::check_workers::{drive, mark, CheckProgress, CheckWorkers};
use crate::import_flow::{delete_confirmed, outcome_label, readiness, results_csv, valid_rows, visible_range, Readiness, Upload};
use crate::pages::shell::{on_failure, Shell};
use crate::pages::user_form::today;

#[component]
pub fn Import() -> impl IntoView {
    view! { <Shell><ImportPage/></Shell> }
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The file could not be read. Choose it again.".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
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

/// A random (version 4) UUID for the import, made here so that a resent
/// chunk carries the same id.
fn new_import_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Where the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Choosing,
    Checking,
    Checked,
    Uploading,
    Paused,
    Done,
}

/// A table of many rows that draws only those in view.
#[component]
fn VirtualTable(caption: &'static str, headers: &'static [&'static str], rows: Memo<Vec<Vec<String>>>) -> impl IntoView {
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

#[component]
fn ImportPage() -> impl IntoView {
    let operation = RwSignal::new(Operation::Create);
    let file = StoredValue::new_local(None::<web_sys::File>);
    let file_name = RwSignal::new(String::new());
    let phase = RwSignal::new(Phase::Choosing);
    let checked_rows = RwSignal::new(0u64);
    let checked_bytes = RwSignal::new((0u64, 1u64));
    let report = RwSignal::new(None::<Report>);
    let file_bytes = StoredValue::new(None::<Arc<[u8]>>);
    let filter = RwSignal::new(String::new());
    let send_valid_only = RwSignal::new(false);
    let typed_count = RwSignal::new(String::new());
    let upload = StoredValue::new(None::<Upload>);
    let progress = RwSignal::new((0usize, 0usize));
    let outcomes = RwSignal::new(Vec::<RowOutcome>::new());
    let error = RwSignal::new(None::<String>);
    let activation = RwSignal::new(None::<String>);
    let workers = StoredValue::new_local(Rc::new(CheckWorkers::start()));
    let latest_check = StoredValue::new(0u64);

    let check = move || {
        let Some(chosen) = file.with_value(Clone::clone) else { return };
        let op = operation.get_untracked();
        let this_check = latest_check.get_value() + 1;
        latest_check.set_value(this_check);
        phase.set(Phase::Checking);
        error.set(None);
        report.set(None);
        outcomes.set(Vec::new());
        spawn_local(async move {
            let bytes = match read_file(&chosen).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    error.set(Some(message));
                    phase.set(Phase::Choosing);
                    return;
                }
            };
            let bytes: Arc<[u8]> = bytes.into();
            mark("steward-check-start");
            let on_progress = move |(rows, read, total): CheckProgress| {
                checked_rows.set(rows);
                checked_bytes.set((read, total.max(1)));
            };
            let checked = workers.get_value().check(&bytes, op, Lang::En, today(), on_progress).await;
            // A file chosen, or an operation changed, since: its check reports.
            if latest_check.get_value() != this_check {
                return;
            }
            let checked = match checked {
                Ok(report) => report,
                Err(message) => {
                    error.set(Some(message));
                    phase.set(Phase::Choosing);
                    return;
                }
            };
            file_bytes.set_value(Some(bytes));
            send_valid_only.set(false);
            typed_count.set(String::new());
            filter.set(String::new());
            report.set(Some(checked));
            phase.set(Phase::Checked);
            mark("steward-check-end");
        });
    };

    let choose_file = move |chosen: Option<web_sys::File>| {
        if let Some(chosen) = chosen {
            file_name.set(chosen.name());
            file.set_value(Some(chosen));
            check();
        }
    };

    let readiness_now = Memo::new(move |_| report.with(|report| report.as_ref().map(readiness)));
    let count_to_send = Memo::new(move |_| match readiness_now.get() {
        Some(Readiness::AllRows(n)) => n,
        Some(Readiness::ValidRowsOnly { valid, .. }) if send_valid_only.get() => valid,
        _ => 0,
    });
    let may_upload = Memo::new(move |_| {
        let count = count_to_send.get();
        count > 0 && (operation.get() != Operation::Delete || delete_confirmed(&typed_count.get(), count))
    });

    let run_upload = move || {
        phase.set(Phase::Uploading);
        error.set(None);
        spawn_local(async move {
            let op = operation.get_untracked();
            let mut failures = 0;
            loop {
                let Some((import_id, next)) = upload.with_value(|u| u.as_ref().map(|u| (u.import_id.clone(), u.next_chunk()))) else { return };
                let Some((seq, chunk_rows)) = next else {
                    phase.set(Phase::Done);
                    return;
                };
                let chunk = ImportChunk { operation: op, rows: chunk_rows };
                match api::send_import_chunk(&import_id, seq, &chunk).await {
                    Ok(result) => {
                        failures = 0;
                        upload.update_value(|u| {
                            if let Some(u) = u {
                                u.accept(result);
                            }
                        });
                    }
                    Err(failure) => {
                        if let Some(findings) = api::rejected_rows(&failure) {
                            upload.update_value(|u| {
                                if let Some(u) = u {
                                    u.reject(&findings);
                                }
                            });
                        } else if matches!(failure, ApiFailure::Network(_)) && failures < 3 {
                            // The server applies a chunk once, so sending it again is safe.
                            failures += 1;
                            sleep_ms(500 * failures).await;
                            continue;
                        } else {
                            let (done, total) = upload.with_value(|u| u.as_ref().map_or((0, 0), Upload::progress));
                            let message = on_failure(failure)
                                .map(|m| format!("The upload stopped after {done} of {total} chunks: {m} Nothing was sent twice; resume to go on."));
                            error.set(message);
                            phase.set(Phase::Paused);
                            return;
                        }
                    }
                }
                upload.with_value(|u| {
                    if let Some(u) = u {
                        progress.set(u.progress());
                        outcomes.set(u.outcomes());
                    }
                });
            }
        });
    };

    // The rows are read again from the checked bytes only now, so that the
    // check itself keeps no copy of every cell.
    let start_upload = move |_| {
        let Some(bytes) = file_bytes.get_value() else { return };
        let op = operation.get_untracked();
        let valid_only = send_valid_only.get_untracked();
        phase.set(Phase::Uploading);
        spawn_local(async move {
            let Ok(checker) = Checker::in_memory(bytes.to_vec(), op, Lang::En, today()) else { return };
            let mut checker = checker.collecting_rows();
            if let Err(message) = drive(&mut checker, |_| {}).await {
                error.set(Some(message));
                phase.set(Phase::Checked);
                return;
            }
            let (found, rows) = checker.finish_with_rows();
            let to_send = if valid_only { valid_rows(&found, &rows) } else { rows };
            let plan = Upload::new(new_import_id(), op, &to_send);
            progress.set(plan.progress());
            upload.set_value(Some(plan));
            run_upload();
        });
    };

    let send_created_to_activation = move |_| {
        let ids = upload.with_value(|u| u.as_ref().map(Upload::created_ids).unwrap_or_default());
        activation.set(Some("Sending…".into()));
        spawn_local(async move {
            let (mut sent, mut skipped) = (0, 0);
            for batch in ids.chunks(steward_domain::api::MAX_BULK_ACTIVATION) {
                match api::send_many_to_activation(batch.to_vec()).await {
                    Ok(result) => {
                        sent += result.sent.len();
                        skipped += result.skipped.len();
                    }
                    Err(failure) => {
                        error.set(on_failure(failure));
                        break;
                    }
                }
            }
            activation.set(Some(format!(
                "{sent} users were sent an activation link. {skipped} activate by code: send each of them from their own page, to see the code."
            )));
        });
    };

    let kinds = Memo::new(move |_| report.with(|r| r.as_ref().map(Report::counts_by_code).unwrap_or_default()));
    let finding_rows = Memo::new(move |_| {
        let wanted = filter.get();
        report.with(|report| {
            report
                .iter()
                .flat_map(|report| report.findings.iter())
                .filter(|finding| wanted.is_empty() || finding.code == wanted)
                .map(|finding| {
                    vec![
                        finding.row.to_string(),
                        finding.header.clone().unwrap_or_default(),
                        finding.message.clone(),
                        finding.value.clone().unwrap_or_default(),
                    ]
                })
                .collect()
        })
    });
    let outcome_rows = Memo::new(move |_| {
        outcomes.with(|outcomes| {
            outcomes
                .iter()
                .map(|o| vec![o.row.to_string(), outcome_label(o.outcome).to_owned(), o.user_id.clone().unwrap_or_default(), o.reason.clone().unwrap_or_default()])
                .collect()
        })
    });
    let outcome_count = move |wanted: Outcome| outcomes.with(|o| o.iter().filter(|o| o.outcome == wanted).count());

    view! {
        <main>
            <h1>"Import users from a file"</h1>
            {move || error.get().map(|message| view! { <p role="alert" class="error">{message}</p> })}
            <fieldset>
                <legend>"What should the file do?"</legend>
                {[(Operation::Create, "Create users"), (Operation::Edit, "Edit users"), (Operation::Delete, "Delete users")].into_iter().map(|(op, label)| view! {
                    <label class="check">
                        <input type="radio" name="operation" prop:checked=move || operation.get() == op
                            on:change=move |_| { operation.set(op); if file.with_value(Option::is_some) { check(); } }/>
                        {format!(" {label}")}
                    </label>
                }).collect_view()}
                <p>
                    <button type="button" class="secondary" on:click=move |_| {
                        let op = operation.get_untracked();
                        save_file(&format!("steward-{}.csv", op.as_str()), &template_file(op));
                    }>"Download the template"</button>
                </p>
            </fieldset>
            <div
                class="drop-zone"
                on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
                on:drop=move |event: web_sys::DragEvent| {
                    event.prevent_default();
                    choose_file(event.data_transfer().and_then(|t| t.files()).and_then(|files| files.get(0)));
                }
            >
                <label for="import-file">"Choose a CSV file, or drop it here"</label>
                <input id="import-file" type="file" accept=".csv,text/csv,text/plain"
                    on:change=move |event| {
                        let input = event_target::<web_sys::HtmlInputElement>(&event);
                        choose_file(input.files().and_then(|files| files.get(0)));
                    }/>
                {move || (!file_name.get().is_empty()).then(|| view! { <p>{format!("File: {}", file_name.get())}</p> })}
            </div>

            <Show when=move || phase.get() == Phase::Checking>
                <label for="check-progress">{move || format!("Checking… {} rows", checked_rows.get())}</label>
                <progress id="check-progress" max="1" value=move || { let (read, total) = checked_bytes.get(); read as f64 / total as f64 }></progress>
            </Show>

            {move || report.with(|report| report.as_ref().map(|report| view! {
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
            }))}

            <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| !r.findings.is_empty()))>
                <section aria-labelledby="findings-heading">
                    <h2 id="findings-heading">"Findings"</h2>
                    <div class="inline">
                        <label for="finding-filter">"Show"</label>
                        <select id="finding-filter" on:change=move |event| filter.set(event_target_value(&event))>
                            <option value="">"All kinds"</option>
                            {move || kinds.get().into_iter().map(|(code, count)| view! {
                                <option value=code.clone()>{format!("{code} ({count})")}</option>
                            }).collect_view()}
                        </select>
                        <button type="button" class="secondary" on:click=move |_| {
                            report.with_untracked(|r| if let Some(r) = r { save_file("findings.csv", &findings_csv(r)); });
                        }>"Download the findings (CSV)"</button>
                        <button type="button" class="secondary" on:click=move |_| check()>"Check again"</button>
                    </div>
                    <VirtualTable caption="Findings" headers=&["Row", "Column", "Finding", "Value"] rows=finding_rows/>
                </section>
            </Show>

            <Show when=move || matches!(phase.get(), Phase::Checked) && readiness_now.get().is_some()>
                <section aria-labelledby="upload-heading">
                    <h2 id="upload-heading">"Upload"</h2>
                    {move || match readiness_now.get() {
                        Some(Readiness::Blocked) => view! { <p>"The file itself must be corrected first (see the findings)."</p> }.into_any(),
                        Some(Readiness::Empty) => view! { <p>"The file has no rows to upload."</p> }.into_any(),
                        Some(Readiness::ValidRowsOnly { valid, with_findings }) => view! {
                            <p>{format!("{with_findings} rows have findings. Correct the file and check again, or send only the others.")}</p>
                            <label class="check"><input type="checkbox" bind:checked=send_valid_only/>{format!(" Send only the {valid} rows without findings")}</label>
                        }.into_any(),
                        _ => view! { <p>{format!("All {} rows are ready.", count_to_send.get())}</p> }.into_any(),
                    }}
                    <Show when=move || { operation.get() == Operation::Delete && count_to_send.get() > 0 }>
                        <label for="delete-count">{move || format!("To delete {} users for good, type {}", count_to_send.get(), count_to_send.get())}</label>
                        <input id="delete-count" inputmode="numeric" bind:value=typed_count/>
                    </Show>
                    <p>
                        <button type="button" disabled=move || !may_upload.get() on:click=start_upload>
                            {move || match operation.get() {
                                Operation::Create => format!("Create {} users", count_to_send.get()),
                                Operation::Edit => format!("Update {} users", count_to_send.get()),
                                Operation::Delete => format!("Delete {} users", count_to_send.get()),
                            }}
                        </button>
                    </p>
                </section>
            </Show>

            <Show when=move || matches!(phase.get(), Phase::Uploading | Phase::Paused | Phase::Done)>
                <section aria-labelledby="results-heading">
                    <h2 id="results-heading">"Results"</h2>
                    <label for="upload-progress">{move || { let (done, total) = progress.get(); format!("Uploaded {done} of {total} chunks") }}</label>
                    <progress id="upload-progress" max=move || progress.get().1.max(1) value=move || progress.get().0></progress>
                    <Show when=move || phase.get() == Phase::Paused>
                        <button type="button" on:click=move |_| run_upload()>"Resume the upload"</button>
                    </Show>
                    <p role="status">{move || (phase.get() == Phase::Done).then(|| format!(
                        "Done: {} created, {} updated, {} deleted, {} rejected.",
                        outcome_count(Outcome::Created), outcome_count(Outcome::Updated), outcome_count(Outcome::Deleted), outcome_count(Outcome::Rejected),
                    ))}</p>
                    <div class="actions">
                        <button type="button" class="secondary" on:click=move |_| outcomes.with_untracked(|o| save_file("results.csv", &results_csv(o)))>"Download the results (CSV)"</button>
                        <Show when=move || { phase.get() == Phase::Done && outcome_count(Outcome::Created) > 0 }>
                            <button type="button" on:click=send_created_to_activation>"Send all link-path users to activation"</button>
                        </Show>
                    </div>
                    <p role="status">{move || activation.get()}</p>
                    <VirtualTable caption="Result per row" headers=&["Row", "Result", "UUID", "Reason"] rows=outcome_rows/>
                </section>
            </Show>
        </main>
    }
}
