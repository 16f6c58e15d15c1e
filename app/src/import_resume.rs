//! An upload that survives a closed tab or a reload (issue #18): while it
//! runs, the browser keeps (IndexedDB) which import it is, the SHA-256
//! fingerprint of the bytes its rows come from, and each chunk's answer:
//! ids, counts and outcomes, never a cell. When the import page opens again
//! for the same person, it offers to continue once the same file is chosen
//! again; the chunks are cut the same way and sending goes on under the same
//! import id, which the server applies once per chunk.
//!
//! `Resume` decides (plain logic, tested here); the functions at the end
//! read and write the browser's record for the driver.

use serde::{Deserialize, Serialize};
use steward_domain::bulk::import::{BulkRow, ChunkResult};
use steward_domain::bulk::template::Operation;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

use crate::import_flow::Upload;

/// An upload as the browser keeps it, one per person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unfinished {
    pub import_id: String,
    /// The person who started it; nobody else is offered it.
    pub user_id: String,
    /// SHA-256 of the bytes the rows were read from, in hex.
    pub fingerprint: String,
    pub operation: Operation,
    /// Whether only the rows without findings went up.
    pub valid_only: bool,
    pub file_name: String,
    /// Chunks in all.
    pub chunks: usize,
    /// When it started, in Unix seconds.
    pub started: i64,
    /// The acknowledged chunks' answers, from the first (kept one record per
    /// chunk, so that an answer is one small write).
    #[serde(skip)]
    pub answers: Vec<ChunkResult>,
}

impl Unfinished {
    /// Chunks acknowledged and chunks in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.answers.len(), self.chunks)
    }
}

/// A write to the browser's record, for the driver to make in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// An upload started: it replaces the person's earlier record.
    Started(Unfinished),
    /// A chunk was acknowledged; the answer holds the outcome of each of its
    /// rows, those the server refused included.
    Answered { import_id: String, answer: ChunkResult },
    /// The upload is done or discarded.
    Forget { user_id: String, import_id: String },
}

/// What the page offers about an unfinished upload.
#[derive(Debug, Clone, PartialEq)]
pub enum Offer {
    Nothing,
    /// Choose the upload's file again to continue it.
    ChooseFile,
    /// The chosen file is not the upload's.
    OtherFile,
    /// The chosen file is the upload's, but another operation is chosen.
    OtherOperation,
    /// The chosen file is the upload's: it may continue.
    Continue,
}

/// Whether to offer continuing `unfinished` to the signed-in `user_id`,
/// given the fingerprint of the chosen file (once taken) and the chosen
/// operation.
pub fn offer(unfinished: Option<&Unfinished>, user_id: Option<&str>, chosen: Option<&str>, operation: Operation) -> Offer {
    let Some(unfinished) = unfinished.filter(|u| Some(u.user_id.as_str()) == user_id) else { return Offer::Nothing };
    match chosen {
        None => Offer::ChooseFile,
        Some(fingerprint) if fingerprint != unfinished.fingerprint => Offer::OtherFile,
        Some(_) if operation != unfinished.operation => Offer::OtherOperation,
        Some(_) => Offer::Continue,
    }
}

/// The import machine's part that keeps an upload's record and continues
/// one from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resume {
    /// The signed-in person, once their record was looked up.
    user_id: Option<String>,
    /// Their unfinished upload, until it is continued, discarded or replaced.
    unfinished: Option<Unfinished>,
    /// The fingerprint of the file chosen last, once taken.
    chosen: Option<String>,
    /// The fingerprint of the bytes being read for the upload, and when
    /// (Unix seconds).
    reading: Option<(String, i64)>,
    /// Continue was clicked: the rows being read continue `unfinished`.
    continuing: bool,
    /// The upload whose record is kept, and how many of its answers are noted.
    kept: Option<(String, usize)>,
    notes: Vec<Note>,
}

impl Resume {
    pub fn unfinished(&self) -> Option<&Unfinished> {
        self.unfinished.as_ref()
    }

    pub fn offer(&self, operation: Operation) -> Offer {
        offer(self.unfinished.as_ref(), self.user_id.as_deref(), self.chosen.as_deref(), operation)
    }

    /// The person's record, looked up when the page opened. One whose every
    /// chunk was acknowledged is finished: it is forgotten.
    pub fn recalled(&mut self, user_id: String, unfinished: Option<Unfinished>) {
        let unfinished = unfinished.filter(|u| u.user_id == user_id);
        match unfinished {
            Some(u) if u.answers.len() >= u.chunks => self.notes.push(Note::Forget { user_id: u.user_id, import_id: u.import_id }),
            other => self.unfinished = other,
        }
        self.user_id = Some(user_id);
    }

    pub fn file_chosen(&mut self) {
        self.chosen = None;
    }

    pub fn file_fingerprinted(&mut self, fingerprint: String) {
        self.chosen = Some(fingerprint);
    }

    pub fn bytes_fingerprinted(&mut self, fingerprint: Option<String>, at: i64) {
        self.reading = fingerprint.map(|fingerprint| (fingerprint, at));
    }

    /// Continue was clicked: whether it may (the chosen file is the
    /// upload's), and if so, whether only valid rows went up.
    pub fn continue_clicked(&mut self, operation: Operation) -> Option<bool> {
        if self.offer(operation) != Offer::Continue {
            return None;
        }
        self.continuing = true;
        self.unfinished.as_ref().map(|u| u.valid_only)
    }

    /// Whether the rows being read continue the unfinished upload; asked
    /// once per reading.
    pub fn take_continuing(&mut self) -> bool {
        std::mem::take(&mut self.continuing)
    }

    pub fn discard(&mut self) {
        if let Some(u) = self.unfinished.take() {
            self.notes.push(Note::Forget { user_id: u.user_id, import_id: u.import_id });
        }
    }

    /// A new upload of `rows` starts: it is recorded (once the person and
    /// the fingerprint are known) and replaces any unfinished one.
    pub fn start(&mut self, import_id: String, operation: Operation, rows: &[BulkRow], valid_only: bool, file_name: &str) -> Upload {
        let upload = Upload::new(import_id, operation, rows);
        if let (Some(user_id), Some((fingerprint, started))) = (&self.user_id, self.reading.take()) {
            self.unfinished = None;
            self.kept = Some((upload.import_id.clone(), 0));
            self.notes.push(Note::Started(Unfinished {
                import_id: upload.import_id.clone(),
                user_id: user_id.clone(),
                fingerprint,
                operation,
                valid_only,
                file_name: file_name.to_owned(),
                chunks: upload.progress().1,
                started,
                answers: Vec::new(),
            }));
        }
        upload
    }

    /// The unfinished upload continued with `rows` read again: None when the
    /// bytes read are not those fingerprinted, or their chunks do not hold
    /// the rows the recorded answers are of.
    pub fn continue_with(&mut self, operation: Operation, rows: &[BulkRow]) -> Option<Upload> {
        let unfinished = self.unfinished.as_ref()?;
        let same_bytes = self.reading.take().is_some_and(|(fingerprint, _)| fingerprint == unfinished.fingerprint);
        if !same_bytes || operation != unfinished.operation {
            return None;
        }
        let upload = Upload::resumed(unfinished.import_id.clone(), operation, rows, &unfinished.answers)?;
        if upload.progress().1 != unfinished.chunks {
            return None;
        }
        self.kept = Some((upload.import_id.clone(), upload.progress().0));
        self.unfinished = None;
        Some(upload)
    }

    /// Notes the chunks of the kept upload acknowledged since last asked,
    /// and forgets its record once it is `finished`.
    pub fn follow(&mut self, upload: Option<&Upload>, finished: bool) {
        let (Some((import_id, noted)), Some(upload)) = (&mut self.kept, upload) else { return };
        if upload.import_id != *import_id {
            return;
        }
        let done = upload.progress().0;
        for seq in *noted..done {
            if let Some(answer) = upload.answer(seq) {
                self.notes.push(Note::Answered { import_id: import_id.clone(), answer });
            }
        }
        *noted = done;
        if finished {
            if let Some(user_id) = self.user_id.clone() {
                self.notes.push(Note::Forget { user_id, import_id: import_id.clone() });
            }
            self.kept = None;
        }
    }

    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }
}

// ---------------------------------------------------------------------------
// The browser's record: IndexedDB database `steward`, store `imports` (one
// record per person, keyed by their id, as JSON) and store `import_answers`
// (each acknowledged chunk's answer, keyed by [import id, seq], as JSON).

const DATABASE: &str = "steward";
const IMPORTS: &str = "imports";
const ANSWERS: &str = "import_answers";

/// The SHA-256 of `bytes`, in hex; None where the browser offers no digest.
pub async fn fingerprint(bytes: &[u8]) -> Option<String> {
    let promise = subtle()?.digest_with_str_and_u8_array("SHA-256", bytes).ok()?;
    hex(promise).await
}

/// The SHA-256 of the file's bytes, in hex.
pub async fn fingerprint_of_file(file: &web_sys::File) -> Option<String> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    let promise = subtle()?.digest_with_str_and_buffer_source("SHA-256", buffer.unchecked_ref()).ok()?;
    hex(promise).await
}

fn subtle() -> Option<web_sys::SubtleCrypto> {
    Some(web_sys::window()?.crypto().ok()?.subtle())
}

async fn hex(digest: js_sys::Promise) -> Option<String> {
    let digest = JsFuture::from(digest).await.ok()?;
    Some(js_sys::Uint8Array::new(&digest).to_vec().iter().map(|b| format!("{b:02x}")).collect())
}

/// The person's unfinished upload kept in this browser, with its answers.
pub async fn recall(user_id: &str) -> Option<Unfinished> {
    let database = open().await?;
    let stored = settled(&store(&database, IMPORTS, IdbTransactionMode::Readonly)?.get(&user_id.into()).ok()?).await?;
    let mut unfinished: Unfinished = serde_json::from_str(&stored.as_string()?).ok()?;
    let range = answers_of(&unfinished.import_id)?;
    let answers = settled(&store(&database, ANSWERS, IdbTransactionMode::Readonly)?.get_all_with_key(&range).ok()?).await?;
    unfinished.answers = js_sys::Array::from(&answers).iter().filter_map(|answer| serde_json::from_str(&answer.as_string()?).ok()).collect();
    database.close();
    Some(unfinished)
}

/// Makes the write `note` asks for. A browser that keeps nothing (no
/// IndexedDB, storage refused) only loses the offer to continue.
pub async fn keep(note: Note) {
    let Some(database) = open().await else { return };
    match note {
        Note::Started(unfinished) => {
            // The person's earlier upload is replaced: its answers go.
            if let Some(earlier) = recall(&unfinished.user_id).await {
                delete_answers(&database, &earlier.import_id).await;
            }
            if let (Ok(json), Some(imports)) = (serde_json::to_string(&unfinished), store(&database, IMPORTS, IdbTransactionMode::Readwrite)) {
                if let Ok(request) = imports.put_with_key(&json.into(), &unfinished.user_id.as_str().into()) {
                    settled(&request).await;
                }
            }
        }
        Note::Answered { import_id, answer } => {
            let key = js_sys::Array::of2(&import_id.into(), &answer.seq.into());
            if let (Ok(json), Some(answers)) = (serde_json::to_string(&answer), store(&database, ANSWERS, IdbTransactionMode::Readwrite)) {
                if let Ok(request) = answers.put_with_key(&json.into(), &key) {
                    settled(&request).await;
                }
            }
        }
        Note::Forget { user_id, import_id } => {
            if recall(&user_id).await.is_some_and(|kept| kept.import_id == import_id) {
                if let Some(Ok(request)) = store(&database, IMPORTS, IdbTransactionMode::Readwrite).map(|imports| imports.delete(&user_id.into())) {
                    settled(&request).await;
                }
            }
            delete_answers(&database, &import_id).await;
        }
    }
    database.close();
}

async fn delete_answers(database: &IdbDatabase, import_id: &str) {
    let Some(range) = answers_of(import_id) else { return };
    if let Some(Ok(request)) = store(database, ANSWERS, IdbTransactionMode::Readwrite).map(|answers| answers.delete(&range)) {
        settled(&request).await;
    }
}

/// The keys of one import's answers.
fn answers_of(import_id: &str) -> Option<IdbKeyRange> {
    let first = js_sys::Array::of2(&import_id.into(), &0.into());
    let last = js_sys::Array::of2(&import_id.into(), &u32::MAX.into());
    IdbKeyRange::bound(&first, &last).ok()
}

async fn open() -> Option<IdbDatabase> {
    let request: IdbOpenDbRequest = web_sys::window()?.indexed_db().ok()??.open_with_u32(DATABASE, 1).ok()?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new({
        let request = request.clone();
        move |_| {
            if let Some(database) = request.result().ok().and_then(|result| result.dyn_into::<IdbDatabase>().ok()) {
                let _ = database.create_object_store(IMPORTS);
                let _ = database.create_object_store(ANSWERS);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = settled(&request).await;
    request.set_onupgradeneeded(None);
    database?.dyn_into().ok()
}

fn store(database: &IdbDatabase, name: &str, mode: IdbTransactionMode) -> Option<IdbObjectStore> {
    database.transaction_with_str_and_mode(name, mode).ok()?.object_store(name).ok()
}

/// The request's result once it has succeeded; None if it failed.
async fn settled(request: &IdbRequest) -> Option<JsValue> {
    let mut settle: Option<Closure<dyn FnMut(web_sys::Event)>> = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        request.set_onsuccess(Some(done.as_ref().unchecked_ref()));
        request.set_onerror(Some(done.as_ref().unchecked_ref()));
        settle = Some(done);
    });
    let _ = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(settle);
    match request.error() {
        Ok(None) => request.result().ok(),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use steward_domain::bulk::import::{Outcome, RowOutcome};

    fn rows(count: u64) -> Vec<BulkRow> {
        (2..2 + count).map(|row| BulkRow { row, cells: vec![String::new(); 15] }).collect()
    }

    fn created(seq: u32, chunk: &[BulkRow]) -> ChunkResult {
        let outcomes = chunk.iter().map(|r| RowOutcome { row: r.row, outcome: Outcome::Created, user_id: Some(format!("u{}", r.row)), reason: None }).collect();
        ChunkResult { seq, outcomes, replayed: false }
    }

    /// Anne's upload of 300 rows (two chunks), the first acknowledged.
    pub(crate) fn recorded() -> Unfinished {
        let first = &rows(300)[..150];
        Unfinished {
            import_id: "import".into(),
            user_id: "anne".into(),
            fingerprint: "f00d".into(),
            operation: Operation::Create,
            valid_only: false,
            file_name: "users.csv".into(),
            chunks: 2,
            started: 1_800_000_000,
            answers: vec![created(0, first)],
        }
    }

    #[test]
    fn continuing_is_offered_to_its_owner_for_the_same_file_and_operation_only() {
        let anne = Some("anne");
        let unfinished = recorded();
        assert_eq!(offer(None, anne, Some("f00d"), Operation::Create), Offer::Nothing);
        assert_eq!(offer(Some(&unfinished), Some("bo"), Some("f00d"), Operation::Create), Offer::Nothing, "another person");
        assert_eq!(offer(Some(&unfinished), None, Some("f00d"), Operation::Create), Offer::Nothing, "nobody known to be signed in");
        assert_eq!(offer(Some(&unfinished), anne, None, Operation::Create), Offer::ChooseFile);
        assert_eq!(offer(Some(&unfinished), anne, Some("beef"), Operation::Create), Offer::OtherFile);
        assert_eq!(offer(Some(&unfinished), anne, Some("f00d"), Operation::Edit), Offer::OtherOperation);
        assert_eq!(offer(Some(&unfinished), anne, Some("f00d"), Operation::Create), Offer::Continue);
    }

    #[test]
    fn a_record_of_another_person_or_of_a_finished_upload_is_not_offered() {
        let mut resume = Resume::default();
        resume.recalled("bo".into(), Some(recorded()));
        assert_eq!(resume.unfinished(), None);
        assert_eq!(resume.take_notes(), vec![]);

        let mut finished = recorded();
        finished.answers.push(created(1, &rows(300)[150..]));
        let mut resume = Resume::default();
        resume.recalled("anne".into(), Some(finished));
        assert_eq!(resume.unfinished(), None);
        assert_eq!(resume.take_notes(), vec![Note::Forget { user_id: "anne".into(), import_id: "import".into() }]);
    }

    #[test]
    fn an_upload_is_recorded_as_it_goes_and_forgotten_when_done() {
        let mut resume = Resume::default();
        resume.recalled("anne".into(), None);
        resume.bytes_fingerprinted(Some("f00d".into()), 1_800_000_000);
        let mut upload = resume.start("import".into(), Operation::Create, &rows(300), false, "users.csv");
        let mut expected = recorded();
        expected.answers.clear();
        assert_eq!(resume.take_notes(), vec![Note::Started(expected)]);

        let (seq, chunk) = upload.next_chunk().unwrap();
        upload.accept(created(seq, &chunk));
        resume.follow(Some(&upload), false);
        resume.follow(Some(&upload), false);
        assert_eq!(resume.take_notes(), vec![Note::Answered { import_id: "import".into(), answer: created(0, &chunk) }], "each answer noted once");

        let (seq, chunk) = upload.next_chunk().unwrap();
        upload.accept(created(seq, &chunk));
        resume.follow(Some(&upload), true);
        assert_eq!(
            resume.take_notes(),
            vec![Note::Answered { import_id: "import".into(), answer: created(1, &chunk) }, Note::Forget { user_id: "anne".into(), import_id: "import".into() }]
        );
        resume.follow(Some(&upload), true);
        assert_eq!(resume.take_notes(), vec![]);
    }

    #[test]
    fn without_a_fingerprint_or_a_person_nothing_is_recorded() {
        let mut resume = Resume::default();
        resume.bytes_fingerprinted(Some("f00d".into()), 1);
        let upload = resume.start("import".into(), Operation::Create, &rows(3), false, "users.csv");
        resume.follow(Some(&upload), true);
        assert_eq!(resume.take_notes(), vec![], "nobody known to be signed in");
        let mut resume = Resume::default();
        resume.recalled("anne".into(), None);
        resume.bytes_fingerprinted(None, 1);
        let upload = resume.start("import".into(), Operation::Create, &rows(3), false, "users.csv");
        resume.follow(Some(&upload), true);
        assert_eq!(resume.take_notes(), vec![], "no fingerprint");
    }

    #[test]
    fn the_same_file_continues_where_the_answers_end_and_another_does_not() {
        let mut resume = Resume::default();
        resume.recalled("anne".into(), Some(recorded()));
        assert_eq!(resume.continue_clicked(Operation::Create), None, "no file chosen yet");
        resume.file_fingerprinted("f00d".into());
        assert_eq!(resume.continue_clicked(Operation::Create), Some(false));
        assert!(resume.take_continuing());
        assert!(!resume.take_continuing(), "asked once");

        // Bytes read that are not the fingerprinted ones do not continue.
        resume.bytes_fingerprinted(Some("beef".into()), 1);
        assert_eq!(resume.continue_with(Operation::Create, &rows(300)), None);
        // Nor rows that the recorded answers are not of.
        resume.bytes_fingerprinted(Some("f00d".into()), 1);
        assert_eq!(resume.continue_with(Operation::Create, &rows(299)[1..]), None);

        resume.bytes_fingerprinted(Some("f00d".into()), 1);
        let upload = resume.continue_with(Operation::Create, &rows(300)).expect("continued");
        assert_eq!((upload.import_id.as_str(), upload.progress(), upload.next_seq()), ("import", (1, 2), Some(1)));
        assert_eq!(upload.count(Outcome::Created), 150);
        assert_eq!(resume.unfinished(), None, "no longer offered");
        assert_eq!(resume.take_notes(), vec![], "the answers recorded are not noted again");
    }

    #[test]
    fn discarding_forgets_the_record() {
        let mut resume = Resume::default();
        resume.recalled("anne".into(), Some(recorded()));
        resume.discard();
        assert_eq!(resume.offer(Operation::Create), Offer::Nothing);
        assert_eq!(resume.take_notes(), vec![Note::Forget { user_id: "anne".into(), import_id: "import".into() }]);
    }
}
