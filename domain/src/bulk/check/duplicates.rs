//! Keys that must be unique (UUID, e-mail, CPR): noted row by row, repeats reported at the end.

use std::io::Read;

use super::reading::Record;
use super::rules::finding_about_cell;
use super::{text, Checker, Finding, PartStart};
use crate::bulk::keys::{Buckets, Sightings};
use crate::bulk::memory::MemoryRecords;
use crate::bulk::template::{Column, Operation};
use crate::bulk::MAX_ROWS;
use crate::lang::Lang;

impl<R: Read> Checker<R> {
    /// Sizes the duplicate finders for a file of `bytes`, so that they do not
    /// grow (and copy their keys) row by row.
    pub(super) fn expecting_bytes(mut self, bytes: u64) -> Self {
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

    pub(super) fn add_duplicate_findings(&mut self) {
        let keys = std::mem::take(&mut self.keys).map(Sightings::into_buckets);
        let file = self.memory.as_ref().map_or("", MemoryRecords::text);
        add_duplicate_findings(&mut self.report.findings, &[(&keys, PartStart::default())], file.as_bytes(), &self.copied_keys, self.lang);
    }

    /// Notes a key to find its duplicates at the end, with where its cell's
    /// text is and where in the findings a duplicate's finding belongs.
    #[inline(always)]
    pub(super) fn see_key<C: Record>(&mut self, column: Column, key: u128, row: u64, record: &C, value: &str) {
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

/// The columns whose values must be unique in a file, and the code of a
/// repeat's finding.
pub(super) const KEY_COLUMNS: [(Column, &str); 3] = [(Column::Uuid, "duplicate_uuid"), (Column::Email, "duplicate_email"), (Column::Cpr, "duplicate_cpr")];

pub(super) fn is_key(column: Column) -> bool {
    KEY_COLUMNS.iter().any(|(key_column, _)| *key_column == column)
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
