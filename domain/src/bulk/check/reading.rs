//! Reading a file, streamed through the decoder or in place in memory, as `Record`s.

use std::io::{Cursor, Read};

use super::{text, Checker, FileProblem, Notice, Progress, ReadError, Report};
use crate::bulk::decode::{encoding_label, DecodedReader};
use crate::bulk::memory::{Lines, MemoryRecord, MemoryRecords};
use crate::bulk::template::{Operation, COLUMNS};
use crate::bulk::MAX_BYTES;
use crate::email::LastDomain;
use crate::fields::Date;
use crate::lang::Lang;

/// A record's cells, from the streaming reader or from memory.
pub(super) trait Record {
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

pub(super) fn cells<C: Record>(record: &C) -> impl Iterator<Item = &str> {
    (0..record.len()).filter_map(|index| record.get(index))
}

impl<R: Read> Checker<R> {
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
                self.file_finding(self.last_row, FileProblem::TooLarge);
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

/// `;` unless the header only splits into the template's columns on `,` or
/// tab.
pub(crate) fn choose_delimiter(header_line: &str) -> u8 {
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
