//! The import page's file check, spread over the processor's cores: the
//! file is split into parts (`steward_domain::bulk::parts`), a Web Worker
//! checks each part, and the parts' reports are merged into the whole
//! file's report; the page's own thread stays free. When the parts cannot
//! stand for the whole, one worker checks the whole file; when no worker
//! could start, the page checks it in slices that leave it responsive.

use std::cell::RefCell;
use std::io::Read;
use std::rc::Rc;

use js_sys::{Array, Promise, Uint8Array};
use steward_domain::bulk::check::{Checker, PartReport, Progress, Report};
use steward_domain::bulk::parts::{self, Split};
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// More workers than this gain little on a file of at most 200,000 rows.
const MAX_WORKERS: usize = 4;

/// Rows checked and bytes read so far, over all parts; and the bytes of all
/// parts.
pub type CheckProgress = (u64, u64, u64);

pub struct CheckWorkers {
    workers: Vec<Worker>,
    /// Each worker's buffer, going to it with a part and coming back with
    /// the part's report: a buffer used before is filled several times
    /// faster than a new one.
    buffers: RefCell<Vec<Option<Uint8Array>>>,
    /// Settles when the latest check is over: a check waits for the one
    /// before it, as both would talk to the same workers.
    latest: RefCell<Promise>,
}

/// The workers' message and error handlers for one check. They must live
/// until the workers answer; dropped, however the check ends, they are
/// taken off the workers first.
struct Listening<'a> {
    workers: &'a [Worker],
    on_message: Vec<Closure<dyn Fn(MessageEvent)>>,
    on_error: Vec<Closure<dyn Fn(ErrorEvent)>>,
}

impl Drop for Listening<'_> {
    fn drop(&mut self) {
        for worker in self.workers {
            worker.set_onmessage(None);
            worker.set_onerror(None);
        }
    }
}

/// Settles a check's promise when the check is over, however it ends.
struct Settle(js_sys::Function);

impl Drop for Settle {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

impl CheckWorkers {
    /// Starts a worker for each core (up to `MAX_WORKERS`); they load while
    /// the administrator picks a file.
    pub fn start() -> CheckWorkers {
        let cores = web_sys::window().map_or(1.0, |window| window.navigator().hardware_concurrency()) as usize;
        let workers: Vec<Worker> = (0..cores.clamp(1, MAX_WORKERS)).filter_map(|_| Worker::new("/check-worker-loader.js").ok()).collect();
        let buffers = RefCell::new(vec![None; workers.len()]);
        CheckWorkers { workers, buffers, latest: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)) }
    }

    /// Checks `file` as `check_bytes` would, reporting progress on the way.
    pub async fn check(&self, file: &[u8], operation: Operation, lang: Lang, today: Date, on_progress: impl Fn(CheckProgress) + 'static) -> Result<Report, String> {
        let mut settle = None;
        let this_check = Promise::new(&mut |resolve, _| settle = Some(Settle(resolve)));
        let before = self.latest.replace(this_check);
        let _ = JsFuture::from(before).await;
        let _settle = settle;

        if self.workers.is_empty() {
            // No worker could start: the page checks the file itself.
            let mut checker = Checker::in_memory(file.to_vec(), operation, lang, today).map_err(|problem| problem.to_string())?;
            let total = file.len() as u64;
            drive(&mut checker, |progress| on_progress((progress.rows, progress.bytes_read, total))).await?;
            return Ok(checker.finish());
        }
        let on_progress: Rc<dyn Fn(CheckProgress)> = Rc::new(on_progress);
        let settings = JsValue::from_str(&serde_json::to_string(&(operation, lang, today.unix_seconds())).expect("settings serialize"));
        let split = parts::split(file, self.workers.len());
        let reports = self.check_parts(&split, file, &settings, on_progress.clone()).await?;
        if let Some(report) = parts::merge(&split, reports, file, lang) {
            mark(&format!("steward-check-parts-{}", split.parts()));
            return Ok(report);
        }
        // A split fell inside a quoted cell (or the like): the whole file.
        let whole = Split::whole(file.len());
        let reports = self.check_parts(&whole, file, &settings, on_progress).await?;
        mark("steward-check-whole-again");
        parts::merge(&whole, reports, file, lang).ok_or_else(|| "The file could not be checked. Choose it again.".to_owned())
    }

    /// Checks each part of `split` in its own worker, with the check's
    /// `settings` (the JSON `[operation, language, today]`).
    async fn check_parts(&self, split: &Split, file: &[u8], settings: &JsValue, on_progress: Rc<dyn Fn(CheckProgress)>) -> Result<Vec<PartReport>, String> {
        let counts = Rc::new(RefCell::new(vec![(0u64, 0u64); split.parts()]));
        let total: u64 = (0..split.parts()).map(|index| split.pieces(index).iter().map(|range| range.len() as u64).sum::<u64>()).sum();
        let report_progress = Rc::new(move |index: usize, rows: u64, bytes: u64| {
            counts.borrow_mut()[index] = (rows, bytes);
            let (rows, bytes) = counts.borrow().iter().fold((0, 0), |(rows, bytes), (r, b)| (rows + r, bytes + b));
            on_progress((rows, bytes, total));
        });
        let mut listening = Listening { workers: &self.workers, on_message: Vec::new(), on_error: Vec::new() };
        let answers = self.send_parts(split, file, settings, report_progress, &mut listening)?;
        self.receive_parts(answers, listening).await
    }

    /// Sends each part of `split` to its own worker; returns the promises of
    /// their answers.
    fn send_parts(&self, split: &Split, file: &[u8], settings: &JsValue, report_progress: Rc<dyn Fn(usize, u64, u64)>, listening: &mut Listening) -> Result<Vec<Promise>, String> {
        let mut answers = Vec::with_capacity(split.parts());
        for (index, worker) in self.workers.iter().enumerate().take(split.parts()) {
            let [header, own] = split.pieces(index);
            let length = (header.len() + own.len()) as u32;
            let buffer = match self.buffers.borrow_mut()[index].take() {
                Some(buffer) if buffer.length() >= length => buffer,
                _ => Uint8Array::new_with_length(length + length / 8),
            };
            buffer.subarray(0, header.len() as u32).copy_from(&file[header.clone()]);
            buffer.subarray(header.len() as u32, length).copy_from(&file[own]);
            let answer = Promise::new(&mut |resolve, reject| {
                let (report_progress, failed) = (report_progress.clone(), reject.clone());
                let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                    let data = event.data();
                    if !Array::is_array(&data) {
                        let _ = reject.call1(&JsValue::NULL, &data);
                        return;
                    }
                    let data: Array = data.unchecked_into();
                    if data.get(0).is_instance_of::<Uint8Array>() {
                        let _ = resolve.call1(&JsValue::NULL, &data);
                    } else {
                        let number = |at: u32| data.get(at).as_f64().unwrap_or(0.0) as u64;
                        report_progress(index, number(0), number(1));
                    }
                });
                let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
                    let _ = failed.call1(&JsValue::NULL, &JsValue::from_str(&event.message()));
                });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                listening.on_message.push(on_message);
                listening.on_error.push(on_error);
            });
            let job = Array::of3(settings, &buffer, &length.into());
            worker
                .post_message_with_transfer(&job, &Array::of1(&buffer.buffer()))
                .map_err(|_| "The file could not be handed to the check. Choose it again.".to_owned())?;
            answers.push(answer);
        }
        Ok(answers)
    }

    /// The workers' reports, in the order of their parts, each read as soon
    /// as it comes while later parts are still being checked; each worker's
    /// buffer is kept for the next check.
    async fn receive_parts(&self, answers: Vec<Promise>, listening: Listening<'_>) -> Result<Vec<PartReport>, String> {
        let mut reports = Vec::with_capacity(answers.len());
        for (index, answer) in answers.into_iter().enumerate() {
            let answer: Array = JsFuture::from(answer)
                .await
                .map_err(|problem| format!("The check stopped: {}. Reload the page and choose the file again.", problem.as_string().unwrap_or_default()))?
                .unchecked_into();
            let buffer: Uint8Array = answer.get(0).unchecked_into();
            let length = answer.get(1).as_f64().unwrap_or(0.0) as u32;
            let report = PartReport::from_bytes(&buffer.subarray(0, length).to_vec());
            self.buffers.borrow_mut()[index] = Some(buffer);
            reports.push(report.ok_or("The check sent back a report that could not be read. Reload the page.")?);
        }
        drop(listening);
        Ok(reports)
    }
}

impl Drop for CheckWorkers {
    fn drop(&mut self) {
        for worker in &self.workers {
            worker.terminate();
        }
    }
}

/// Runs the checker to the end in slices of about 12 ms, letting the browser
/// draw and handle input between them, so that no task blocks the page.
pub async fn drive<R: Read>(checker: &mut Checker<R>, mut on_progress: impl FnMut(Progress)) -> Result<(), String> {
    loop {
        let started = js_sys::Date::now();
        loop {
            let progress = checker.step(250).map_err(|problem| problem.to_string())?;
            if progress.finished {
                on_progress(progress);
                return Ok(());
            }
            if js_sys::Date::now() - started >= 12.0 {
                on_progress(progress);
                break;
            }
        }
        yield_to_browser().await;
    }
}

/// A User Timing mark, so that measurements and tests can follow the check.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

/// Lets the browser draw and handle input between slices of work.
async fn yield_to_browser() {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = JsFuture::from(promise).await;
}
