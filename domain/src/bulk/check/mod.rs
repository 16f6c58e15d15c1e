//! The bulk-file checker: reads a file row by row, applies every field rule
//! and every rule of the operation, and collects findings. It can stop after
//! any number of rows and go on later, so that a browser can draw progress
//! between steps. Streaming (`Checker::new`), its memory grows with the
//! findings and the distinct keys, not with the file; a file already in
//! memory (`Checker::in_memory`) is read in place, without copies.
//!
//! Here: the public API (`Checker`, `Report`, `Finding`, `Progress`) and what each record becomes.
//! A cell that fails its rule is also looked at for what a spreadsheet
//! does to typed values (`spreadsheet`); each kind of finding has a human
//! label (`kind_label`).

mod duplicates;
mod header;
mod labels;
mod reading;
mod repeats;
mod rules;
mod spreadsheet;

pub(crate) use duplicates::{add_duplicate_findings, KeyCell, KeyText};
pub use labels::{kind_label, FINDING_CODES};

use std::collections::HashMap;
use std::io::Read;

use serde::Serialize;

use crate::bulk::decode::DecodedReader;
use crate::bulk::import::BulkRow;
use crate::bulk::keys::{Buckets, Sightings};
use crate::bulk::memory::{Lines, MemoryRecords};
use crate::bulk::template::{Column, Operation, Rule, COLUMNS};
use crate::bulk::MAX_ROWS;
use crate::email::LastDomain;
use crate::fields::Date;
use crate::lang::Lang;
use crate::text::trim;
pub(crate) use reading::choose_delimiter;
use reading::{cells, Record};
use repeats::PassedValue;
use rules::cell_of;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// The row as a spreadsheet shows it: the header is row 1.
    pub row: u64,
    /// 1-based column, when the finding is about one cell.
    pub column: Option<usize>,
    pub header: Option<String>,
    pub code: String,
    pub message: String,
    /// The offending value; CPR numbers masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value the cell should probably hold, where a spreadsheet's
    /// change to it can be undone without a guess.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

/// What is wrong with the file as a whole rather than with one of its
/// rows: while such a finding stands, nothing of the file goes up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    TooManyRows,
}

impl FileProblem {
    pub const ALL: [FileProblem; 3] = [FileProblem::Empty, FileProblem::TooLarge, FileProblem::TooManyRows];

    /// The finding's code.
    pub fn code(self) -> &'static str {
        match self {
            FileProblem::Empty => "file_empty",
            FileProblem::TooLarge => "file_too_large",
            FileProblem::TooManyRows => "too_many_rows",
        }
    }

    /// The problem a finding's code names, if it is one about the file.
    pub fn of_code(code: &str) -> Option<FileProblem> {
        FileProblem::ALL.into_iter().find(|problem| problem.code() == code)
    }

    fn message(self) -> Message {
        match self {
            FileProblem::Empty => ("Filen er tom.", "The file is empty.", "Die Datei ist leer."),
            FileProblem::TooLarge => ("Filen er større end 64 MiB.", "The file is larger than 64 MiB.", "Die Datei ist größer als 64 MiB."),
            FileProblem::TooManyRows => (
                "Filen har mere end 200.000 rækker; resten er ikke læst.",
                "The file has more than 200,000 rows; the rest was not read.",
                "Die Datei hat mehr als 200.000 Zeilen; der Rest wurde nicht gelesen.",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Notice {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Report {
    pub operation: Operation,
    pub encoding: String,
    pub delimiter: String,
    /// Data rows read (blank lines not counted).
    pub rows: u64,
    pub notices: Vec<Notice>,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Findings per code, most frequent first.
    pub fn counts_by_code(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for finding in &self.findings {
            *counts.entry(finding.code.as_str()).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().map(|(code, n)| (code.to_owned(), n)).collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts
    }
}

/// What the file said about the checker's progress after a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub rows: u64,
    pub bytes_read: u64,
    pub finished: bool,
}

/// The file could not be read at all (an I/O failure, not a mistake in it).
#[derive(Debug, thiserror::Error)]
#[error("the file could not be read: {0}")]
pub struct ReadError(String);

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> Self {
        ReadError(error.to_string())
    }
}

impl From<csv::Error> for ReadError {
    fn from(error: csv::Error) -> Self {
        ReadError(error.to_string())
    }
}

type Message = (&'static str, &'static str, &'static str);

fn text(lang: Lang, message: Message) -> String {
    lang.pick(message).to_owned()
}

pub struct Checker<R: Read> {
    records: Option<csv::Reader<DecodedReader<R>>>,
    /// The whole file, when it is UTF-8 and in memory: read without the
    /// streaming reader's copies.
    memory: Option<MemoryRecords>,
    operation: Operation,
    lang: Lang,
    today: Date,
    /// Position in the file of each template column.
    positions: Vec<usize>,
    /// The columns the operation reads, in template order, with their rule
    /// and position in the file: what each row is checked against.
    plan: Vec<(Column, Rule, usize)>,
    /// The last value that passed in each column of the plan.
    passed: Vec<PassedValue>,
    /// The plan's last columns, when their cells end each row and their
    /// checks depend on nothing but their own values: where they start in
    /// the plan, and the position of the first of them in the file.
    tail: Option<(usize, usize)>,
    /// The text of those cells in the last row whose tail was checked, when
    /// it passed: a row with the same text passes them too.
    passed_tail: Option<String>,
    /// The domain of the last e-mail address that passed.
    email_domain: LastDomain,
    field_count: usize,
    record: csv::StringRecord,
    /// Spreadsheet row of the last record, and the file line it ended on.
    last_row: u64,
    last_line: u64,
    /// Keys seen in each of `KEY_COLUMNS`, to find duplicates at the end:
    /// UUID bits, e-mail fingerprints, CPR digits.
    keys: [Sightings<KeyCell>; 3],
    /// Key cells that are not slices of the file in memory, kept to show
    /// them in a duplicate's finding.
    copied_keys: String,
    report: Report,
    finished: bool,
    /// The non-empty rows' cells, kept only when asked for (to upload them).
    collected: Option<Vec<BulkRow>>,
}

impl<R: Read> Checker<R> {
    /// Keeps every non-empty row's cells, in template order, for upload.
    pub fn collecting_rows(mut self) -> Self {
        self.collected = Some(Vec::new());
        self
    }

    /// The findings and what was learnt of the file.
    pub fn finish(mut self) -> Report {
        self.add_duplicate_findings();
        self.report
    }

    /// The report and, when collecting, the rows read.
    pub fn finish_with_rows(mut self) -> (Report, Vec<BulkRow>) {
        self.add_duplicate_findings();
        (self.report, self.collected.unwrap_or_default())
    }

    /// What a part of a file yields, to be merged with the other parts:
    /// duplicates are not looked for yet, as they may be in other parts.
    pub fn finish_part(self) -> PartReport {
        // Rows count records and blank lines: a cell's line breaks do not
        // start rows.
        let end = self.memory.as_ref().map(|memory| PartEnd {
            next_row: self.last_row + (memory.line() - self.last_line),
            in_quotes: memory.ended_in_quotes(),
        });
        PartReport { report: self.report, keys: self.keys.map(Sightings::into_buckets), copied_keys: self.copied_keys, end }
    }

    /// One record and the lines it spans; true when it is a data row (not
    /// blank). Blank lines before it are rows in a spreadsheet too.
    fn accept<C: Record>(&mut self, lines: Lines, record: &C) -> bool {
        let row = self.last_row + (lines.first - self.last_line);
        self.last_row = row;
        self.last_line = lines.last;
        if cells(record).all(|field| trim(field).is_empty()) {
            return false;
        }
        self.report.rows += 1;
        if self.report.rows > MAX_ROWS {
            self.report.rows -= 1;
            self.file_finding(row, FileProblem::TooManyRows);
            self.finished = true;
            return false;
        }
        self.check_row(row, record);
        if record.len() == self.field_count {
            if let Some(collected) = self.collected.as_mut() {
                let cells = COLUMNS.iter().map(|column| cell_of(&self.positions, record, *column).to_owned()).collect();
                collected.push(BulkRow { row, cells });
            }
        }
        true
    }

    fn file_finding(&mut self, row: u64, problem: FileProblem) {
        self.report.findings.push(Finding {
            row,
            column: None,
            header: None,
            code: problem.code().into(),
            message: text(self.lang, problem.message()),
            value: None,
            suggestion: None,
        });
    }
}

/// A part of a file checked on its own (see `bulk::parts`).
#[derive(Debug)]
pub struct PartReport {
    pub report: Report,
    /// Keys seen in each of `KEY_COLUMNS`, put in buckets.
    pub(crate) keys: [Buckets<KeyCell>; 3],
    pub(crate) copied_keys: String,
    /// How the part ended, when it was read in memory (valid UTF-8, its
    /// header accepted).
    pub(crate) end: Option<PartEnd>,
}

/// Where a part read in memory ended: the row its next line would be, and
/// whether inside a quoted cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartEnd {
    pub next_row: u64,
    pub in_quotes: bool,
}

/// Where a part's rows, bytes, findings and copied keys start among the
/// whole file's: what its own count from zero.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PartStart {
    pub rows_before: u64,
    pub bytes_before: u32,
    pub findings_before: u32,
    pub copied_before: u32,
}

/// Checks a whole file in memory in one go.
pub fn check_bytes(bytes: &[u8], operation: Operation, lang: Lang, today: Date) -> Report {
    let mut checker = Checker::in_memory(bytes.to_vec(), operation, lang, today).expect("reading from memory does not fail");
    while !checker.step(u64::MAX).expect("reading from memory does not fail").finished {}
    checker.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_about_the_file_are_told_apart_by_their_code() {
        for problem in FileProblem::ALL {
            assert_eq!(FileProblem::of_code(problem.code()), Some(problem));
        }
        let today = Date::new(2026, 11, 23).unwrap();
        let empty = check_bytes(b"", Operation::Create, Lang::En, today);
        assert_eq!(empty.findings.iter().map(|f| FileProblem::of_code(&f.code)).collect::<Vec<_>>(), vec![Some(FileProblem::Empty)]);
        assert_eq!(empty.findings[0].message, "The file is empty.");
        let header = COLUMNS.map(Column::header).join(";");
        let bad_row = check_bytes(format!("{header}\nIda;Holm;not-an-address\n").as_bytes(), Operation::Create, Lang::En, today);
        assert!(!bad_row.findings.is_empty());
        assert!(bad_row.findings.iter().all(|f| FileProblem::of_code(&f.code).is_none()), "{:?}", bad_row.findings);
    }
}
