//! The import page's check of a whole file, callable from JavaScript, so that
//! `bench/bulk-check-browser.mjs` can time it in the same page as other
//! parsers. Trunk exposes these as `window.wasmBindings.*`.

use std::rc::Rc;

use steward_domain::bulk::check::check_bytes;
use steward_domain::bulk::template::Operation;
use steward_domain::lang::Lang;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::check_workers::CheckWorkers;
use crate::pages::user_form::today;

thread_local! {
    /// Started on the first call, as the import page starts its own when
    /// it opens.
    static WORKERS: Rc<CheckWorkers> = Rc::new(CheckWorkers::start());
}

/// Reads, decodes, parses and validates `bytes` as a create file, as the
/// page's check does (in its Web Workers); resolves to the
/// number of findings.
#[wasm_bindgen]
pub async fn check_bulk_file(bytes: Vec<u8>) -> Result<u32, String> {
    let workers = WORKERS.with(Clone::clone);
    let report = workers.check(&bytes, Operation::Create, Lang::En, today(), |_| {}).await.map_err(|problem| problem.message(Lang::En))?;
    Ok(report.findings.len() as u32)
}

/// The same check on this thread alone, in one go: the figure the parts
/// are measured against.
#[wasm_bindgen]
pub fn check_bulk_file_on_one_thread(bytes: Vec<u8>) -> u32 {
    check_bytes(&bytes, Operation::Create, Lang::En, today()).findings.len() as u32
}
