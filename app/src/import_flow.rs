//! The import page's logic, apart from rendering: which rows go up, in
//! which chunks, what came back, and which slice of a long table to draw.

use std::collections::{BTreeMap, BTreeSet};

use steward_domain::bulk::check::{FileProblem, Finding, Report};
use steward_domain::bulk::import::{chunks, BulkRow, ChunkResult, Outcome, RowOutcome};
use steward_domain::bulk::report::csv_line;
use steward_domain::bulk::template::Operation;

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
    /// Chunks the server has answered.
    done: usize,
    outcomes: BTreeMap<u64, RowOutcome>,
}

impl Upload {
    pub fn new(import_id: String, operation: Operation, rows: &[BulkRow]) -> Upload {
        Upload { import_id, chunks: chunks(operation, rows), done: 0, outcomes: BTreeMap::new() }
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

pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Created => "Created",
        Outcome::Updated => "Updated",
        Outcome::Deleted => "Deleted",
        Outcome::Rejected => "Rejected",
    }
}

/// The results as a CSV file (`;`-separated, like the template).
pub fn results_csv(outcomes: &[RowOutcome]) -> String {
    let mut text = csv_line(&["Række", "Resultat", "UUID", "Begrundelse"]);
    for outcome in outcomes {
        text.push_str(&csv_line(&[
            outcome.row.to_string(),
            outcome_label(outcome.outcome).to_owned(),
            outcome.user_id.clone().unwrap_or_default(),
            outcome.reason.clone().unwrap_or_default(),
        ]));
    }
    text
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
        Finding { row, column, header: column.map(|_| "E-mail".into()), code: "x".into(), message: "bad".into(), value: None }
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
    fn rows_the_server_refuses_are_reported_and_the_chunk_goes_again_without_them() {
        let mut upload = Upload::new("id".into(), Operation::Create, &[row(2), row(3), row(4)]);
        assert!(upload.reject(&[finding(3, Some(4))]));
        let (seq, chunk) = upload.next_chunk().unwrap();
        assert_eq!(seq, 0);
        assert_eq!(chunk.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, 4]);
        let outcomes = upload.outcomes();
        assert_eq!(outcomes[0].outcome, Outcome::Rejected);
        assert_eq!(outcomes[0].reason.as_deref(), Some("E-mail: bad"));
        let csv = results_csv(&outcomes);
        assert!(csv.starts_with("Række;Resultat;UUID;Begrundelse"));
        assert!(csv.contains("3;Rejected;;E-mail: bad"));
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
    fn only_the_visible_slice_is_drawn() {
        assert_eq!(visible_range(0.0, 320.0, 32.0, 50_000), (0, 18));
        assert_eq!(visible_range(32_000.0, 320.0, 32.0, 50_000), (992, 1018));
        assert_eq!(visible_range(1e9, 320.0, 32.0, 50), (42, 50));
        assert_eq!(visible_range(0.0, 320.0, 32.0, 0), (0, 0));
    }

    #[test]
    fn a_delete_is_confirmed_by_typing_the_count() {
        assert!(delete_confirmed(" 12 ", 12));
        assert!(!delete_confirmed("yes", 12));
        assert!(!delete_confirmed("11", 12));
    }
}
