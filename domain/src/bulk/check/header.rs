//! The header row: where each template column is, and the plan each row is checked against.

use std::io::Read;

use super::reading::{cells, Record};
use super::repeats::{plan_tail, PassedValue};
use super::{text, Checker, FileProblem, Finding, Message};
use crate::bulk::template::{Column, Rule, COLUMNS};

impl<R: Read> Checker<R> {
    /// Checks the header, if there is one; false (and finished) when the
    /// file is empty or its header unusable.
    pub(super) fn accept_header<C: Record>(&mut self, header: Option<&C>) -> bool {
        let Some(header) = header else {
            self.file_finding(1, FileProblem::Empty);
            self.finished = true;
            return false;
        };
        let ok = self.check_header(header);
        self.finished = !ok;
        ok
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
                    suggestion: None,
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
            suggestion: None,
        });
    }
}
