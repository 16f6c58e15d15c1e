//! The bulk-file checker: reads a file row by row, applies every field rule
//! and every rule of the operation, and collects findings. It can stop after
//! any number of rows and go on later, so that a browser can draw progress
//! between steps. Streaming (`Checker::new`), its memory grows with the
//! findings and the distinct keys, not with the file; a file already in
//! memory (`Checker::in_memory`) is read in place, without copies.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde::Serialize;

use crate::bulk::decode::{encoding_label, DecodedReader};
use crate::bulk::import::BulkRow;
use crate::bulk::keys::{Buckets, Sightings};
use crate::bulk::memory::{Lines, MemoryRecord, MemoryRecords};
use crate::bulk::template::{Column, Operation, Rule, COLUMNS};
use crate::bulk::{MAX_BYTES, MAX_ROWS};
use crate::email::{Email, LastDomain};
use crate::fields::{self, mask_cpr_input, Cpr, Date, FieldError, IdentityMeans, Name};
use crate::lang::Lang;
use crate::text::{same_text, trim};

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

/// A record's cells, from the streaming reader or from memory.
trait Record {
    fn len(&self) -> usize;
    fn get(&self, index: usize) -> Option<&str>;
    /// Where `cell` (a slice of one of this record's cells) lies in the
    /// file's text, when the record is read in place.
    fn place_in_file(&self, _cell: &str) -> Option<(u32, u32)> {
        None
    }

    /// The record's text in the file from the start of cell `index` to the
    /// end of its last cell, when the record is read in place and that
    /// text alone reads as the cells from `index` on.
    fn text_from(&self, _index: usize) -> Option<&str> {
        None
    }
}

impl Record for csv::StringRecord {
    fn len(&self) -> usize {
        csv::StringRecord::len(self)
    }

    fn get(&self, index: usize) -> Option<&str> {
        csv::StringRecord::get(self, index)
    }
}

impl Record for MemoryRecord<'_> {
    #[inline(always)]
    fn len(&self) -> usize {
        MemoryRecord::len(self)
    }

    #[inline(always)]
    fn get(&self, index: usize) -> Option<&str> {
        MemoryRecord::get(self, index)
    }

    fn place_in_file(&self, cell: &str) -> Option<(u32, u32)> {
        MemoryRecord::place_in_file(self, cell)
    }

    fn text_from(&self, index: usize) -> Option<&str> {
        MemoryRecord::text_from(self, index)
    }
}

fn cells<C: Record>(record: &C) -> impl Iterator<Item = &str> {
    (0..record.len()).filter_map(|index| record.get(index))
}

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
    /// Sizes the duplicate finders for a file of `bytes`, so that they do not
    /// grow (and copy their keys) row by row.
    fn expecting_bytes(mut self, bytes: u64) -> Self {
        // A row of the template takes at least ~60 bytes.
        let rows = (bytes / 60).min(MAX_ROWS) as usize;
        for ((column, _), sightings) in KEY_COLUMNS.iter().zip(&mut self.keys) {
            // A create file's UUID column is empty.
            if !(self.operation == Operation::Create && *column == Column::Uuid) {
                sightings.reserve(rows);
            }
        }
        self
    }

    /// Keeps every non-empty row's cells, in template order, for upload.
    pub fn collecting_rows(mut self) -> Self {
        self.collected = Some(Vec::new());
        self
    }

    /// The report and, when collecting, the rows read.
    pub fn finish_with_rows(mut self) -> (Report, Vec<BulkRow>) {
        self.add_duplicate_findings();
        (self.report, self.collected.unwrap_or_default())
    }

    fn add_duplicate_findings(&mut self) {
        let keys = std::mem::take(&mut self.keys).map(Sightings::into_buckets);
        let file = self.memory.as_ref().map_or("", MemoryRecords::text);
        add_duplicate_findings(&mut self.report.findings, &[(&keys, PartStart::default())], file.as_bytes(), &self.copied_keys, self.lang);
    }

    /// Reads the start of the file: its encoding, delimiter and header.
    pub fn new(input: R, operation: Operation, lang: Lang, today: Date) -> Result<Self, ReadError> {
        let decoded = DecodedReader::new(input)?;
        let (mut checker, delimiter) = Self::starting(operation, lang, today, encoding_label(decoded.encoding()), &decoded.first_line);
        let mut records = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(decoded);
        let mut header = csv::StringRecord::new();
        let has_header = records.read_record(&mut header)?;
        if checker.accept_header(has_header.then_some(&header)) {
            checker.last_line = records.position().line() - 1;
            checker.records = Some(records);
        }
        Ok(checker)
    }

    /// A checker that has read nothing yet, with the notices about the
    /// file's encoding and delimiter; and the delimiter.
    fn starting(operation: Operation, lang: Lang, today: Date, encoding: &str, first_line: &str) -> (Self, u8) {
        let mut notices = Vec::new();
        if encoding == "windows-1252" {
            notices.push(Notice {
                code: "encoding_windows_1252".into(),
                message: text(lang, (
                    "Filen er ikke UTF-8; den er læst som Windows-1252 (sådan gemmer Excel CSV). Kontrollér æ, ø og å.",
                    "The file is not UTF-8; it was read as Windows-1252 (as Excel saves CSV). Check letters such as æ, ø and å.",
                    "Die Datei ist nicht UTF-8; sie wurde als Windows-1252 gelesen (so speichert Excel CSV). Prüfen Sie Umlaute.",
                )),
            });
        } else if encoding.starts_with("UTF-16") {
            notices.push(Notice {
                code: "encoding_utf16".into(),
                message: text(lang, ("Filen er UTF-16 og er omsat.", "The file is UTF-16 and was converted.", "Die Datei ist UTF-16 und wurde umgewandelt.")),
            });
        }
        let delimiter = choose_delimiter(first_line);
        if delimiter != b';' {
            let name = if delimiter == b',' { "','" } else { "tab" };
            notices.push(Notice {
                code: "delimiter".into(),
                message: format!(
                    "{} {name}.",
                    text(lang, (
                        "Filen bruger ikke semikolon som skilletegn; den er læst med",
                        "The file does not use semicolons between fields; it was read with",
                        "Die Datei verwendet kein Semikolon als Trennzeichen; sie wurde gelesen mit",
                    ))
                ),
            });
        }
        let checker = Checker {
            records: None,
            memory: None,
            operation,
            lang,
            today,
            positions: Vec::new(),
            plan: Vec::new(),
            passed: Vec::new(),
            tail: None,
            passed_tail: None,
            email_domain: LastDomain::default(),
            field_count: 0,
            record: csv::StringRecord::new(),
            last_row: 1,
            last_line: 1,
            keys: Default::default(),
            copied_keys: String::new(),
            report: Report {
                operation,
                encoding: encoding.to_owned(),
                delimiter: (delimiter as char).to_string(),
                rows: 0,
                notices,
                findings: Vec::new(),
            },
            finished: false,
            collected: None,
        };
        (checker, delimiter)
    }

    /// Checks the header, if there is one; false (and finished) when the
    /// file is empty or its header unusable.
    fn accept_header<C: Record>(&mut self, header: Option<&C>) -> bool {
        let Some(header) = header else {
            self.file_finding(1, "file_empty", ("Filen er tom.", "The file is empty.", "Die Datei ist leer."));
            self.finished = true;
            return false;
        };
        let ok = self.check_header(header);
        self.finished = !ok;
        ok
    }

    fn file_finding(&mut self, row: u64, code: &str, message: Message) {
        self.report.findings.push(Finding {
            row,
            column: None,
            header: None,
            code: code.into(),
            message: text(self.lang, message),
            value: None,
        });
    }

    /// Maps header cells to template columns; false when the header is
    /// unusable (each problem reported, naming the column).
    fn check_header<C: Record>(&mut self, header: &C) -> bool {
        let mut seen: Vec<Option<Column>> = Vec::new();
        let mut ok = true;
        for (index, cell) in cells(header).enumerate() {
            let cell = cell.trim_start_matches('\u{feff}');
            match Column::from_header(cell) {
                Some(column) if seen.contains(&Some(column)) => {
                    ok = false;
                    self.header_finding(index, cell, "header_duplicate", ("Kolonnen findes to gange", "The column appears twice", "Die Spalte kommt doppelt vor"));
                    seen.push(None);
                }
                Some(column) => seen.push(Some(column)),
                None => {
                    ok = false;
                    self.header_finding(index, cell, "header_unknown", ("Ukendt kolonne", "Unknown column", "Unbekannte Spalte"));
                    seen.push(None);
                }
            }
        }
        for column in COLUMNS {
            if !seen.contains(&Some(column)) {
                ok = false;
                self.report.findings.push(Finding {
                    row: 1,
                    column: None,
                    header: Some(column.header().into()),
                    code: "header_missing".into(),
                    message: format!("{}: {}", text(self.lang, ("Kolonnen mangler", "The column is missing", "Die Spalte fehlt")), column.header()),
                    value: None,
                });
            }
        }
        if ok {
            self.field_count = seen.len();
            self.positions = COLUMNS
                .iter()
                .map(|column| seen.iter().position(|c| *c == Some(*column)).expect("every column was found"))
                .collect();
            self.plan = COLUMNS
                .iter()
                .zip(&self.positions)
                .map(|(column, position)| (*column, column.rule(self.operation), *position))
                .filter(|(_, rule, _)| *rule != Rule::Ignored)
                .collect();
            self.passed = vec![PassedValue::default(); self.plan.len()];
            self.tail = plan_tail(&self.plan);
        }
        ok
    }

    fn header_finding(&mut self, index: usize, cell: &str, code: &str, message: Message) {
        self.report.findings.push(Finding {
            row: 1,
            column: Some(index + 1),
            header: Some(cell.to_owned()),
            code: code.into(),
            message: format!("{}: \"{cell}\"", text(self.lang, message)),
            value: None,
        });
    }

    /// Checks up to `max_rows` more rows.
    pub fn step(&mut self, max_rows: u64) -> Result<Progress, ReadError> {
        if let Some(mut memory) = self.memory.take() {
            let progress = self.step_in_memory(&mut memory, max_rows);
            self.memory = Some(memory);
            return Ok(progress);
        }
        let mut done = 0;
        while !self.finished && done < max_rows {
            let Some(records) = self.records.as_mut() else {
                self.finished = true;
                break;
            };
            let more = records.read_record(&mut self.record)?;
            let bytes_read = records.get_ref().bytes_read();
            if bytes_read > MAX_BYTES {
                self.file_finding(self.last_row, "file_too_large", ("Filen er større end 64 MiB.", "The file is larger than 64 MiB.", "Die Datei ist größer als 64 MiB."));
                self.finished = true;
                break;
            }
            if !more {
                if records.get_ref().had_replacements() {
                    self.report.notices.push(Notice {
                        code: "invalid_characters".into(),
                        message: text(self.lang, (
                            "Nogle tegn kunne ikke læses og er erstattet med �.",
                            "Some characters could not be read and were replaced with �.",
                            "Einige Zeichen konnten nicht gelesen werden und wurden durch � ersetzt.",
                        )),
                    });
                }
                self.finished = true;
                break;
            }
            // Every record ends in a newline (the decoder ensures it), so the
            // reader's position gives the line the record ended on; line
            // breaks inside its cells tell the line it started on.
            let last = records.position().line() - 1;
            let breaks: u64 = self.record.iter().map(|f| f.bytes().filter(|b| *b == b'\n').count() as u64).sum();
            let record = std::mem::take(&mut self.record);
            if self.accept(Lines { first: last - breaks, last }, &record) {
                done += 1;
            }
            self.record = record;
        }
        let bytes_read = self.records.as_ref().map_or(0, |r| r.get_ref().bytes_read());
        Ok(Progress { rows: self.report.rows, bytes_read, finished: self.finished })
    }

    fn step_in_memory(&mut self, memory: &mut MemoryRecords, max_rows: u64) -> Progress {
        let mut done = 0;
        while !self.finished && done < max_rows {
            match memory.next_record() {
                Some(lines) => {
                    if self.accept(lines, &memory.record()) {
                        done += 1;
                    }
                }
                None => self.finished = true,
            }
        }
        Progress { rows: self.report.rows, bytes_read: memory.bytes_read(), finished: self.finished }
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
            self.file_finding(row, "too_many_rows", (
                "Filen har mere end 200.000 rækker; resten er ikke læst.",
                "The file has more than 200,000 rows; the rest was not read.",
                "Die Datei hat mehr als 200.000 Zeilen; der Rest wurde nicht gelesen.",
            ));
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

    fn cell<'r, C: Record>(&self, record: &'r C, column: Column) -> &'r str {
        cell_of(&self.positions, record, column)
    }

    fn cell_finding<C: Record>(&mut self, record: &C, row: u64, column: Column, code: &str, message: String) {
        let finding = finding_about_cell(row, column, code, message, self.cell(record, column));
        self.report.findings.push(finding);
    }

    fn field_error<C: Record>(&mut self, record: &C, row: u64, column: Column, error: FieldError) {
        let message = error.message(self.lang);
        self.cell_finding(record, row, column, error.code(), message);
    }

    fn check_row<C: Record>(&mut self, row: u64, record: &C) {
        if record.len() != self.field_count {
            let message = format!(
                "{} {} / {}",
                text(self.lang, ("Forkert antal felter: forventet", "Wrong number of fields: expected", "Falsche Anzahl Felder: erwartet")),
                self.field_count,
                record.len()
            );
            self.report.findings.push(Finding { row, column: None, header: None, code: "field_count".into(), message, value: None });
            return;
        }
        let mut counts = RowCounts::default();
        // Files repeat their last columns (the Ja/Nej flags, identity
        // means, roles, groups) row after row: a tail that passed before
        // passes again without a look at each cell.
        let tail = self.tail.and_then(|(start, position)| Some((start, record.text_from(position)?)));
        let tail_start = tail.map_or(self.plan.len(), |(start, _)| start);
        for index in 0..tail_start {
            self.check_planned(index, row, record, &mut counts);
        }
        if let Some((_, text)) = tail.filter(|(_, text)| !self.passed_tail.as_deref().is_some_and(|kept| same_text(kept, text))) {
            let findings_before = self.report.findings.len();
            for index in tail_start..self.plan.len() {
                self.check_planned(index, row, record, &mut counts);
            }
            if self.report.findings.len() == findings_before {
                let kept = self.passed_tail.get_or_insert_with(String::new);
                kept.clear();
                kept.push_str(text);
            }
        }
        if self.operation == Operation::Create && !counts.has_cpr_or_birth_date {
            self.field_error(record, row, Column::Cpr, FieldError::CprOrBirthDateRequired);
        }
        if matches!(self.operation, Operation::Edit | Operation::Delete) && counts.keys < 2 {
            let message = text(self.lang, (
                "Rækken skal have mindst to af UUID, E-mail og CPR-nummer.",
                "The row needs at least two of UUID, E-mail and CPR-nummer.",
                "Die Zeile braucht mindestens zwei von UUID, E-mail und CPR-nummer.",
            ));
            self.report.findings.push(Finding { row, column: None, header: None, code: "too_few_keys".into(), message, value: None });
        }
    }

    /// Checks the row's cell in column `index` of the plan.
    #[inline(always)]
    fn check_planned<C: Record>(&mut self, index: usize, row: u64, record: &C, counts: &mut RowCounts) {
        let (column, rule, position) = self.plan[index];
        let value = trim(record.get(position).unwrap_or(""));
        if value.is_empty() {
            if rule == Rule::Required {
                let message = text(self.lang, ("Feltet skal udfyldes.", "This field is required.", "Dieses Feld ist erforderlich."));
                self.cell_finding(record, row, column, "required", message);
            }
            return;
        }
        if rule == Rule::Empty {
            let message = text(self.lang, (
                "Feltet skal være tomt for denne handling.",
                "This field must be empty for this operation.",
                "Dieses Feld muss für diesen Vorgang leer sein.",
            ));
            self.cell_finding(record, row, column, "must_be_empty", message);
            return;
        }
        if rule == Rule::Key {
            counts.keys += 1;
        }
        if matches!(column, Column::Cpr | Column::BirthDate) {
            counts.has_cpr_or_birth_date = true;
        }
        // A value the row above had in this column passed already:
        // columns such as Ja/Nej, the P-number or the identity means
        // repeat row after row. Keys are checked on every row, to find
        // their duplicates.
        if !is_key(column) && self.passed[index].is(value) {
            return;
        }
        match self.check_value(record, row, column, value) {
            Ok(()) => {
                self.passed[index].remember(value);
            }
            Err(error) => self.field_error(record, row, column, error),
        }
    }

    /// Parses one non-empty cell; remembers keys to find duplicates.
    fn check_value<C: Record>(&mut self, record: &C, row: u64, column: Column, value: &str) -> Result<(), FieldError> {
        match column {
            Column::Uuid => {
                let uuid = fields::uuid_key(value)?;
                self.see_key(column, uuid, row, record, value);
            }
            Column::FirstName | Column::LastName => {
                Name::check(value)?;
            }
            Column::Email => {
                let email = self.email_domain.check(value).map_err(FieldError::from)?;
                self.see_key(column, Email::fingerprint(email), row, record, value);
            }
            Column::Cpr => {
                let key = Cpr::key_of(value)?;
                self.see_key(column, u128::from(key), row, record, value);
            }
            Column::BirthDate => {
                fields::parse_birth_date(value, self.today)?;
            }
            Column::Phone => {
                fields::check_phone(value)?;
            }
            Column::PNumber => {
                fields::parse_p_number(value)?;
            }
            Column::SeNumber => {
                fields::parse_se_number(value)?;
            }
            Column::IdentityMeans => {
                IdentityMeans::check_list(value)?;
            }
            Column::Anonymous | Column::MaySign | Column::MaySeal => {
                fields::parse_yes_no(value)?;
            }
            Column::Roles => {
                fields::parse_application_names(value)?;
            }
            Column::Groups => {
                fields::parse_group_names(value)?;
            }
        }
        Ok(())
    }

    /// Notes a key to find its duplicates at the end, with where its cell's
    /// text is and where in the findings a duplicate's finding belongs.
    fn see_key<C: Record>(&mut self, column: Column, key: u128, row: u64, record: &C, value: &str) {
        let text = match record.place_in_file(value) {
            Some((start, end)) => KeyText::File(start, end),
            None => {
                let start = self.copied_keys.len() as u32;
                self.copied_keys.push_str(value);
                KeyText::Copied(start, self.copied_keys.len() as u32)
            }
        };
        let cell = KeyCell { finding_at: self.report.findings.len() as u32, text };
        let slot = KEY_COLUMNS.iter().position(|(key_column, _)| *key_column == column).expect("a key column");
        self.keys[slot].see(key, row, cell);
    }

    /// The findings and what was learnt of the file.
    pub fn finish(mut self) -> Report {
        self.add_duplicate_findings();
        self.report
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

/// Each key seen again becomes a finding, placed among the others as if it
/// had been found when its row was read. `parts` are the keys of each part
/// of the file, in order, with where the part starts; key texts are byte
/// ranges of `file` or of `copied_keys`.
pub(crate) fn add_duplicate_findings(findings: &mut Vec<Finding>, parts: &[(&[Buckets<KeyCell>; 3], PartStart)], file: &[u8], copied_keys: &str, lang: Lang) {
    let same_as = text(lang, ("Samme værdi som i række", "The same value as in row", "Derselbe Wert wie in Zeile"));
    let mut duplicates = Vec::new();
    for (slot, (column, code)) in KEY_COLUMNS.iter().enumerate() {
        let column = *column;
        let seen: Vec<_> = parts.iter().map(|(keys, start)| (&keys[slot], start.rows_before)).collect();
        for (part, repeat) in Buckets::repeats_across(&seen) {
            let start = parts[part].1;
            let raw = match repeat.with.text {
                KeyText::File(from, to) => std::str::from_utf8(&file[(from + start.bytes_before) as usize..(to + start.bytes_before) as usize]).unwrap_or_default(),
                KeyText::Copied(from, to) => &copied_keys[(from + start.copied_before) as usize..(to + start.copied_before) as usize],
            };
            let message = format!("{same_as} {}.", repeat.first_row);
            let finding = finding_about_cell(repeat.row, column, code, message, raw);
            duplicates.push(((repeat.with.finding_at + start.findings_before) as usize, repeat.row, column.number(), finding));
        }
    }
    if duplicates.is_empty() {
        return;
    }
    duplicates.sort_by_key(|(at, row, column, _)| (*at, *row, *column));
    let earlier = std::mem::take(findings);
    let mut duplicates = duplicates.into_iter().peekable();
    for (index, finding) in earlier.into_iter().enumerate() {
        while let Some((_, _, _, duplicate)) = duplicates.next_if(|(at, ..)| *at <= index) {
            findings.push(duplicate);
        }
        findings.push(finding);
    }
    findings.extend(duplicates.map(|(_, _, _, duplicate)| duplicate));
}

/// A short value that passed, kept inline: the usual repeated values
/// (Ja/Nej, a P-number, "password") are short, and comparing or keeping
/// them needs no call to copy memory.
#[derive(Debug, Clone, Copy, Default)]
struct PassedValue {
    bytes: [u8; 23],
    /// 0 when nothing is kept (an empty value is never checked).
    len: u8,
}

impl PassedValue {
    fn is(&self, value: &str) -> bool {
        let (value, len) = (value.as_bytes(), usize::from(self.len));
        value.len() == len && over_windows(len, |at, width| self.bytes[at..at + width] == value[at..at + width])
    }

    fn remember(&mut self, value: &str) {
        let value = value.as_bytes();
        self.len = 0;
        if value.len() <= self.bytes.len() {
            over_windows(value.len(), |at, width| {
                self.bytes[at..at + width].copy_from_slice(&value[at..at + width]);
                true
            });
            self.len = value.len() as u8;
        }
    }
}

/// Calls `window` with overlapping windows that together cover `len` bytes,
/// at most 24 (eight bytes from each end and, past sixteen, the middle eight; four
/// from each end; or byte by byte) until it answers false. Each window has
/// a fixed width, so copying or comparing it needs no call to copy memory,
/// which in WebAssembly costs more than the few bytes.
#[inline(always)]
fn over_windows(len: usize, mut window: impl FnMut(usize, usize) -> bool) -> bool {
    debug_assert!(len <= 24);
    match len {
        0..4 => (0..len).all(|at| window(at, 1)),
        4..8 => window(0, 4) && window(len - 4, 4),
        _ => window(0, 8) && window(len - 8, 8) && (len <= 16 || window(8, 8)),
    }
}

/// The columns whose values must be unique in a file, and the code of a
/// repeat's finding.
const KEY_COLUMNS: [(Column, &str); 3] = [(Column::Uuid, "duplicate_uuid"), (Column::Email, "duplicate_email"), (Column::Cpr, "duplicate_cpr")];

fn is_key(column: Column) -> bool {
    KEY_COLUMNS.iter().any(|(key_column, _)| *key_column == column)
}

/// The plan's last columns whose checks depend on their own value alone
/// (no keys, no CPR number or birth date, which count for the row), when
/// they are also the file's last columns of the plan: where they start in
/// the plan, and the file position of the first of them.
fn plan_tail(plan: &[(Column, Rule, usize)]) -> Option<(usize, usize)> {
    let on_its_own = |(column, rule, _): &(Column, Rule, usize)| !is_key(*column) && *rule != Rule::Key && !matches!(column, Column::Cpr | Column::BirthDate);
    let start = plan.len() - plan.iter().rev().take_while(|entry| on_its_own(entry)).count();
    let first_position = plan[start..].iter().map(|(_, _, position)| *position).min()?;
    plan[..start].iter().all(|(_, _, position)| *position < first_position).then_some((start, first_position))
}

/// What a row's cells count for the row as a whole.
#[derive(Default)]
struct RowCounts {
    /// Key cells filled in.
    keys: u32,
    has_cpr_or_birth_date: bool,
}

/// A key's cell: where its duplicate's finding goes, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyCell {
    pub finding_at: u32,
    pub text: KeyText,
}

/// Byte ranges, in the file in memory or in the copied keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyText {
    File(u32, u32),
    Copied(u32, u32),
}

/// A finding about one cell, showing its value (CPR numbers masked).
fn finding_about_cell(row: u64, column: Column, code: &str, message: String, raw: &str) -> Finding {
    let value = match column {
        _ if raw.is_empty() => None,
        Column::Cpr => Some(mask_cpr_input(raw)),
        _ => Some(raw.chars().take(100).collect()),
    };
    Finding { row, column: Some(column.number()), header: Some(column.header().into()), code: code.into(), message, value }
}

/// `;` unless the header only splits into the template's columns on `,` or
/// tab.
fn choose_delimiter(header_line: &str) -> u8 {
    let columns = |delimiter: char| header_line.split(delimiter).count();
    if columns(';') >= COLUMNS.len() {
        b';'
    } else if columns(',') >= COLUMNS.len() {
        b','
    } else if columns('\t') >= COLUMNS.len() {
        b'\t'
    } else {
        b';'
    }
}

/// The cell of `column`, trimmed, by the header's `positions`.
fn cell_of<'r, C: Record>(positions: &[usize], record: &'r C, column: Column) -> &'r str {
    trim(record.get(positions[column.number() - 1]).unwrap_or(""))
}

impl Checker<Cursor<Vec<u8>>> {
    /// A checker of a whole file in memory: read in one pass when it is
    /// UTF-8 (as nearly every file is) and within the size limit, otherwise
    /// decoded and streamed like any other; either way sized for the file.
    pub fn in_memory(bytes: Vec<u8>, operation: Operation, lang: Lang, today: Date) -> Result<Self, ReadError> {
        let size = bytes.len() as u64;
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        let memory = if utf16 || size > MAX_BYTES { Err(bytes) } else { MemoryRecords::new(bytes) };
        let checker = match memory {
            Ok(mut memory) => {
                let (mut checker, delimiter) = Self::starting(operation, lang, today, "UTF-8", memory.first_line());
                memory.set_delimiter(delimiter);
                let header = memory.next_record();
                if checker.accept_header(header.map(|_| memory.record()).as_ref()) {
                    checker.last_line = header.map_or(1, |lines| lines.last);
                    checker.memory = Some(memory);
                }
                checker
            }
            Err(bytes) => Self::new(Cursor::new(bytes), operation, lang, today)?,
        };
        Ok(checker.expecting_bytes(size))
    }
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
    fn a_passed_value_is_exactly_the_value_kept() {
        for len in 1..=24 {
            let kept: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let mut passed = PassedValue::default();
            passed.remember(&kept);
            // Values past 23 bytes are not kept, so never taken for passed.
            assert_eq!(passed.is(&kept), len <= 23, "{kept}");
            for at in 0..len {
                let mut other = kept.clone().into_bytes();
                other[at] = b'Z';
                assert!(!passed.is(std::str::from_utf8(&other).unwrap()), "{kept} differs at {at}");
            }
            assert!(!passed.is(&kept[..len - 1]) && !passed.is(&format!("{kept}a")), "{kept} is not a shorter or longer value");
        }
    }
}
