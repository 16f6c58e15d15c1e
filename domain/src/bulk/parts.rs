//! One file checked in parts at the same time (the import page hands the
//! parts out to its Web Workers), with the very report that checking it
//! whole gives. The file is split after a line break past each equal share of its
//! bytes, and every part but the first gets the header in front. A line
//! break inside a quoted cell cannot be told from one that ends a record
//! without reading from the start; so the split is a guess that the part
//! before it confirms by not ending inside quotes. When a guess was wrong,
//! or the parts cannot stand for the whole (a part is not UTF-8, or together
//! they pass the row limit), `merge` says so and the file is checked whole.

use std::ops::Range;

use encoding_rs::UTF_8;
use serde::{Deserialize, Serialize};

use crate::bulk::check::{add_duplicate_findings, Checker, KeyCell, KeyText, PartEnd, PartReport, PartStart, Progress, Report};
use crate::bulk::decode::{sniff, SNIFF_BYTES};
use crate::bulk::keys::Buckets;
use crate::bulk::template::Operation;
use crate::bulk::{MAX_BYTES, MAX_ROWS};
use crate::fields::Date;
use crate::lang::Lang;

/// Parts are at least this large: below it, the work of starting a part
/// outweighs what it saves.
const MIN_PART_BYTES: usize = 256 * 1024;

/// Rows checked between two progress reports.
const ROWS_PER_STEP: u64 = 20_000;

/// Where a file is split: its header, and where each part starts and ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    header: Range<usize>,
    /// Part `i` is `bounds[i]..bounds[i + 1]`; the first starts at 0.
    bounds: Vec<usize>,
}

impl Split {
    /// The file as one part.
    pub fn whole(len: usize) -> Split {
        Split { header: 0..0, bounds: vec![0, len] }
    }

    pub fn parts(&self) -> usize {
        self.bounds.len() - 1
    }

    /// The byte ranges that make part `index`, in order: the header (empty
    /// for the first part, which has it already) and the part itself.
    pub fn pieces(&self, index: usize) -> [Range<usize>; 2] {
        let header = if index == 0 { 0..0 } else { self.header.clone() };
        [header, self.bounds[index]..self.bounds[index + 1]]
    }

    /// Part `index` of `file`, ready to check.
    pub fn part_of(&self, file: &[u8], index: usize) -> Vec<u8> {
        let [header, own] = self.pieces(index);
        let mut part = Vec::with_capacity(header.len() + own.len());
        part.extend_from_slice(&file[header]);
        part.extend_from_slice(&file[own]);
        part
    }
}

/// Splits `file` into at most `parts` parts of at least `MIN_PART_BYTES`;
/// one part when it is not UTF-8 at its start (Windows-1252 and UTF-16 are
/// decoded as a stream), too large to check, or its header line holds a
/// quote (a header cell could then span lines).
pub fn split(file: &[u8], parts: usize) -> Split {
    split_with(file, parts, MIN_PART_BYTES)
}

/// `split` with parts of at least `min_part_bytes`.
pub fn split_with(file: &[u8], parts: usize, min_part_bytes: usize) -> Split {
    let whole = Split::whole(file.len());
    let parts = parts.min(file.len() / min_part_bytes.max(1));
    if parts < 2 || file.len() as u64 > MAX_BYTES || sniff(&file[..file.len().min(SNIFF_BYTES)]).0 != UTF_8 {
        return whole;
    }
    let Some(first_break) = file.iter().position(|b| matches!(b, b'"' | b'\r' | b'\n')) else { return whole };
    let header_end = match (file[first_break], file.get(first_break + 1)) {
        (b'\n', _) => first_break + 1,
        (b'\r', Some(b'\n')) => first_break + 2,
        _ => return whole,
    };
    let mut bounds = vec![0];
    for share in 1..parts {
        let from = header_end + (file.len() - header_end) * share / parts;
        let Some(line_break) = file[from..].iter().position(|b| *b == b'\n') else { break };
        let start = from + line_break + 1;
        if start < file.len() && start > bounds[bounds.len() - 1] {
            bounds.push(start);
        }
    }
    bounds.push(file.len());
    Split { header: 0..header_end, bounds }
}

/// Checks one part (or a whole file), reporting progress every few
/// thousand rows.
pub fn check_part(part: Vec<u8>, operation: Operation, lang: Lang, today: Date, mut on_progress: impl FnMut(Progress)) -> PartReport {
    let mut checker = Checker::in_memory(part, operation, lang, today).expect("reading from memory does not fail");
    loop {
        let progress = checker.step(ROWS_PER_STEP).expect("reading from memory does not fail");
        on_progress(progress);
        if progress.finished {
            return checker.finish_part();
        }
    }
}

/// The report of the whole `file` from its parts' reports, in order, as
/// checking it whole gives it; `None` when the parts cannot stand for the
/// whole, and the file must be checked as one part.
pub fn merge(split: &Split, parts: Vec<PartReport>, file: &[u8], lang: Lang) -> Option<Report> {
    if parts.len() != split.parts() {
        return None;
    }
    let mut parts = parts.into_iter();
    let PartReport { mut report, keys, mut copied_keys, end } = parts.next()?;
    let mut keys_of_parts = vec![(keys, PartStart::default())];
    if split.parts() > 1 {
        // The row of the next part's first line in the file.
        let mut next_row = end.filter(|end| !end.in_quotes)?.next_row;
        for (index, part) in parts.enumerate().map(|(index, part)| (index + 1, part)) {
            let end = part.end?;
            if end.in_quotes && index + 1 < split.parts() {
                return None;
            }
            // The part's row 2 (after the header) is the file's `next_row`.
            let [header, own] = split.pieces(index);
            let start = PartStart {
                rows_before: next_row - 2,
                bytes_before: (own.start - header.len()) as u32,
                findings_before: report.findings.len() as u32,
                copied_before: copied_keys.len() as u32,
            };
            report.rows += part.report.rows;
            // The part read its header as the first part did, without
            // findings (or it would not have been read on, nor have an end).
            report.findings.extend(part.report.findings.into_iter().map(|mut finding| {
                finding.row += start.rows_before;
                finding
            }));
            copied_keys.push_str(&part.copied_keys);
            keys_of_parts.push((part.keys, start));
            next_row = end.next_row + start.rows_before;
        }
        if report.rows > MAX_ROWS {
            return None;
        }
    }
    let keys: Vec<_> = keys_of_parts.iter().map(|(keys, start)| (keys, *start)).collect();
    add_duplicate_findings(&mut report.findings, &keys, file, &copied_keys, lang);
    Some(report)
}

/// What a part's report carries besides its keys, as JSON.
#[derive(Serialize, Deserialize)]
struct PartHead {
    report: Report,
    copied_keys: String,
    end: Option<(u64, bool)>,
    keys: [usize; 3],
}

/// Bytes of one key sighting: key, row, where its finding goes, and its
/// text (a tag and a byte range).
const SIGHTING_BYTES: usize = 16 + 4 + 4 + 1 + 4 + 4;

impl PartReport {
    /// The report as bytes, to send from a Web Worker (a JSON head and the
    /// keys packed, as there are one or two per row).
    pub fn into_bytes(self) -> Vec<u8> {
        let PartReport { report, keys, copied_keys, end } = self;
        let head = PartHead { report, copied_keys, end: end.map(|end| (end.next_row, end.in_quotes)), keys: keys.each_ref().map(Buckets::len) };
        let head = serde_json::to_vec(&head).expect("a report serializes");
        let mut bytes = Vec::with_capacity(4 + head.len() + keys.iter().map(Buckets::len).sum::<usize>() * SIGHTING_BYTES);
        bytes.extend_from_slice(&(head.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&head);
        for (key, row, cell) in keys.iter().flat_map(Buckets::iter) {
            let (tag, start, end) = match cell.text {
                KeyText::File(start, end) => (0u8, start, end),
                KeyText::Copied(start, end) => (1u8, start, end),
            };
            bytes.extend_from_slice(&key.to_le_bytes());
            bytes.extend_from_slice(&(row as u32).to_le_bytes());
            bytes.extend_from_slice(&cell.finding_at.to_le_bytes());
            bytes.push(tag);
            bytes.extend_from_slice(&start.to_le_bytes());
            bytes.extend_from_slice(&end.to_le_bytes());
        }
        bytes
    }

    /// A report from `into_bytes`; `None` when the bytes are not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<PartReport> {
        let head_len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
        let head: PartHead = serde_json::from_slice(bytes.get(4..4 + head_len)?).ok()?;
        let mut sightings = bytes.get(4 + head_len..)?.chunks_exact(SIGHTING_BYTES);
        if sightings.len() != head.keys.iter().sum::<usize>() || !sightings.remainder().is_empty() {
            return None;
        }
        let u32_at = |bytes: &[u8], at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
        let mut keys: [Buckets<KeyCell>; 3] = Default::default();
        for (seen, count) in keys.iter_mut().zip(head.keys) {
            *seen = Buckets::from_ordered(sightings.by_ref().take(count).map(|sighting| {
                let key = u128::from_le_bytes(sighting[..16].try_into().expect("sixteen bytes"));
                let (start, end) = (u32_at(sighting, 25), u32_at(sighting, 29));
                let text = if sighting[24] == 0 { KeyText::File(start, end) } else { KeyText::Copied(start, end) };
                (key, u64::from(u32_at(sighting, 16)), KeyCell { finding_at: u32_at(sighting, 20), text })
            }))?;
        }
        let end = head.end.map(|(next_row, in_quotes)| PartEnd { next_row, in_quotes });
        Some(PartReport { report: head.report, keys, copied_keys: head.copied_keys, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper\r\n";

    fn file_of(rows: usize) -> Vec<u8> {
        let mut file = HEADER.to_owned();
        for row in 0..rows {
            file.push_str(&format!(";Anne;Hansen;a{row}@example.dk;;01-02-1985;;;;password;Nej;Nej;Nej;;\r\n"));
        }
        file.into_bytes()
    }

    #[test]
    fn a_large_file_splits_after_line_breaks_into_parts_that_each_have_the_header() {
        let file = file_of(20_000);
        let split = split(&file, 3);
        assert_eq!(split.parts(), 3);
        for index in 0..3 {
            let part = split.part_of(&file, index);
            assert!(part.starts_with(HEADER.as_bytes()), "part {index} starts with the header");
            assert!(part.ends_with(b"\r\n"), "part {index} ends after a line break");
        }
        let bodies: usize = (0..3).map(|index| split.pieces(index)[1].len()).sum();
        assert_eq!(bodies, file.len(), "the parts' own bytes are the file, once each");
    }

    #[test]
    fn small_files_windows_1252_files_and_quoted_headers_are_one_part() {
        assert_eq!(split(&file_of(10), 4).parts(), 1);
        let mut latin = file_of(20_000);
        latin.splice(HEADER.len() + 1..HEADER.len() + 1, [0xe6]);
        assert_eq!(split(&latin, 4).parts(), 1);
        let mut quoted = file_of(20_000);
        quoted.splice(0..0, *b"\"UUID\";");
        assert_eq!(split(&quoted, 4).parts(), 1);
        assert_eq!(split(&file_of(20_000), 1).parts(), 1);
    }
}
