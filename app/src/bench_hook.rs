//! The import page's check of a whole file, callable from JavaScript, so that
//! `bench/bulk-check-browser.mjs` can time it in the same page as other
//! parsers. Trunk exposes it as `window.wasmBindings.check_bulk_file`.

use steward_domain::bulk::check::Checker;
use steward_domain::bulk::template::Operation;
use steward_domain::lang::Lang;
use wasm_bindgen::prelude::wasm_bindgen;

use crate::pages::user_form::today;

/// Reads, decodes, parses and validates `bytes` as a create file, as the
/// page's check does; returns the number of findings.
#[wasm_bindgen]
pub fn check_bulk_file(bytes: Vec<u8>) -> u32 {
    let size = bytes.len() as u64;
    let Ok(checker) = Checker::in_memory(bytes, Operation::Create, Lang::En, today()) else {
        return u32::MAX;
    };
    let mut checker = checker.expecting_bytes(size);
    while checker.step(u64::MAX).map(|progress| !progress.finished).unwrap_or(false) {}
    checker.finish().findings.len() as u32
}
