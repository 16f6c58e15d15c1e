//! The import page's file check, spread over the processor's cores: the
//! file is split into parts (`steward_domain::bulk::parts`), a Web Worker
//! per core checks them as they are handed out, and the parts' reports are
//! merged into the whole file's report; the page's own thread stays free. When the parts cannot
//! stand for the whole, one worker checks the whole file; when no worker
//! could start, the page checks it in slices that leave it responsive.

use std::cell::RefCell;
use std::collections::VecDeque;
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

use crate::import_machine::{CheckStop, Problem};

/// More workers than this gain little on a file of at most 200,000 rows.
const MAX_WORKERS: usize = 4;

/// Parts per worker: a worker that has sent back a part's report takes the
/// next part waiting, so that a core slowed by other work holds up the
/// check by a small part only. (On a shared machine, two workers given a
/// half each often finished 5 to 10 ms apart.)
const PARTS_PER_WORKER: usize = 4;

/// Parts a worker is sent at once: the one it checks and the next, so that
/// it does not wait for the page between parts.
const PARTS_IN_HAND: usize = 2;

/// Rows checked and bytes read so far, over all parts; and the bytes of all
/// parts.
pub type CheckProgress = (u64, u64, u64);

pub struct CheckWorkers {
    workers: Vec<Worker>,
    /// Buffers that went to a worker with a part and came back with the
    /// part's report: a buffer used before is filled several times faster
    /// than a new one.
    buffers: RefCell<Vec<Uint8Array>>,
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

impl<'a> Listening<'a> {
    /// Hands each worker's messages to `dispatch`.
    fn start(workers: &'a [Worker], dispatch: &Rc<RefCell<Dispatch>>) -> Listening<'a> {
        let mut listening = Listening { workers, on_message: Vec::new(), on_error: Vec::new() };
        for (index, worker) in workers.iter().enumerate() {
            let answers = dispatch.clone();
            let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| answers.borrow_mut().answer(index, event.data()));
            let failures = dispatch.clone();
            let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |event: ErrorEvent| {
                let _ = failures.borrow().reject.call1(&JsValue::NULL, &JsValue::from_str(&event.message()));
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            listening.on_message.push(on_message);
            listening.on_error.push(on_error);
        }
        listening
    }
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
        CheckWorkers { workers, buffers: RefCell::default(), latest: RefCell::new(Promise::resolve(&JsValue::UNDEFINED)) }
    }

    /// Checks `file` as `check_bytes` would, reporting progress on the way.
    pub async fn check(&self, file: &[u8], operation: Operation, lang: Lang, today: Date, on_progress: impl Fn(CheckProgress) + 'static) -> Result<Report, Problem> {
        let mut settle = None;
        let this_check = Promise::new(&mut |resolve, _| settle = Some(Settle(resolve)));
        let before = self.latest.replace(this_check);
        let _ = JsFuture::from(before).await;
        let _settle = settle;

        if self.workers.is_empty() {
            // No worker could start: the page checks the file itself.
            let mut checker = Checker::in_memory(file.to_vec(), operation, lang, today).map_err(stopped)?;
            let total = file.len() as u64;
            drive(&mut checker, |progress| on_progress((progress.rows, progress.bytes_read, total))).await?;
            return Ok(checker.finish());
        }
        let on_progress: Rc<dyn Fn(CheckProgress)> = Rc::new(on_progress);
        let settings = JsValue::from_str(&serde_json::to_string(&(operation, lang, today.unix_seconds())).expect("settings serialize"));
        let split = parts::split(file, self.workers.len() * PARTS_PER_WORKER);
        let reports = self.check_parts(&split, file, &settings, on_progress.clone()).await?;
        if let Some(report) = parts::merge(&split, reports, file, lang) {
            mark(&format!("steward-check-parts-{}", split.parts()));
            return Ok(report);
        }
        // A split fell inside a quoted cell (or the like): the whole file.
        let whole = Split::whole(file.len());
        let reports = self.check_parts(&whole, file, &settings, on_progress).await?;
        mark("steward-check-whole-again");
        parts::merge(&whole, reports, file, lang).ok_or(Problem::NotChecked)
    }

    /// Checks the parts of `split` in the workers, with the check's
    /// `settings` (the JSON `[operation, language, today]`): each worker
    /// holds `PARTS_IN_HAND` parts, and is sent the next part waiting each
    /// time it sends a report back. Reports are read as they come, while
    /// later parts are still being checked.
    async fn check_parts(&self, split: &Split, file: &[u8], settings: &JsValue, on_progress: Rc<dyn Fn(CheckProgress)>) -> Result<Vec<PartReport>, Problem> {
        let parts = split.parts();
        let total: u64 = (0..parts).map(|index| split.pieces(index).iter().map(|range| range.len() as u64).sum::<u64>()).sum();
        let mut counts = vec![(0u64, 0u64); parts];
        let report_progress = move |part: usize, rows: u64, bytes: u64| {
            if let Some(count) = counts.get_mut(part) {
                *count = (rows, bytes);
            }
            let (rows, bytes) = counts.iter().fold((0, 0), |(rows, bytes), (r, b)| (rows + r, bytes + b));
            on_progress((rows, bytes, total));
        };
        let mut settle = None;
        let all_back = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        let (resolve, reject) = settle.expect("a promise calls its executor at once");
        let dispatch = Rc::new(RefCell::new(Dispatch {
            workers: self.workers.clone(),
            waiting: VecDeque::new(),
            reports: (0..parts).map(|_| None).collect(),
            outstanding: parts,
            spare: Vec::new(),
            report_progress: Box::new(report_progress),
            failure: None,
            resolve,
            reject,
        }));
        let _listening = Listening::start(&self.workers, &dispatch);
        let mut pool = self.buffers.take();
        for part in 0..parts {
            let [header, own] = split.pieces(part);
            let length = (header.len() + own.len()) as u32;
            let buffer = match pool.iter().position(|buffer| buffer.length() >= length) {
                Some(at) => pool.swap_remove(at),
                None => Uint8Array::new_with_length(length + length / 8),
            };
            buffer.subarray(0, header.len() as u32).copy_from(&file[header.clone()]);
            buffer.subarray(header.len() as u32, length).copy_from(&file[own]);
            let job = Array::of4(settings, &buffer, &length.into(), &(part as u32).into());
            // The first parts go out as soon as they are copied; the others
            // wait for a worker's report.
            if part < self.workers.len() * PARTS_IN_HAND {
                post(&self.workers[part % self.workers.len()], &job)?;
            } else {
                dispatch.borrow_mut().waiting.push_back(job);
            }
        }
        let answered = JsFuture::from(all_back).await;
        let mut dispatch = dispatch.borrow_mut();
        pool.append(&mut dispatch.spare);
        *self.buffers.borrow_mut() = pool;
        answered.map_err(|problem| {
            dispatch.failure.take().unwrap_or_else(|| Problem::CheckStopped(CheckStop::Said(problem.as_string().unwrap_or_default())))
        })?;
        Ok(dispatch.reports.iter_mut().map(|report| report.take().expect("every part answered")).collect())
    }
}

/// One check's parts on their way: the jobs not yet sent, and the reports
/// come back.
struct Dispatch {
    workers: Vec<Worker>,
    waiting: VecDeque<Array>,
    reports: Vec<Option<PartReport>>,
    /// Parts not yet reported on.
    outstanding: usize,
    /// Buffers the reports came back in, for the next check.
    spare: Vec<Uint8Array>,
    report_progress: Box<dyn FnMut(usize, u64, u64)>,
    /// What stopped the check, when the page itself saw it.
    failure: Option<Problem>,
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

impl Dispatch {
    /// A worker's message: progress `[rows, bytes, part]`, a report
    /// `[buffer, length, part]`, or what went wrong as a string.
    fn answer(&mut self, worker: usize, data: JsValue) {
        if !Array::is_array(&data) {
            let _ = self.reject.call1(&JsValue::NULL, &data);
            return;
        }
        let data: Array = data.unchecked_into();
        let number = |at: u32| data.get(at).as_f64().unwrap_or(0.0) as usize;
        if !data.get(0).is_instance_of::<Uint8Array>() {
            (self.report_progress)(number(2), number(0) as u64, number(1) as u64);
            return;
        }
        let buffer: Uint8Array = data.get(0).unchecked_into();
        let (length, part) = (number(1) as u32, number(2));
        let report = PartReport::from_bytes(&buffer.subarray(0, length).to_vec());
        self.spare.push(buffer);
        match (report, self.reports.get_mut(part)) {
            (Some(report), Some(slot @ None)) => *slot = Some(report),
            _ => {
                self.failure = Some(Problem::CheckStopped(CheckStop::ReportUnreadable));
                let _ = self.reject.call1(&JsValue::NULL, &JsValue::NULL);
                return;
            }
        }
        if let Some(job) = self.waiting.pop_front() {
            if let Err(problem) = post(&self.workers[worker], &job) {
                self.failure = Some(problem);
                let _ = self.reject.call1(&JsValue::NULL, &JsValue::NULL);
                return;
            }
        }
        self.outstanding -= 1;
        if self.outstanding == 0 {
            let _ = self.resolve.call0(&JsValue::NULL);
        }
    }
}

/// Sends a job to a worker, handing over its buffer.
fn post(worker: &Worker, job: &Array) -> Result<(), Problem> {
    worker.post_message_with_transfer(job, &Array::of1(&job.get(1).unchecked_into::<Uint8Array>().buffer())).map_err(|_| Problem::NotHanded)
}

/// The checker could not go on: a failure to read, not a mistake in the file.
pub fn stopped(problem: impl std::fmt::Display) -> Problem {
    Problem::CheckStopped(CheckStop::Said(problem.to_string()))
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
pub async fn drive<R: Read>(checker: &mut Checker<R>, mut on_progress: impl FnMut(Progress)) -> Result<(), Problem> {
    loop {
        let started = js_sys::Date::now();
        loop {
            let progress = checker.step(250).map_err(stopped)?;
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
