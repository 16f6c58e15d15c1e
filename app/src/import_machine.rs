//! The import page as a state machine, apart from the browser: where the
//! page is (choosing a file, checking it, offering the upload, sending chunk
//! k of n, waiting to retry, offering Resume, done), the events that move it,
//! and the work each step asks of the page (`Effect`). The page draws the
//! machine, does what an effect says and reports how it went as an event.

use std::sync::Arc;

use steward_domain::api::MAX_BULK_ACTIVATION;
use steward_domain::bulk::check::{Finding, Report};
use steward_domain::bulk::correct::Corrections;
use steward_domain::bulk::import::{BulkRow, ChunkResult, ImportChunk};
use steward_domain::bulk::template::Operation;
use steward_domain::lang::Lang;

use crate::i18n::td_string;
use crate::import_flow::{counted, delete_confirmed, readiness, valid_rows, Readiness, Upload};
use crate::import_resume::{Note, Offer, Resume, Unfinished};
use crate::language::locale;

/// Network failures of one chunk sent again before the page offers Resume;
/// the n-th waits n × `RETRY_STEP_MS` first (0.5, 1, 1.5 s).
pub const RETRIES: u32 = 3;
pub const RETRY_STEP_MS: u32 = 500;

/// A checked file: what the check found, and the bytes, read again for the
/// upload (the check keeps no copy of every cell); with cells corrected in
/// the page, the corrected file's.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFile {
    pub report: Arc<Report>,
    pub bytes: Arc<[u8]>,
}

/// What went wrong, told in the page's language by `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A text made elsewhere (the Worker's answer, the network), shown as
    /// it came.
    Said(String),
    /// The chosen file could not be read.
    FileUnreadable,
    /// The workers' reports could not be merged into the file's.
    NotChecked,
    /// A part of the file could not be sent to a worker.
    NotHanded,
    /// A worker or the checker stopped, for a reason in `CheckStop`.
    CheckStopped(CheckStop),
    /// The upload stopped after `done` of `total` chunks.
    UploadStopped { done: usize, total: usize, reason: StopReason },
    /// The rows read again are not those of the unfinished upload.
    NotContinued,
}

/// Why a check stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckStop {
    /// As the browser or the checker said it.
    Said(String),
    /// A worker's report could not be read.
    ReportUnreadable,
}

/// Why an upload stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// As the Worker or the network said it.
    Said(String),
    /// The server refused rows that the chunk does not hold.
    RowsNotInChunk,
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Problem::Said(message) => message.clone(),
            Problem::FileUnreadable => td_string!(locale, import.problem.file_unreadable).to_string(),
            Problem::NotChecked => td_string!(locale, import.problem.not_checked).to_string(),
            Problem::NotHanded => td_string!(locale, import.problem.not_handed).to_string(),
            Problem::CheckStopped(stop) => {
                let detail = match stop {
                    CheckStop::Said(detail) => detail.clone(),
                    CheckStop::ReportUnreadable => td_string!(locale, import.problem.report_unreadable).to_string(),
                };
                td_string!(locale, import.problem.check_stopped, detail = detail).to_string()
            }
            Problem::UploadStopped { done, total, reason } => {
                let reason = match reason {
                    StopReason::Said(message) => message.clone(),
                    StopReason::RowsNotInChunk => td_string!(locale, import.problem.rows_not_in_chunk).to_string(),
                };
                let (done, total) = (crate::import_flow::count(lang, *done), crate::import_flow::count(lang, *total));
                td_string!(locale, import.problem.upload_stopped, done = done, total = total, reason = reason).to_string()
            }
            Problem::NotContinued => td_string!(locale, import.resume.not_continued).to_string(),
        }
    }
}

/// Where sending the created users to activation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivationStatus {
    Sending,
    /// `sent` were sent a link; `skipped` activate by code.
    Finished { sent: usize, skipped: usize },
}

impl ActivationStatus {
    pub fn message(self, lang: Lang) -> String {
        match self {
            ActivationStatus::Sending => td_string!(locale(lang), import.activation.sending).to_string(),
            ActivationStatus::Finished { sent, skipped } => {
                let sent = counted!(lang, sent, import.activation.sent);
                let by_code = counted!(lang, skipped, import.activation.by_code);
                td_string!(locale(lang), import.activation.finished, sent = sent, by_code = by_code).to_string()
            }
        }
    }
}

/// What the administrator chose to upload of a checked file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadChoice {
    /// Only the rows without findings.
    pub valid_only: bool,
    /// The count typed to confirm a delete.
    pub typed_count: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// No file yet, or the last one could not be read.
    Choosing,
    /// Check number `check` has read `read` of `total` bytes, `rows` rows.
    Checking { check: u64, rows: u64, read: u64, total: u64 },
    /// The findings are shown and the upload offered.
    Checked(UploadChoice),
    /// The upload was asked for; the rows are read again from the file.
    ReadingRows(UploadChoice),
    /// The upload's next chunk is on its way; `failures` network failures
    /// of it so far.
    Sending { upload: Upload, failures: u32 },
    /// The next chunk is sent again when the timer fires.
    WaitingToRetry { upload: Upload, failures: u32 },
    /// Stopped after a failure; Resume sends the same chunk again.
    Paused(Upload),
    /// Every chunk answered; the upload holds each row's outcome.
    Done(Upload),
}

/// How sending a chunk went.
#[derive(Debug, Clone, PartialEq)]
pub enum ChunkAnswer {
    /// Applied now, or before (`replayed`).
    Applied(ChunkResult),
    /// Nothing applied: these rows are refused.
    RowsRefused(Vec<Finding>),
    /// The server was not reached, or its answer was lost; the message says so.
    Unreached(String),
    /// Any other failure, with its message; none when the page has already
    /// acted on it (sent the visitor to sign in).
    Failed(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    OperationChosen(Operation),
    /// The page's language changed: findings are checked again in it.
    LanguageChosen(Lang),
    FileChosen { name: String },
    CheckAgain,
    CheckProgressed { check: u64, rows: u64, read: u64, total: u64 },
    CheckFinished { check: u64, result: Result<CheckedFile, Problem> },
    ValidOnlyChosen(bool),
    CountTyped(String),
    UploadClicked,
    /// The rows read again for the upload, under a new import id.
    RowsRead { import_id: String, result: Result<(Report, Vec<BulkRow>), Problem> },
    ChunkAnswered { import_id: String, seq: u32, answer: ChunkAnswer },
    RetryTimerFired { import_id: String },
    ResumeClicked,
    SendToActivationClicked,
    /// Users sent and skipped of a batch, or the failure's message.
    ActivationAnswered(Result<(usize, usize), Option<String>>),
    /// A cell (spreadsheet row, template column number) given a new value
    /// in the page: the file is checked again with it.
    CellCorrected { row: u64, column: usize, value: String },
    /// The suggestions of the findings of one kind (code), or of every kind,
    /// taken as the cells' new values.
    SuggestionsAccepted { kind: Option<String> },
    /// The signed-in person's unfinished upload kept in this browser, looked
    /// up when the page opened.
    Recalled { user_id: String, unfinished: Option<Unfinished> },
    /// The fingerprint of the file chosen last.
    FileFingerprinted(String),
    /// The fingerprint of the bytes the upload's rows are read from, and
    /// when (Unix seconds); ahead of `RowsRead`.
    BytesFingerprinted { fingerprint: Option<String>, at: i64 },
    ContinueClicked,
    DiscardClicked,
}

/// What the page must do for the machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the chosen file and check it as `operation`, with findings in
    /// `lang`, reporting as check number `check`.
    Check { check: u64, operation: Operation, lang: Lang },
    /// Read the rows of the checked file again, for the upload.
    ReadRows { bytes: Arc<[u8]>, operation: Operation, lang: Lang },
    SendChunk { import_id: String, seq: u32, chunk: ImportChunk },
    WaitToRetry { import_id: String, ms: u32 },
    /// Send one batch of users to activation.
    SendToActivation(Vec<String>),
}

/// The suggested values of the findings of `kind` (every kind: `None`), by
/// the cell they are for.
pub fn suggestions(report: &Report, kind: Option<&str>) -> Corrections {
    report
        .findings
        .iter()
        .filter(|finding| kind.is_none_or(|kind| finding.code == kind))
        .filter_map(|finding| Some(((finding.row, finding.column?), finding.suggestion.clone()?)))
        .collect()
}

/// Sending the users an import created to activation, a batch at a time.
#[derive(Debug, Clone, PartialEq)]
struct ActivationRun {
    waiting: Vec<String>,
    sent: usize,
    skipped: usize,
    finished: bool,
}

impl ActivationRun {
    fn next_batch(&mut self) -> Option<Effect> {
        if self.waiting.is_empty() {
            self.finished = true;
            return None;
        }
        let rest = self.waiting.split_off(self.waiting.len().min(MAX_BULK_ACTIVATION));
        Some(Effect::SendToActivation(std::mem::replace(&mut self.waiting, rest)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportMachine {
    operation: Operation,
    /// The language the findings are checked in.
    lang: Lang,
    file_name: Option<String>,
    /// Checks started: each is numbered, so that the answer of one that a
    /// later file or operation replaced is dropped.
    checks: u64,
    checked: Option<CheckedFile>,
    /// What may go up of the checked file, worked out once per check.
    readiness: Option<Readiness>,
    stage: Stage,
    error: Option<Problem>,
    activation: Option<ActivationRun>,
    /// Cells corrected in the page, applied to the chosen file at each
    /// check of it, until another file is chosen.
    corrections: Corrections,
    /// The record that lets an upload outlive the tab.
    resume: Resume,
}

impl Default for ImportMachine {
    fn default() -> Self {
        ImportMachine {
            operation: Operation::Create,
            lang: Lang::En,
            file_name: None,
            checks: 0,
            checked: None,
            readiness: None,
            stage: Stage::Choosing,
            error: None,
            activation: None,
            corrections: Corrections::new(),
            resume: Resume::default(),
        }
    }
}

impl ImportMachine {
    /// A machine that checks files in `lang`.
    pub fn speaking(lang: Lang) -> ImportMachine {
        ImportMachine { lang, ..ImportMachine::default() }
    }

    pub fn operation(&self) -> Operation {
        self.operation
    }

    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    pub fn report(&self) -> Option<&Arc<Report>> {
        self.checked.as_ref().map(|checked| &checked.report)
    }

    /// The last failure, until the next step starts.
    pub fn error(&self) -> Option<&Problem> {
        self.error.as_ref()
    }

    pub fn readiness(&self) -> Option<Readiness> {
        self.readiness.clone()
    }

    fn choice(&self) -> Option<&UploadChoice> {
        match &self.stage {
            Stage::Checked(choice) | Stage::ReadingRows(choice) => Some(choice),
            _ => None,
        }
    }

    /// Whether only the rows without findings are to go up.
    pub fn valid_only(&self) -> bool {
        self.choice().is_some_and(|choice| choice.valid_only)
    }

    pub fn typed_count(&self) -> &str {
        self.choice().map_or("", |choice| &choice.typed_count)
    }

    /// The rows the upload would send, as chosen.
    pub fn rows_to_send(&self) -> usize {
        match self.readiness() {
            Some(Readiness::AllRows(rows)) => rows,
            Some(Readiness::ValidRowsOnly { valid, .. }) if self.valid_only() => valid,
            _ => 0,
        }
    }

    /// Whether the upload may start: rows to send, and a delete confirmed by
    /// their count.
    pub fn may_upload(&self) -> bool {
        let rows = self.rows_to_send();
        matches!(self.stage, Stage::Checked(_))
            && rows > 0
            && (self.operation != Operation::Delete || delete_confirmed(self.typed_count(), rows))
    }

    /// The checked file's bytes: with cells corrected in the page, the corrected file.
    pub fn checked_bytes(&self) -> Option<&Arc<[u8]>> {
        self.checked.as_ref().map(|checked| &checked.bytes)
    }

    /// The cells corrected in the page so far.
    pub fn corrections(&self) -> &Corrections {
        &self.corrections
    }

    /// Whether the upload was asked for (its results are shown).
    pub fn upload_started(&self) -> bool {
        matches!(self.stage, Stage::ReadingRows(_) | Stage::Sending { .. } | Stage::WaitingToRetry { .. } | Stage::Paused(_) | Stage::Done(_))
    }

    /// The upload under way or done.
    pub fn upload(&self) -> Option<&Upload> {
        match &self.stage {
            Stage::Sending { upload, .. } | Stage::WaitingToRetry { upload, .. } | Stage::Paused(upload) | Stage::Done(upload) => Some(upload),
            _ => None,
        }
    }

    /// What became of sending the created users to activation.
    pub fn activation_status(&self) -> Option<ActivationStatus> {
        self.activation.as_ref().map(|run| {
            if run.finished {
                ActivationStatus::Finished { sent: run.sent, skipped: run.skipped }
            } else {
                ActivationStatus::Sending
            }
        })
    }

    pub fn handle(&mut self, event: Event) -> Option<Effect> {
        match event {
            Event::OperationChosen(operation) => {
                self.operation = operation;
                self.file_name.is_some().then(|| self.start_check())
            }
            Event::LanguageChosen(lang) => {
                if lang == self.lang {
                    return None;
                }
                self.lang = lang;
                // Findings shown, or on their way, are in the language before:
                // the file is checked again, unless its upload has started.
                let findings_shown = matches!(self.stage, Stage::Checking { .. } | Stage::Checked(_));
                (self.file_name.is_some() && findings_shown).then(|| self.start_check())
            }
            Event::FileChosen { name } => {
                self.file_name = Some(name);
                self.corrections.clear();
                self.resume.file_chosen();
                Some(self.start_check())
            }
            Event::CheckAgain => self.file_name.is_some().then(|| self.start_check()),
            Event::CheckProgressed { check, rows, read, total } => {
                if matches!(self.stage, Stage::Checking { check: current, .. } if current == check) {
                    self.stage = Stage::Checking { check, rows, read, total };
                }
                None
            }
            Event::CheckFinished { check, result } => {
                if matches!(self.stage, Stage::Checking { check: current, .. } if current == check) {
                    match result {
                        Ok(checked) => {
                            self.readiness = Some(readiness(&checked.report));
                            self.checked = Some(checked);
                            self.stage = Stage::Checked(UploadChoice::default());
                        }
                        Err(message) => {
                            self.error = Some(message);
                            self.stage = Stage::Choosing;
                        }
                    }
                }
                None
            }
            Event::ValidOnlyChosen(valid_only) => {
                if let Stage::Checked(choice) = &mut self.stage {
                    choice.valid_only = valid_only;
                }
                None
            }
            Event::CountTyped(typed) => {
                if let Stage::Checked(choice) = &mut self.stage {
                    choice.typed_count = typed;
                }
                None
            }
            Event::UploadClicked => {
                if !self.may_upload() {
                    return None;
                }
                let (Stage::Checked(choice), Some(checked)) = (&self.stage, &self.checked) else { return None };
                let bytes = checked.bytes.clone();
                self.stage = Stage::ReadingRows(choice.clone());
                Some(Effect::ReadRows { bytes, operation: self.operation, lang: self.lang })
            }
            Event::RowsRead { import_id, result } => {
                let Stage::ReadingRows(choice) = &self.stage else { return None };
                let continuing = self.resume.take_continuing();
                match result {
                    Ok((found, rows)) => {
                        let to_send = if choice.valid_only { valid_rows(&found, &rows) } else { rows };
                        self.error = None;
                        self.start_upload(import_id, &to_send, continuing)
                    }
                    Err(message) => {
                        self.error = Some(message);
                        self.stage = Stage::Checked(choice.clone());
                        None
                    }
                }
            }
            Event::ChunkAnswered { import_id, seq, answer } => {
                let (mut upload, failures) = match self.take_stage() {
                    Stage::Sending { upload, failures } if upload.import_id == import_id && upload.next_seq() == Some(seq) => (upload, failures),
                    // An answer to a chunk already answered, or of an upload left for another file.
                    other => {
                        self.stage = other;
                        return None;
                    }
                };
                match answer {
                    ChunkAnswer::Applied(result) => {
                        upload.accept(result);
                        self.send_next(upload, 0)
                    }
                    ChunkAnswer::RowsRefused(findings) => {
                        if upload.reject(&findings) {
                            self.send_next(upload, 0)
                        } else {
                            self.pause(upload, Some(StopReason::RowsNotInChunk))
                        }
                    }
                    ChunkAnswer::Unreached(message) if failures >= RETRIES => self.pause(upload, Some(StopReason::Said(message))),
                    // The server applies a chunk once, so sending it again is safe.
                    ChunkAnswer::Unreached(_) => {
                        let failures = failures + 1;
                        let import_id = upload.import_id.clone();
                        self.stage = Stage::WaitingToRetry { upload, failures };
                        Some(Effect::WaitToRetry { import_id, ms: RETRY_STEP_MS * failures })
                    }
                    ChunkAnswer::Failed(message) => self.pause(upload, message.map(StopReason::Said)),
                }
            }
            Event::RetryTimerFired { import_id } => match self.take_stage() {
                Stage::WaitingToRetry { upload, failures } if upload.import_id == import_id => self.send_next(upload, failures),
                other => {
                    self.stage = other;
                    None
                }
            },
            Event::ResumeClicked => match self.take_stage() {
                Stage::Paused(upload) => {
                    self.error = None;
                    self.send_next(upload, 0)
                }
                other => {
                    self.stage = other;
                    None
                }
            },
            Event::SendToActivationClicked => {
                let Stage::Done(upload) = &self.stage else { return None };
                let mut run = ActivationRun { waiting: upload.created_ids(), sent: 0, skipped: 0, finished: false };
                let effect = run.next_batch();
                self.activation = Some(run);
                effect
            }
            Event::ActivationAnswered(answer) => {
                let run = self.activation.as_mut().filter(|run| !run.finished)?;
                match answer {
                    Ok((sent, skipped)) => {
                        run.sent += sent;
                        run.skipped += skipped;
                        run.next_batch()
                    }
                    Err(message) => {
                        run.finished = true;
                        self.error = message.map(Problem::Said);
                        None
                    }
                }
            }
            Event::CellCorrected { row, column, value } => {
                if !matches!(self.stage, Stage::Checked(_)) {
                    return None;
                }
                self.corrections.insert((row, column), value);
                Some(self.start_check())
            }
            Event::SuggestionsAccepted { kind } => {
                let (Stage::Checked(_), Some(checked)) = (&self.stage, &self.checked) else { return None };
                let suggested = suggestions(&checked.report, kind.as_deref());
                if suggested.is_empty() {
                    return None;
                }
                self.corrections.extend(suggested);
                Some(self.start_check())
            }
            Event::Recalled { .. } | Event::FileFingerprinted(_) | Event::BytesFingerprinted { .. } | Event::ContinueClicked | Event::DiscardClicked => {
                self.handle_resume(event)
            }
        }
    }

    /// Forgets the last check, its upload and any failure, and checks the
    /// chosen file again.
    fn start_check(&mut self) -> Effect {
        self.checks += 1;
        self.checked = None;
        self.readiness = None;
        self.error = None;
        self.activation = None;
        self.stage = Stage::Checking { check: self.checks, rows: 0, read: 0, total: 1 };
        Effect::Check { check: self.checks, operation: self.operation, lang: self.lang }
    }

    /// The stage, leaving `Choosing` in its place until the caller puts one
    /// back: an upload moves from stage to stage without being copied.
    fn take_stage(&mut self) -> Stage {
        std::mem::replace(&mut self.stage, Stage::Choosing)
    }

    /// Sends the upload's next chunk, or finishes when none is left.
    fn send_next(&mut self, upload: Upload, failures: u32) -> Option<Effect> {
        let Some((seq, rows)) = upload.next_chunk() else {
            self.stage = Stage::Done(upload);
            return None;
        };
        let effect = Effect::SendChunk { import_id: upload.import_id.clone(), seq, chunk: ImportChunk { operation: self.operation, rows } };
        self.stage = Stage::Sending { upload, failures };
        Some(effect)
    }

    fn pause(&mut self, upload: Upload, reason: Option<StopReason>) -> Option<Effect> {
        let (done, total) = upload.progress();
        self.error = reason.map(|reason| Problem::UploadStopped { done, total, reason });
        self.stage = Stage::Paused(upload);
        None
    }
}

/// Continuing an upload that a closed tab or a reload left unfinished
/// (`import_resume`).
impl ImportMachine {
    /// What the page offers about the person's unfinished upload.
    pub fn resume_offer(&self) -> Offer {
        if self.upload_started() {
            return Offer::Nothing;
        }
        self.resume.offer(self.operation)
    }

    pub fn unfinished(&self) -> Option<&Unfinished> {
        self.resume.unfinished()
    }

    /// Whether Continue may be clicked: the upload's file is chosen again
    /// and checked.
    pub fn may_continue(&self) -> bool {
        self.resume_offer() == Offer::Continue && matches!(self.stage, Stage::Checked(_)) && self.checked.is_some()
    }

    /// The writes to the browser's record that the events so far ask for,
    /// in order: the upload under way is followed chunk by chunk.
    pub fn take_notes(&mut self) -> Vec<Note> {
        let finished = matches!(self.stage, Stage::Done(_));
        let upload = match &self.stage {
            Stage::Sending { upload, .. } | Stage::WaitingToRetry { upload, .. } | Stage::Paused(upload) | Stage::Done(upload) => Some(upload),
            _ => None,
        };
        self.resume.follow(upload, finished);
        self.resume.take_notes()
    }

    fn handle_resume(&mut self, event: Event) -> Option<Effect> {
        match event {
            Event::Recalled { user_id, unfinished } => self.resume.recalled(user_id, unfinished),
            Event::FileFingerprinted(fingerprint) => self.resume.file_fingerprinted(fingerprint),
            Event::BytesFingerprinted { fingerprint, at } => self.resume.bytes_fingerprinted(fingerprint, at),
            Event::DiscardClicked => self.resume.discard(),
            Event::ContinueClicked => {
                if !self.may_continue() {
                    return None;
                }
                let (Stage::Checked(choice), Some(checked)) = (&self.stage, &self.checked) else { return None };
                let valid_only = self.resume.continue_clicked(self.operation)?;
                let bytes = checked.bytes.clone();
                self.error = None;
                self.stage = Stage::ReadingRows(UploadChoice { valid_only, ..choice.clone() });
                return Some(Effect::ReadRows { bytes, operation: self.operation, lang: self.lang });
            }
            _ => {}
        }
        None
    }

    /// Sends the first chunk of the rows read: a new upload, or the
    /// unfinished one continued at its first unanswered chunk.
    fn start_upload(&mut self, import_id: String, rows: &[BulkRow], continuing: bool) -> Option<Effect> {
        let Stage::ReadingRows(choice) = &self.stage else { return None };
        let upload = if continuing {
            match self.resume.continue_with(self.operation, rows) {
                Some(upload) => upload,
                None => {
                    self.error = Some(Problem::NotContinued);
                    self.stage = Stage::Checked(choice.clone());
                    return None;
                }
            }
        } else {
            let file_name = self.file_name.clone().unwrap_or_default();
            self.resume.start(import_id, self.operation, rows, choice.valid_only, &file_name)
        };
        self.send_next(upload, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::bulk::import::{Outcome, RowOutcome};

    fn rows(count: u64) -> Vec<BulkRow> {
        (2..2 + count).map(|row| BulkRow { row, cells: vec![String::new(); 15] }).collect()
    }

    fn finding(row: u64) -> Finding {
        Finding { row, column: Some(4), header: Some("E-mail".into()), code: "email_taken".into(), message: "taken".into(), value: None, suggestion: None }
    }

    fn report(rows: u64, findings: Vec<Finding>) -> Report {
        Report { operation: Operation::Create, encoding: "UTF-8".into(), delimiter: ";".into(), rows, notices: vec![], findings }
    }

    /// The machine's last failure as the page would say it in `lang`.
    fn message(machine: &ImportMachine, lang: Lang) -> Option<String> {
        machine.error().map(|problem| problem.message(lang))
    }

    fn checked_file(report: Report) -> CheckedFile {
        CheckedFile { report: Arc::new(report), bytes: Arc::from(&b"file"[..]) }
    }

    /// A machine that has checked a file of `rows` rows with `findings`.
    fn checked(rows: u64, findings: Vec<Finding>) -> ImportMachine {
        let mut machine = ImportMachine::default();
        assert_eq!(machine.handle(Event::FileChosen { name: "users.csv".into() }), Some(Effect::Check { check: 1, operation: Operation::Create, lang: Lang::En }));
        machine.handle(Event::CheckFinished { check: 1, result: Ok(checked_file(report(rows, findings))) });
        assert_eq!(machine.stage(), &Stage::Checked(UploadChoice::default()));
        machine
    }

    /// A machine sending the first chunk of a clean file of `count` rows,
    /// and that chunk.
    fn sending(count: u64) -> (ImportMachine, ImportChunk) {
        let mut machine = checked(count, vec![]);
        assert!(matches!(machine.handle(Event::UploadClicked), Some(Effect::ReadRows { .. })));
        let effect = machine.handle(Event::RowsRead { import_id: "import".into(), result: Ok((report(count, vec![]), rows(count))) });
        let (import_id, seq, chunk) = sent(effect);
        assert_eq!((import_id.as_str(), seq), ("import", 0));
        (machine, chunk)
    }

    fn created(chunk: &ImportChunk, seq: u32, replayed: bool) -> ChunkAnswer {
        let outcomes = chunk.rows.iter().map(|r| RowOutcome { row: r.row, outcome: Outcome::Created, user_id: Some(format!("u{}", r.row)), reason: None }).collect();
        ChunkAnswer::Applied(ChunkResult { seq, outcomes, replayed })
    }

    fn answer(machine: &mut ImportMachine, seq: u32, answer: ChunkAnswer) -> Option<Effect> {
        machine.handle(Event::ChunkAnswered { import_id: "import".into(), seq, answer })
    }

    /// The chunk a `SendChunk` effect sends, by sequence number.
    fn sent(effect: Option<Effect>) -> (String, u32, ImportChunk) {
        match effect {
            Some(Effect::SendChunk { import_id, seq, chunk }) => (import_id, seq, chunk),
            other => panic!("expected a chunk to send, got {other:?}"),
        }
    }

    #[test]
    fn a_later_file_or_operation_replaces_a_check_under_way() {
        let mut machine = ImportMachine::default();
        assert_eq!(machine.handle(Event::OperationChosen(Operation::Edit)), None, "no file, nothing to check");
        assert_eq!(machine.handle(Event::FileChosen { name: "a.csv".into() }), Some(Effect::Check { check: 1, operation: Operation::Edit, lang: Lang::En }));
        assert_eq!(machine.handle(Event::OperationChosen(Operation::Delete)), Some(Effect::Check { check: 2, operation: Operation::Delete, lang: Lang::En }));
        machine.handle(Event::CheckProgressed { check: 1, rows: 10, read: 5, total: 9 });
        machine.handle(Event::CheckFinished { check: 1, result: Ok(checked_file(report(3, vec![]))) });
        assert_eq!(machine.stage(), &Stage::Checking { check: 2, rows: 0, read: 0, total: 1 }, "the replaced check reports nothing");
        machine.handle(Event::CheckProgressed { check: 2, rows: 7, read: 4, total: 8 });
        assert_eq!(machine.stage(), &Stage::Checking { check: 2, rows: 7, read: 4, total: 8 });
        machine.handle(Event::CheckFinished { check: 2, result: Ok(checked_file(report(3, vec![]))) });
        assert_eq!(machine.stage(), &Stage::Checked(UploadChoice::default()));
        assert_eq!(machine.readiness(), Some(Readiness::AllRows(3)));
        assert_eq!(machine.handle(Event::CheckAgain), Some(Effect::Check { check: 3, operation: Operation::Delete, lang: Lang::En }));
        assert_eq!(machine.report(), None, "a new check forgets the last one's findings");
    }

    #[test]
    fn findings_follow_a_change_of_language_until_the_upload_starts() {
        let mut machine = ImportMachine::speaking(Lang::Da);
        assert_eq!(machine.handle(Event::LanguageChosen(Lang::Da)), None);
        assert_eq!(machine.handle(Event::LanguageChosen(Lang::De)), None, "no file, nothing to check again");
        assert_eq!(machine.handle(Event::FileChosen { name: "a.csv".into() }), Some(Effect::Check { check: 1, operation: Operation::Create, lang: Lang::De }));
        machine.handle(Event::CheckFinished { check: 1, result: Ok(checked_file(report(3, vec![]))) });
        assert_eq!(machine.handle(Event::LanguageChosen(Lang::Da)), Some(Effect::Check { check: 2, operation: Operation::Create, lang: Lang::Da }));
        machine.handle(Event::CheckFinished { check: 2, result: Ok(checked_file(report(3, vec![]))) });
        assert!(matches!(machine.handle(Event::UploadClicked), Some(Effect::ReadRows { lang: Lang::Da, .. })));
        assert_eq!(machine.handle(Event::LanguageChosen(Lang::En)), None, "the upload has started");
    }

    #[test]
    fn corrections_and_accepted_suggestions_check_the_file_again_until_another_file_is_chosen() {
        let suggested = |row: u64, code: &str, value: &str| Finding { code: code.into(), suggestion: Some(value.into()), ..finding(row) };
        let findings = vec![
            suggested(2, "spreadsheet_phone_plus_lost", "+4512345678"),
            suggested(3, "spreadsheet_phone_plus_lost", "+4587654321"),
            suggested(4, "spreadsheet_date_reformatted", "02-02-1961"),
            finding(5),
        ];
        let mut machine = checked(4, findings.clone());
        let effect = machine.handle(Event::SuggestionsAccepted { kind: Some("spreadsheet_phone_plus_lost".into()) });
        assert!(matches!(effect, Some(Effect::Check { check: 2, .. })));
        assert_eq!(machine.corrections().values().collect::<Vec<_>>(), vec!["+4512345678", "+4587654321"]);
        assert_eq!(machine.handle(Event::CellCorrected { row: 5, column: 4, value: "x@example.dk".into() }), None, "not while checking");
        machine.handle(Event::CheckFinished { check: 2, result: Ok(checked_file(report(4, findings))) });
        assert!(machine.handle(Event::SuggestionsAccepted { kind: None }).is_some());
        assert_eq!(machine.corrections().len(), 3, "the same cells once each");
        machine.handle(Event::CheckFinished { check: 3, result: Ok(checked_file(report(4, vec![finding(5)]))) });
        assert_eq!(machine.handle(Event::SuggestionsAccepted { kind: None }), None, "no suggestion left");
        assert!(machine.handle(Event::CellCorrected { row: 5, column: 4, value: "x@example.dk".into() }).is_some());
        assert_eq!(machine.corrections().get(&(5, 4)).map(String::as_str), Some("x@example.dk"));
        machine.handle(Event::CheckFinished { check: 4, result: Ok(checked_file(report(4, vec![]))) });
        assert!(machine.handle(Event::OperationChosen(Operation::Edit)).is_some());
        assert_eq!(machine.corrections().len(), 4, "kept for the same file");
        machine.handle(Event::FileChosen { name: "other.csv".into() });
        assert!(machine.corrections().is_empty());
    }

    #[test]
    fn a_file_that_cannot_be_read_is_chosen_again() {
        let mut machine = ImportMachine::default();
        machine.handle(Event::FileChosen { name: "a.csv".into() });
        machine.handle(Event::CheckFinished { check: 1, result: Err(Problem::FileUnreadable) });
        assert_eq!(machine.stage(), &Stage::Choosing);
        assert_eq!(message(&machine, Lang::En).as_deref(), Some("The file could not be read. Choose it again."));
        assert_eq!(machine.file_name(), Some("a.csv"));
    }

    #[test]
    fn rows_with_findings_go_up_only_when_chosen_and_a_delete_only_when_its_count_is_typed() {
        let mut machine = checked(3, vec![finding(3)]);
        assert_eq!((machine.rows_to_send(), machine.may_upload()), (0, false));
        assert_eq!(machine.handle(Event::UploadClicked), None);
        machine.handle(Event::ValidOnlyChosen(true));
        assert_eq!((machine.rows_to_send(), machine.may_upload()), (2, true));
        assert!(matches!(machine.handle(Event::UploadClicked), Some(Effect::ReadRows { operation: Operation::Create, .. })));
        // Only the rows without findings go up, read again from the file.
        let effect = machine.handle(Event::RowsRead { import_id: "import".into(), result: Ok((report(3, vec![finding(3)]), rows(3))) });
        let (_, _, chunk) = sent(effect);
        assert_eq!(chunk.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);

        let mut machine = checked(2, vec![]);
        machine.handle(Event::OperationChosen(Operation::Delete));
        machine.handle(Event::CheckFinished { check: 2, result: Ok(checked_file(report(2, vec![]))) });
        assert!(!machine.may_upload());
        machine.handle(Event::CountTyped("2".into()));
        assert!(machine.may_upload());
    }

    #[test]
    fn rows_that_cannot_be_read_again_leave_the_choice_as_it_was() {
        let mut machine = checked(3, vec![finding(3)]);
        machine.handle(Event::ValidOnlyChosen(true));
        machine.handle(Event::UploadClicked);
        machine.handle(Event::RowsRead { import_id: "import".into(), result: Err(Problem::CheckStopped(CheckStop::Said("unreadable".into()))) });
        assert_eq!(machine.stage(), &Stage::Checked(UploadChoice { valid_only: true, typed_count: String::new() }));
        assert_eq!(message(&machine, Lang::En).as_deref(), Some("The check stopped: unreadable. Reload the page and choose the file again."));
    }

    #[test]
    fn chunks_go_in_order_under_one_import_id_until_done() {
        let (mut machine, first) = sending(300);
        assert_eq!(machine.upload().map(Upload::progress), Some((0, 2)));
        assert_eq!(first.rows.len(), 150);
        let (import_id, seq, second) = sent(answer(&mut machine, 0, created(&first, 0, false)));
        assert_eq!((import_id.as_str(), seq, second.rows.len()), ("import", 1, 150));
        assert_eq!(machine.upload().map(Upload::progress), Some((1, 2)));
        assert_eq!(answer(&mut machine, 1, created(&second, 1, false)), None);
        let Stage::Done(upload) = machine.stage() else { panic!("not done: {:?}", machine.stage()) };
        assert_eq!(upload.count(Outcome::Created), 300);
    }

    #[test]
    fn network_failures_are_retried_after_half_a_second_one_and_one_and_a_half_then_resume_is_offered() {
        let (mut machine, _) = sending(10);
        for ms in [500, 1000, 1500] {
            assert_eq!(answer(&mut machine, 0, ChunkAnswer::Unreached("unreachable".into())), Some(Effect::WaitToRetry { import_id: "import".into(), ms }));
            assert!(matches!(machine.stage(), Stage::WaitingToRetry { .. }));
            let (import_id, seq, _) = sent(machine.handle(Event::RetryTimerFired { import_id: "import".into() }));
            assert_eq!((import_id.as_str(), seq), ("import", 0), "the same chunk again");
        }
        assert_eq!(answer(&mut machine, 0, ChunkAnswer::Unreached("Steward could not be reached.".into())), None);
        assert!(matches!(machine.stage(), Stage::Paused(_)));
        assert_eq!(
            message(&machine, Lang::En).as_deref(),
            Some("The upload stopped after 0 of 1 chunks: Steward could not be reached. Nothing was sent twice; resume to go on.")
        );
        assert_eq!(
            message(&machine, Lang::Da).as_deref(),
            Some("Uploaden stoppede efter 0 af 1 dele: Steward could not be reached. Intet er sendt to gange; genoptag for at fortsætte."),
            "the page's own words in Danish; the network's message as it came"
        );

        // Resume sends the same chunk under the same import id, so that the
        // server applies it once, and the retries start over.
        let (import_id, seq, chunk) = sent(machine.handle(Event::ResumeClicked));
        assert_eq!((import_id.as_str(), seq, chunk.rows.len()), ("import", 0, 10));
        assert_eq!(machine.error(), None);
        assert_eq!(answer(&mut machine, 0, ChunkAnswer::Unreached("again".into())), Some(Effect::WaitToRetry { import_id: "import".into(), ms: 500 }));
    }

    #[test]
    fn a_replayed_chunk_counts_once() {
        let (mut machine, first) = sending(200);
        // The chunk was applied but its answer lost; sent again, it answers
        // what it did the first time.
        answer(&mut machine, 0, ChunkAnswer::Unreached("lost".into()));
        machine.handle(Event::RetryTimerFired { import_id: "import".into() });
        let (_, seq, _) = sent(answer(&mut machine, 0, created(&first, 0, true)));
        assert_eq!(seq, 1);
        // A late second answer to the same chunk changes nothing.
        let before = machine.clone();
        assert_eq!(answer(&mut machine, 0, created(&first, 0, false)), None);
        assert_eq!(machine, before);
        assert_eq!(machine.upload().map(|u| (u.progress(), u.count(Outcome::Created))), Some(((1, 2), 150)));
    }

    #[test]
    fn an_upload_is_recorded_as_it_goes_and_continued_after_a_reload_under_its_import_id() {
        use crate::import_resume::{Note, Offer};
        // The upload before the reload: recorded at its start and at each answer.
        let mut machine = checked(300, vec![]);
        machine.handle(Event::Recalled { user_id: "anne".into(), unfinished: None });
        machine.handle(Event::UploadClicked);
        machine.handle(Event::BytesFingerprinted { fingerprint: Some("f00d".into()), at: 1_800_000_000 });
        let (_, _, first) = sent(machine.handle(Event::RowsRead { import_id: "import".into(), result: Ok((report(300, vec![]), rows(300))) }));
        let Some(Note::Started(mut unfinished)) = machine.take_notes().pop() else { panic!("not recorded") };
        assert_eq!((unfinished.import_id.as_str(), unfinished.user_id.as_str(), unfinished.chunks), ("import", "anne", 2));
        answer(&mut machine, 0, created(&first, 0, false));
        let Some(Note::Answered { answer: recorded, .. }) = machine.take_notes().pop() else { panic!("answer not recorded") };
        unfinished.answers.push(recorded);

        // After the reload: offered once the same file is chosen and checked.
        let mut machine = ImportMachine::default();
        machine.handle(Event::Recalled { user_id: "anne".into(), unfinished: Some(unfinished) });
        assert_eq!(machine.resume_offer(), Offer::ChooseFile);
        machine.handle(Event::FileChosen { name: "users.csv".into() });
        machine.handle(Event::FileFingerprinted("f00d".into()));
        assert_eq!((machine.resume_offer(), machine.may_continue()), (Offer::Continue, false), "not before the check");
        machine.handle(Event::CheckFinished { check: 1, result: Ok(checked_file(report(300, vec![]))) });
        assert!(machine.may_continue());
        assert!(matches!(machine.handle(Event::ContinueClicked), Some(Effect::ReadRows { operation: Operation::Create, .. })));
        machine.handle(Event::BytesFingerprinted { fingerprint: Some("f00d".into()), at: 1_800_000_100 });
        let effect = machine.handle(Event::RowsRead { import_id: "fresh".into(), result: Ok((report(300, vec![]), rows(300))) });
        let (import_id, seq, second) = sent(effect);
        assert_eq!((import_id.as_str(), seq, second.rows[0].row), ("import", 1, 152), "the same import, at its first unanswered chunk");
        assert_eq!(machine.resume_offer(), Offer::Nothing);
        assert_eq!(answer(&mut machine, 1, created(&second, 1, true)), None);
        let Stage::Done(upload) = machine.stage() else { panic!("not done") };
        assert_eq!(upload.count(Outcome::Created), 300);
        assert!(matches!(machine.take_notes().last(), Some(Note::Forget { import_id, .. }) if import_id == "import"));
    }

    #[test]
    fn another_file_or_rows_not_those_uploaded_do_not_continue_it() {
        use crate::import_resume::{tests::recorded, Offer, Unfinished};
        let unfinished = Unfinished { answers: vec![], ..recorded() };
        let mut machine = ImportMachine::default();
        machine.handle(Event::Recalled { user_id: "anne".into(), unfinished: Some(unfinished) });
        machine.handle(Event::FileChosen { name: "other.csv".into() });
        machine.handle(Event::FileFingerprinted("beef".into()));
        machine.handle(Event::CheckFinished { check: 1, result: Ok(checked_file(report(300, vec![]))) });
        assert_eq!(machine.resume_offer(), Offer::OtherFile);
        assert_eq!(machine.handle(Event::ContinueClicked), None);
        // A file chosen next is not taken for the upload's until its own fingerprint is known.
        machine.handle(Event::FileFingerprinted("f00d".into()));
        machine.handle(Event::FileChosen { name: "third.csv".into() });
        assert_eq!(machine.resume_offer(), Offer::ChooseFile);

        // The upload's file, but the rows read again are not cut as before.
        machine.handle(Event::FileFingerprinted("f00d".into()));
        machine.handle(Event::CheckFinished { check: 2, result: Ok(checked_file(report(3, vec![]))) });
        machine.handle(Event::ContinueClicked);
        machine.handle(Event::BytesFingerprinted { fingerprint: Some("f00d".into()), at: 0 });
        assert_eq!(machine.handle(Event::RowsRead { import_id: "fresh".into(), result: Ok((report(3, vec![]), rows(3))) }), None);
        assert_eq!(machine.error(), Some(&Problem::NotContinued));
        assert_eq!(machine.stage(), &Stage::Checked(UploadChoice::default()));
        assert_eq!(machine.resume_offer(), Offer::Continue, "still offered, to be discarded");
        // A plain upload now starts a new import.
        machine.handle(Event::UploadClicked);
        machine.handle(Event::BytesFingerprinted { fingerprint: Some("f00d".into()), at: 0 });
        let (import_id, seq, _) = sent(machine.handle(Event::RowsRead { import_id: "fresh".into(), result: Ok((report(3, vec![]), rows(3))) }));
        assert_eq!((import_id.as_str(), seq), ("fresh", 0));
    }

    #[test]
    fn refused_rows_are_reported_and_the_rest_of_their_chunk_goes_again() {
        let (mut machine, _) = sending(3);
        let (import_id, seq, chunk) = sent(answer(&mut machine, 0, ChunkAnswer::RowsRefused(vec![finding(3)])));
        assert_eq!((import_id.as_str(), seq), ("import", 0), "nothing of the chunk was saved: its number is still free");
        assert_eq!(chunk.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(answer(&mut machine, 0, created(&chunk, 0, false)), None);
        let Stage::Done(upload) = machine.stage() else { panic!("not done") };
        assert_eq!((upload.count(Outcome::Created), upload.count(Outcome::Rejected)), (2, 1));
        assert_eq!(upload.outcomes()[1].reason.as_deref(), Some("E-mail: taken"));
    }

    #[test]
    fn a_refusal_of_no_row_in_the_chunk_stops_rather_than_sending_it_again() {
        let (mut machine, _) = sending(3);
        assert_eq!(answer(&mut machine, 0, ChunkAnswer::RowsRefused(vec![finding(99)])), None);
        assert!(matches!(machine.stage(), Stage::Paused(_)));
    }

    #[test]
    fn other_failures_stop_at_once() {
        let (mut machine, _) = sending(3);
        assert_eq!(answer(&mut machine, 0, ChunkAnswer::Failed(Some("Forbidden.".into()))), None);
        assert!(matches!(machine.stage(), Stage::Paused(_)));
        assert_eq!(message(&machine, Lang::En).as_deref(), Some("The upload stopped after 0 of 1 chunks: Forbidden. Nothing was sent twice; resume to go on."));
        // Sent to sign in: nothing to say.
        let (mut machine, _) = sending(3);
        answer(&mut machine, 0, ChunkAnswer::Failed(None));
        assert_eq!((matches!(machine.stage(), Stage::Paused(_)), machine.error()), (true, None));
        // A refusal of rows the chunk does not hold, in German.
        let (mut machine, _) = sending(3);
        answer(&mut machine, 0, ChunkAnswer::RowsRefused(vec![finding(99)]));
        assert_eq!(
            message(&machine, Lang::De).as_deref(),
            Some("Das Hochladen wurde nach 0 von 1 Teilen angehalten: Der Server hat Zeilen abgelehnt, die nicht in diesem Teil enthalten sind. Nichts wurde doppelt gesendet; setzen Sie das Hochladen fort, um weiterzumachen.")
        );
    }

    #[test]
    fn an_upload_left_for_another_file_hears_no_more_answers() {
        let (mut machine, chunk) = sending(3);
        assert_eq!(answer(&mut machine, 0, ChunkAnswer::Unreached("lost".into())), Some(Effect::WaitToRetry { import_id: "import".into(), ms: 500 }));
        machine.handle(Event::FileChosen { name: "other.csv".into() });
        assert_eq!(machine.handle(Event::RetryTimerFired { import_id: "import".into() }), None);
        assert_eq!(answer(&mut machine, 0, created(&chunk, 0, false)), None);
        assert!(matches!(machine.stage(), Stage::Checking { check: 2, .. }));
    }

    #[test]
    fn created_users_are_sent_to_activation_in_batches() {
        let (mut machine, first) = sending(600);
        let mut effect = Some(Effect::SendChunk { import_id: "import".into(), seq: 0, chunk: first });
        while let Some(Effect::SendChunk { seq, chunk, .. }) = effect {
            effect = answer(&mut machine, seq, created(&chunk, seq, false));
        }
        let Some(Effect::SendToActivation(first)) = machine.handle(Event::SendToActivationClicked) else { panic!("no batch") };
        assert_eq!(first.len(), MAX_BULK_ACTIVATION);
        assert_eq!(machine.activation_status(), Some(ActivationStatus::Sending));
        assert_eq!(ActivationStatus::Sending.message(Lang::En), "Sending…");
        let Some(Effect::SendToActivation(second)) = machine.handle(Event::ActivationAnswered(Ok((300, 200)))) else { panic!("no second batch") };
        assert_eq!(second.len(), 100);
        assert_eq!(machine.handle(Event::ActivationAnswered(Ok((50, 50)))), None);
        let finished = machine.activation_status().expect("a status");
        assert_eq!(
            finished.message(Lang::En),
            "350 users were sent an activation link. 250 activate by code: send each of them from their own page, to see the code."
        );
        assert_eq!(
            finished.message(Lang::Da),
            "350 brugere fik sendt et aktiveringslink. 250 aktiveres med aktiveringskode: send hver af dem til aktivering fra deres egen side for at se koden."
        );
        assert_eq!(
            ActivationStatus::Finished { sent: 1, skipped: 1_000 }.message(Lang::Da),
            "1 bruger fik sendt et aktiveringslink. 1.000 aktiveres med aktiveringskode: send hver af dem til aktivering fra deres egen side for at se koden."
        );

        machine.handle(Event::SendToActivationClicked);
        assert_eq!(machine.handle(Event::ActivationAnswered(Err(Some("Forbidden.".into())))), None);
        assert_eq!(message(&machine, Lang::En).as_deref(), Some("Forbidden."));
        assert!(machine.activation_status().is_some_and(|status| status.message(Lang::En).starts_with("0 users were sent")));
    }
}
