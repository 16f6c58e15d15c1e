//! The bulk check's Web Worker: checks the part of a file it is sent (see
//! `steward_domain::bulk::parts`) and sends back the part's report as bytes,
//! with progress on the way. The import page runs one per processor core,
//! so that its own thread stays free and the parts are checked at once.
//! Trunk builds it beside the app; `check-worker-loader.js` starts it.

use steward_domain::bulk::parts::check_part;
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Progress is said at most this often: each message wakes the page's
/// thread, which then takes a core from a worker still checking, and a
/// check shorter than this needs no progress bar.
const PROGRESS_EVERY_MS: f64 = 100.0;

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Err(problem) = check(&replies, &event.data()) {
            let _ = replies.post_message(&JsValue::from_str(&problem));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// A job is `[settings, buffer, length, part]`: the JSON `[operation,
/// language, today as Unix seconds]`, a buffer whose first `length` bytes
/// are the part, and the part's number. The buffer goes back with the
/// report in it, as `[buffer, length, part]` (a buffer used before is the
/// faster to fill); progress goes back as `[rows, bytes, part]` (at most
/// every `PROGRESS_EVERY_MS`), a malformed job as a string.
fn check(replies: &DedicatedWorkerGlobalScope, job: &JsValue) -> Result<(), String> {
    let job: js_sys::Array = job.clone().dyn_into().map_err(|_| "a check job is an array".to_owned())?;
    let settings = job.get(0).as_string().ok_or("a check job starts with its settings")?;
    let (operation, lang, today): (Operation, Lang, i64) = serde_json::from_str(&settings).map_err(|error| error.to_string())?;
    let buffer: js_sys::Uint8Array = job.get(1).dyn_into().map_err(|_| "a check job carries a buffer".to_owned())?;
    let length = job.get(2).as_f64().ok_or("a check job says the part's length")? as u32;
    let part = job.get(3);
    if part.as_f64().is_none() {
        return Err("a check job says which part it is".to_owned());
    }
    let mut last_said = js_sys::Date::now();
    let report = check_part(buffer.subarray(0, length).to_vec(), operation, lang, Date::from_unix_seconds(today), |progress| {
        let now = js_sys::Date::now();
        if now - last_said < PROGRESS_EVERY_MS {
            return;
        }
        last_said = now;
        let counts = js_sys::Array::of3(&(progress.rows as f64).into(), &(progress.bytes_read as f64).into(), &part);
        let _ = replies.post_message(&counts);
    })
    .into_bytes();
    let buffer = if report.len() <= buffer.length() as usize { buffer } else { js_sys::Uint8Array::new_with_length(report.len() as u32) };
    buffer.subarray(0, report.len() as u32).copy_from(&report);
    let answer = js_sys::Array::of3(&buffer, &(report.len() as f64).into(), &part);
    replies.post_message_with_transfer(&answer, &js_sys::Array::of1(&buffer.buffer())).map_err(|_| "the report could not be sent".to_owned())
}
