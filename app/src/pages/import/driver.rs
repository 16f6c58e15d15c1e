//! Runs the import page's state machine in the browser: events go in, and
//! each effect it asks for (read and check the file, read its rows again,
//! send a chunk, wait before a retry, send users to activation) is carried
//! out here and answered with an event.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use steward_domain::bulk::check::{Checker, Report};
use steward_domain::bulk::correct::{corrected_file, Corrections};
use steward_domain::bulk::import::{BulkRow, ImportChunk};
use steward_domain::bulk::template::Operation;
use steward_domain::lang::Lang;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiFailure};
use crate::check_workers::{drive, mark, stopped, CheckProgress, CheckWorkers};
use crate::i18n::use_i18n;
use crate::import_machine::{CheckedFile, ChunkAnswer, Effect, Event, ImportMachine, Problem};
use crate::import_resume;
use crate::language;
use crate::pages::shell::on_failure;
use crate::pages::user_form::today;

/// The page's machine, with what the browser holds for it; copied into
/// every component and handler.
#[derive(Clone, Copy)]
pub struct Driver {
    machine: RwSignal<ImportMachine>,
    /// The file chosen last, read when a check starts.
    file: StoredValue<Option<web_sys::File>, LocalStorage>,
    workers: StoredValue<Rc<CheckWorkers>, LocalStorage>,
}

impl Driver {
    /// The page's machine, speaking the page's language: a change of
    /// language checks the file again in it.
    pub fn new() -> Driver {
        let i18n = use_i18n();
        let driver = Driver {
            machine: RwSignal::new(ImportMachine::speaking(language::lang(i18n.get_locale_untracked()))),
            file: StoredValue::new_local(None),
            workers: StoredValue::new_local(Rc::new(CheckWorkers::start())),
        };
        leptos::prelude::Effect::new(move |_| driver.send(Event::LanguageChosen(language::lang(i18n.get_locale()))));
        driver
    }

    /// A part of the machine's state, for a view that is redrawn only when
    /// that part changes.
    pub fn select<T: PartialEq + Send + Sync + 'static>(self, part: impl Fn(&ImportMachine) -> T + Send + Sync + 'static) -> Memo<T> {
        Memo::new(move |_| self.machine.with(|machine| part(machine)))
    }

    /// The checked file's report; a new one only when another check has
    /// finished (compared by identity: a report may hold 100,000 findings).
    pub fn report(self) -> Memo<Option<Arc<Report>>> {
        Memo::new_with_compare(
            move |_| self.machine.with(|machine| machine.report().cloned()),
            |old, new| match (old, new) {
                (Some(Some(old)), Some(Some(new))) => !Arc::ptr_eq(old, new),
                (Some(None), Some(None)) => false,
                _ => true,
            },
        )
    }

    /// Reads the machine without tracking it, for a handler.
    pub fn read<T>(self, part: impl FnOnce(&ImportMachine) -> T) -> T {
        self.machine.with_untracked(part)
    }

    pub fn choose_file(self, file: web_sys::File) {
        let name = file.name();
        self.file.set_value(Some(file.clone()));
        self.send(Event::FileChosen { name });
        spawn_local(self.fingerprint_file(file));
    }

    pub fn send(self, event: Event) {
        let Some((effect, notes)) = self.machine.try_update(|machine| (machine.handle(event), machine.take_notes())) else { return };
        if notes.is_empty() {
            if let Some(effect) = effect {
                self.run(effect);
            }
            return;
        }
        // The upload's record is written before its next chunk goes.
        spawn_local(async move {
            for note in notes {
                import_resume::keep(note).await;
            }
            if let Some(effect) = effect {
                self.run(effect);
            }
        });
    }

    fn run(self, effect: Effect) {
        match effect {
            Effect::Check { check, operation, lang } => spawn_local(self.check(check, operation, lang)),
            Effect::ReadRows { bytes, operation, lang } => spawn_local(async move {
                let fingerprint = import_resume::fingerprint(&bytes).await;
                let result = read_rows(&bytes, operation, lang).await;
                self.send(Event::BytesFingerprinted { fingerprint, at: (js_sys::Date::now() / 1000.0) as i64 });
                self.send(Event::RowsRead { import_id: new_import_id(), result });
            }),
            Effect::SendChunk { import_id, seq, chunk } => spawn_local(async move {
                let answer = send_chunk(&import_id, seq, &chunk).await;
                self.send(Event::ChunkAnswered { import_id, seq, answer });
            }),
            Effect::WaitToRetry { import_id, ms } => spawn_local(async move {
                sleep_ms(ms).await;
                self.send(Event::RetryTimerFired { import_id });
            }),
            Effect::SendToActivation(user_ids) => spawn_local(async move {
                let answer = match api::send_many_to_activation(user_ids).await {
                    Ok(result) => Ok((result.sent.len(), result.skipped.len())),
                    Err(failure) => Err(on_failure(failure)),
                };
                self.send(Event::ActivationAnswered(answer));
            }),
        }
    }

    async fn check(self, check: u64, operation: Operation, lang: Lang) {
        let Some(file) = self.file.get_value() else { return };
        let corrections = self.read(|machine| machine.corrections().clone());
        let result = match read_file(&file).await.and_then(|bytes| apply_corrections(bytes, &corrections)) {
            Ok(bytes) => {
                let bytes: Arc<[u8]> = bytes.into();
                mark("steward-check-start");
                let on_progress = move |(rows, read, total): CheckProgress| self.send(Event::CheckProgressed { check, rows, read, total });
                let checked = self.workers.get_value().check(&bytes, operation, lang, today(), on_progress).await;
                checked.map(|report| CheckedFile { report: Arc::new(report), bytes })
            }
            Err(problem) => Err(problem),
        };
        let checked = result.is_ok();
        self.send(Event::CheckFinished { check, result });
        if checked {
            mark("steward-check-end");
        }
    }
}

/// Continuing an upload left unfinished (`import_resume`).
impl Driver {
    /// Tells the machine the fingerprint of the file chosen, unless another
    /// has been chosen since.
    async fn fingerprint_file(self, file: web_sys::File) {
        let Some(fingerprint) = import_resume::fingerprint_of_file(&file).await else { return };
        if self.file.with_value(|current| current.as_ref() == Some(&file)) {
            self.send(Event::FileFingerprinted(fingerprint));
        }
    }
}

/// The rows of the checked file, read again only for the upload, so that
/// the check itself keeps no copy of every cell.
async fn read_rows(bytes: &[u8], operation: Operation, lang: Lang) -> Result<(Report, Vec<BulkRow>), Problem> {
    let checker = Checker::in_memory(bytes.to_vec(), operation, lang, today()).map_err(stopped)?;
    let mut checker = checker.collecting_rows();
    drive(&mut checker, |_| {}).await?;
    Ok(checker.finish_with_rows())
}

/// The file with the cells corrected in the page, or as it was when none is.
fn apply_corrections(bytes: Vec<u8>, corrections: &Corrections) -> Result<Vec<u8>, Problem> {
    if corrections.is_empty() {
        return Ok(bytes);
    }
    corrected_file(&bytes, corrections).map(String::into_bytes).map_err(|_| Problem::FileUnreadable)
}

async fn send_chunk(import_id: &str, seq: u32, chunk: &ImportChunk) -> ChunkAnswer {
    match api::send_import_chunk(import_id, seq, chunk).await {
        Ok(result) => ChunkAnswer::Applied(result),
        Err(failure) => match api::rejected_rows(&failure) {
            Some(findings) => ChunkAnswer::RowsRefused(findings),
            None if matches!(failure, ApiFailure::Network(_)) => ChunkAnswer::Unreached(failure.message()),
            None => ChunkAnswer::Failed(on_failure(failure)),
        },
    }
}

async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, i32::try_from(ms).unwrap_or(i32::MAX));
    });
    let _ = JsFuture::from(promise).await;
}

async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, Problem> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| Problem::FileUnreadable)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
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
