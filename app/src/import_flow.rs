//! The import page's logic, apart from rendering: which rows go up, in
//! which chunks, what came back, and which slice of a long table to draw.

use std::collections::{BTreeMap, BTreeSet};

use steward_domain::bulk::check::{FileProblem, Finding, Report};
use steward_domain::bulk::import::{chunks, BulkRow, ChunkResult, Outcome, RowOutcome};
use steward_domain::bulk::report::{self, csv_line};
use steward_domain::bulk::template::Operation;
use steward_domain::format;
use steward_domain::lang::Lang;

use crate::i18n::*;
use crate::language::locale;

/// A count as the import page writes it: with the thousands separator in
/// Danish and German (`30.000`); in English as digits alone (`30000`), as
/// the page has always written it.
pub fn count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => n.to_string(),
        Lang::Da | Lang::De => format::number(lang, n as u64),
    }
}

/// The message `key.one` or `key.other` of the catalogue, as `n` asks, with
/// `n` written as `count` and any further placeholders:
/// `counted!(lang, rows, import.upload.create)`.
macro_rules! counted {
    ($lang:expr, $n:expr, $($segment:ident).+ $(, $name:ident = $value:expr)*) => {{
        let (lang, n): (steward_domain::lang::Lang, usize) = ($lang, $n);
        let count = $crate::import_flow::count(lang, n);
        match steward_domain::format::plural(lang, n as u64) {
            steward_domain::format::Plural::One => {
                $crate::i18n::td_string!($crate::language::locale(lang), $($segment).+.one, count = count $(, $name = $value)*).to_string()
            }
            steward_domain::format::Plural::Other => {
                $crate::i18n::td_string!($crate::language::locale(lang), $($segment).+.other, count = count $(, $name = $value)*).to_string()
            }
        }
    }};
}
pub(crate) use counted;

/// The name the corrected file is saved under: `users.csv` → `users-corrected.csv`.
pub fn corrected_file_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}-corrected.csv")
}

/// Whether the checked file may be uploaded, and which rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// No findings: every row goes up.
    AllRows(usize),
    /// Findings on some rows only: the rest may go up if the administrator
    /// says so.
    ValidRowsOnly { valid: usize, with_findings: usize },
    /// A finding about the file itself (header, size): nothing can go up.
    Blocked,
    /// No data rows.
    Empty,
}

pub fn readiness(report: &Report) -> Readiness {
    // Findings on the header or about the file as a whole block the upload.
    if report.findings.iter().any(|f| f.row == 1 || FileProblem::of_code(&f.code).is_some()) {
        return Readiness::Blocked;
    }
    if report.rows == 0 {
        return Readiness::Empty;
    }
    let with_findings = report.findings.iter().map(|f| f.row).collect::<BTreeSet<u64>>().len();
    if with_findings == 0 {
        Readiness::AllRows(report.rows as usize)
    } else {
        Readiness::ValidRowsOnly { valid: report.rows as usize - with_findings, with_findings }
    }
}

/// The rows without findings.
pub fn valid_rows(report: &Report, rows: &[BulkRow]) -> Vec<BulkRow> {
    let bad: BTreeSet<u64> = report.findings.iter().map(|f| f.row).collect();
    rows.iter().filter(|row| !bad.contains(&row.row)).cloned().collect()
}

/// An upload in progress: chunks in order, each sent until the server has
/// it. The import id and sequence numbers make resending safe. Chunks are
/// cut once, by the statements their rows take (`import::chunks`, the rule
/// the server refuses an over-large chunk by), so that resuming sends the
/// same chunks.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub import_id: String,
    chunks: Vec<Vec<BulkRow>>,
    /// The first and last row of each chunk as cut, before any refused row
    /// left it.
    bounds: Vec<(u64, u64)>,
    /// Chunks the server has answered.
    done: usize,
    outcomes: BTreeMap<u64, RowOutcome>,
}

impl Upload {
    pub fn new(import_id: String, operation: Operation, rows: &[BulkRow]) -> Upload {
        let chunks = chunks(operation, rows);
        let bounds = chunks.iter().map(|chunk| (chunk[0].row, chunk[chunk.len() - 1].row)).collect();
        Upload { import_id, chunks, bounds, done: 0, outcomes: BTreeMap::new() }
    }

    /// An upload that a closed tab or a reload left unfinished, continued:
    /// the rows cut into the same chunks, the `answers` recorded for the
    /// first of them applied (each row's outcome once), sending to go on at
    /// the first chunk unanswered. None when an answer is not of exactly
    /// the rows of its chunk: the rows are not those uploaded before.
    pub fn resumed(import_id: String, operation: Operation, rows: &[BulkRow], answers: &[ChunkResult]) -> Option<Upload> {
        let mut upload = Upload::new(import_id, operation, rows);
        for (seq, answer) in answers.iter().enumerate() {
            let chunk = upload.chunks.get(seq)?;
            let answered: BTreeSet<u64> = answer.outcomes.iter().map(|o| o.row).collect();
            if answer.seq as usize != seq || answered.len() != answer.outcomes.len() || !answered.iter().copied().eq(chunk.iter().map(|r| r.row)) {
                return None;
            }
            upload.accept(answer.clone());
        }
        Some(upload)
    }

    /// The answer to chunk `seq` once acknowledged: the outcome of each of
    /// its rows, those the server refused before it went included.
    pub fn answer(&self, seq: usize) -> Option<ChunkResult> {
        let &(first, last) = self.bounds.get(seq).filter(|_| seq < self.done)?;
        let outcomes = self.outcomes.range(first..=last).map(|(_, outcome)| outcome.clone()).collect();
        Some(ChunkResult { seq: seq as u32, outcomes, replayed: false })
    }

    /// The next chunk to send, with its sequence number.
    pub fn next_chunk(&self) -> Option<(u32, Vec<BulkRow>)> {
        self.chunks.get(self.done).map(|rows| (self.done as u32, rows.clone()))
    }

    /// The sequence number of the next chunk to send.
    pub fn next_seq(&self) -> Option<u32> {
        (self.done < self.chunks.len()).then_some(self.done as u32)
    }

    pub fn accept(&mut self, result: ChunkResult) {
        if result.seq as usize != self.done {
            return;
        }
        for outcome in result.outcomes {
            self.outcomes.insert(outcome.row, outcome);
        }
        self.done += 1;
    }

    /// The server refused rows of the current chunk: they are reported as
    /// rejected and the chunk is sent again without them (nothing of it was
    /// saved, so its sequence number is still free). False when the findings
    /// name none of the chunk's rows: sending it again would be refused again.
    pub fn reject(&mut self, findings: &[Finding]) -> bool {
        let Some(rows) = self.chunks.get_mut(self.done) else { return false };
        let mut reasons: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        for finding in findings {
            let at = finding.header.as_deref().map(|h| format!("{h}: ")).unwrap_or_default();
            reasons.entry(finding.row).or_default().push(format!("{at}{}", finding.message));
        }
        let before = rows.len();
        rows.retain(|row| !reasons.contains_key(&row.row));
        if rows.len() == before {
            return false;
        }
        for (row, reasons) in reasons {
            self.outcomes.insert(row, RowOutcome { row, outcome: Outcome::Rejected, user_id: None, reason: Some(reasons.join("; ")) });
        }
        if rows.is_empty() {
            self.done += 1;
        }
        true
    }

    /// Chunks answered and chunks in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.chunks.len())
    }

    pub fn outcomes(&self) -> Vec<RowOutcome> {
        self.outcomes.values().cloned().collect()
    }

    /// How many rows came out as `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.outcomes.values().filter(|o| o.outcome == outcome).count()
    }

    pub fn created_ids(&self) -> Vec<String> {
        self.outcomes.values().filter(|o| o.outcome == Outcome::Created).filter_map(|o| o.user_id.clone()).collect()
    }
}

pub fn outcome_label(lang: Lang, outcome: Outcome) -> String {
    let locale = locale(lang);
    match outcome {
        Outcome::Created => td_string!(locale, import.results.outcome.created),
        Outcome::Updated => td_string!(locale, import.results.outcome.updated),
        Outcome::Deleted => td_string!(locale, import.results.outcome.deleted),
        Outcome::Rejected => td_string!(locale, import.results.outcome.rejected),
    }
    .to_string()
}

/// The results as a CSV file (`;`-separated, like the template), in `lang`.
pub fn results_csv(lang: Lang, outcomes: &[RowOutcome]) -> String {
    let locale = locale(lang);
    let mut text = csv_line(&[
        td_string!(locale, import.results.column.row).to_string(),
        td_string!(locale, import.results.column.result).to_string(),
        td_string!(locale, import.results.column.uuid).to_string(),
        td_string!(locale, import.results.column.reason).to_string(),
    ]);
    for outcome in outcomes {
        text.push_str(&csv_line(&[
            outcome.row.to_string(),
            outcome_label(lang, outcome.outcome),
            outcome.user_id.clone().unwrap_or_default(),
            outcome.reason.clone().unwrap_or_default(),
        ]));
    }
    text
}

/// The findings as a CSV file for download, headed in `lang` (UTF-8 with
/// BOM, for Excel); the messages are in the language the file was checked in.
pub fn findings_csv(lang: Lang, report: &Report) -> String {
    let locale = locale(lang);
    let headers = [
        td_string!(locale, import.findings.csv.row).to_string(),
        td_string!(locale, import.findings.csv.column).to_string(),
        td_string!(locale, import.findings.csv.header).to_string(),
        td_string!(locale, import.findings.csv.code).to_string(),
        td_string!(locale, import.findings.csv.message).to_string(),
        td_string!(locale, import.findings.csv.value).to_string(),
        td_string!(locale, import.findings.csv.suggestion).to_string(),
    ];
    report::findings_csv(&headers, report)
}

/// The slice of a long list that a scrolled box of `viewport` pixels shows,
/// with a few rows to spare on each side: (first index, end index).
pub fn visible_range(scroll_top: f64, viewport: f64, row_height: f64, total: usize) -> (usize, usize) {
    const SPARE: usize = 8;
    let first = ((scroll_top / row_height).floor().max(0.0) as usize).min(total);
    let shown = (viewport / row_height).ceil() as usize;
    (first.saturating_sub(SPARE), (first + shown + SPARE).min(total))
}

/// The typed confirmation a delete asks for: the number of users.
pub fn delete_confirmed(typed: &str, count: usize) -> bool {
    typed.trim() == count.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_domain::bulk::import::{chunk_shape_problem, ImportChunk, CHUNK_ROWS};
    use steward_domain::bulk::template::Column;

    fn row(number: u64) -> BulkRow {
        BulkRow { row: number, cells: vec![String::new(); 15] }
    }

    fn finding(row: u64, column: Option<usize>) -> Finding {
        Finding { row, column, header: column.map(|_| "E-mail".into()), code: "x".into(), message: "bad".into(), value: None, suggestion: None }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report { operation: Operation::Create, encoding: "UTF-8".into(), delimiter: ";".into(), rows: 3, notices: vec![], findings }
    }

    #[test]
    fn readiness_follows_the_findings() {
        let rows = vec![row(2), row(3), row(4)];
        assert_eq!(readiness(&report(vec![])), Readiness::AllRows(3));
        let two_on_one_row = vec![finding(3, Some(4)), finding(3, Some(5))];
        assert_eq!(readiness(&report(two_on_one_row)), Readiness::ValidRowsOnly { valid: 2, with_findings: 1 });
        assert_eq!(readiness(&report(vec![finding(1, Some(2))])), Readiness::Blocked);
        let mut too_large = finding(3, None);
        too_large.code = FileProblem::TooLarge.code().into();
        assert_eq!(readiness(&report(vec![too_large])), Readiness::Blocked);
        assert_eq!(readiness(&Report { rows: 0, ..report(vec![]) }), Readiness::Empty);
        assert_eq!(valid_rows(&report(vec![finding(3, Some(4))]), &rows).iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);
    }

    #[test]
    fn an_upload_walks_its_chunks_and_a_replayed_answer_counts_once() {
        let rows: Vec<BulkRow> = (2..302).map(row).collect();
        let mut upload = Upload::new("id".into(), Operation::Create, &rows);
        assert_eq!(upload.progress(), (0, 2));
        let (seq, chunk) = upload.next_chunk().unwrap();
        assert_eq!((seq, chunk.len()), (0, 150));
        let created = |rows: &[BulkRow]| rows.iter().map(|r| RowOutcome { row: r.row, outcome: Outcome::Created, user_id: Some(format!("u{}", r.row)), reason: None }).collect();
        upload.accept(ChunkResult { seq: 0, outcomes: created(&chunk), replayed: false });
        upload.accept(ChunkResult { seq: 0, outcomes: created(&chunk), replayed: true });
        assert_eq!(upload.progress(), (1, 2));
        let (seq, chunk) = upload.next_chunk().unwrap();
        assert_eq!(seq, 1);
        upload.accept(ChunkResult { seq: 1, outcomes: created(&chunk), replayed: false });
        assert!(upload.next_chunk().is_none());
        assert_eq!(upload.created_ids().len(), 300);
    }

    #[test]
    fn an_upload_continued_from_its_answers_goes_on_at_the_first_unanswered_chunk_with_each_row_once() {
        let rows: Vec<BulkRow> = (2..452).map(row).collect();
        let created = |seq: u32, rows: &[BulkRow]| {
            let outcomes = rows.iter().map(|r| RowOutcome { row: r.row, outcome: Outcome::Created, user_id: Some(format!("u{}", r.row)), reason: None }).collect();
            ChunkResult { seq, outcomes, replayed: false }
        };
        let mut upload = Upload::new("id".into(), Operation::Create, &rows);
        assert!(upload.reject(&[finding(3, Some(4))]));
        let (seq, chunk) = upload.next_chunk().unwrap();
        upload.accept(created(seq, &chunk));
        assert_eq!(upload.answer(1), None, "not answered yet");
        let first = upload.answer(0).expect("answered");
        assert_eq!(first.outcomes.len(), 150, "the refused row with the rows created");
        assert_eq!(first.outcomes[1].outcome, Outcome::Rejected);

        let mut resumed = Upload::resumed("id".into(), Operation::Create, &rows, std::slice::from_ref(&first)).expect("the same rows");
        assert_eq!((resumed.progress(), resumed.next_seq()), ((1, 3), Some(1)));
        assert_eq!(resumed.outcomes(), upload.outcomes());
        // The chunk applied before its answer was lost is answered as replayed,
        // and counts once.
        let (seq, chunk) = resumed.next_chunk().unwrap();
        assert_eq!((seq, chunk[0].row), (1, 152));
        resumed.accept(ChunkResult { replayed: true, ..created(seq, &chunk) });
        resumed.accept(created(seq, &chunk));
        let (seq, chunk) = resumed.next_chunk().unwrap();
        resumed.accept(created(seq, &chunk));
        assert_eq!((resumed.next_chunk(), resumed.count(Outcome::Created), resumed.count(Outcome::Rejected)), (None, 449, 1));

        assert_eq!(Upload::resumed("id".into(), Operation::Create, &rows[1..], std::slice::from_ref(&first)), None, "other rows");
        let second = resumed.answer(1).unwrap();
        assert_eq!(Upload::resumed("id".into(), Operation::Create, &rows, std::slice::from_ref(&second)), None, "not from the first chunk");
        assert_eq!(Upload::resumed("id".into(), Operation::Create, &rows, &[first.clone(), first]), None, "the first chunk twice");
    }

    #[test]
    fn rows_the_server_refuses_are_reported_and_the_chunk_goes_again_without_them() {
        let mut upload = Upload::new("id".into(), Operation::Create, &[row(2), row(3), row(4)]);
        assert!(upload.reject(&[finding(3, Some(4))]));
        let (seq, chunk) = upload.next_chunk().unwrap();
        assert_eq!(seq, 0);
        assert_eq!(chunk.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);
        let outcomes = upload.outcomes();
        assert_eq!(outcomes[0].outcome, Outcome::Rejected);
        assert_eq!(outcomes[0].reason.as_deref(), Some("E-mail: bad"));
        let csv = results_csv(Lang::En, &outcomes);
        assert!(csv.starts_with("Row;Result;UUID;Reason\r\n"));
        assert!(csv.contains("3;Rejected;;E-mail: bad"));
        let csv = results_csv(Lang::Da, &outcomes);
        assert!(csv.starts_with("Række;Resultat;UUID;Begrundelse\r\n"));
        assert!(csv.contains("3;Afvist;;E-mail: bad"));
        assert!(results_csv(Lang::De, &outcomes).contains("3;Abgelehnt;;E-mail: bad"));
    }

    #[test]
    fn rows_that_give_applications_and_groups_go_in_smaller_chunks_the_server_takes() {
        let granting = |number: u64| {
            let mut granting = row(number);
            granting.cells[Column::Roles.number() - 1] = "Invoicing".into();
            granting.cells[Column::Groups.number() - 1] = "Finance team".into();
            granting
        };
        for operation in [Operation::Create, Operation::Edit, Operation::Delete] {
            let rows: Vec<BulkRow> = (2..1002).map(granting).collect();
            let mut upload = Upload::new("id".into(), operation, &rows);
            let mut sent = 0;
            while let Some((seq, chunk)) = upload.next_chunk() {
                assert!(chunk.len() <= CHUNK_ROWS);
                assert_eq!(chunk_shape_problem(&ImportChunk { operation, rows: chunk.clone() }), None, "{operation:?} chunk {seq}");
                sent += chunk.len();
                let outcomes = chunk.iter().map(|r| RowOutcome { row: r.row, outcome: Outcome::Updated, user_id: None, reason: None }).collect();
                upload.accept(ChunkResult { seq, outcomes, replayed: false });
            }
            assert_eq!(sent, rows.len());
            assert!(upload.progress().1 > rows.len() / CHUNK_ROWS, "{operation:?}: smaller chunks than {CHUNK_ROWS} rows");
        }
    }

    #[test]
    fn the_findings_file_is_headed_in_the_language_of_the_page() {
        let english = findings_csv(Lang::En, &report(vec![finding(3, Some(4))]));
        assert_eq!(english, "\u{feff}row;column;header;code;message;value;suggestion\r\n3;4;E-mail;x;bad;;\r\n");
        let danish = findings_csv(Lang::Da, &report(vec![finding(3, Some(4))]));
        assert!(danish.starts_with("\u{feff}række;kolonne;overskrift;kode;besked;værdi;forslag\r\n"));
    }

    #[test]
    fn counts_take_the_language_plural_and_number_format() {
        assert_eq!(counted!(Lang::Da, 1, import.upload.create), "Opret 1 bruger");
        assert_eq!(counted!(Lang::Da, 30_000, import.check.rows_checked), "30.000 rækker tjekket");
        assert_eq!(counted!(Lang::De, 2, import.upload.confirm_delete, typed = 2), "Um 2 Benutzer endgültig zu löschen, geben Sie 2 ein");
        assert_eq!(counted!(Lang::En, 30_000, import.check.rows_checked), "30000 rows checked");
        assert_eq!(counted!(Lang::En, 1, import.upload.create), "Create 1 users");
    }

    #[test]
    fn only_the_visible_slice_is_drawn() {
        assert_eq!(visible_range(0.0, 320.0, 32.0, 50_000), (0, 18));
        assert_eq!(visible_range(32_000.0, 320.0, 32.0, 50_000), (992, 1018));
        assert_eq!(visible_range(1e9, 320.0, 32.0, 50), (42, 50));
        assert_eq!(visible_range(0.0, 320.0, 32.0, 0), (0, 0));
    }

    #[test]
    fn the_corrected_file_is_named_after_the_chosen_one() {
        assert_eq!(corrected_file_name("users.csv"), "users-corrected.csv");
        assert_eq!(corrected_file_name("hr.export.txt"), "hr.export-corrected.csv");
        assert_eq!(corrected_file_name("users"), "users-corrected.csv");
    }

    #[test]
    fn a_delete_is_confirmed_by_typing_the_count() {
        assert!(delete_confirmed(" 12 ", 12));
        assert!(!delete_confirmed("yes", 12));
        assert!(!delete_confirmed("11", 12));
    }
}
