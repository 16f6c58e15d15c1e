//! What a row must satisfy: each planned cell's rule and value, and the operation's row rules.

use std::io::Read;

use super::duplicates::is_key;
use super::reading::Record;
use super::spreadsheet;
use super::{text, Checker, Finding};
use crate::bulk::template::{Column, Operation, Rule};
use crate::email::{Email, LastDomain};
use crate::fields::{self, mask_cpr_input, Cpr, Date, FieldError, IdentityMeans, Name};
use crate::text::{same_text, trim};

impl<R: Read> Checker<R> {
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

    pub(super) fn check_row<C: Record>(&mut self, row: u64, record: &C) {
        if record.len() != self.field_count {
            let message = format!(
                "{} {} / {}",
                text(self.lang, ("Forkert antal felter: forventet", "Wrong number of fields: expected", "Falsche Anzahl Felder: erwartet")),
                self.field_count,
                record.len()
            );
            self.report.findings.push(Finding { row, column: None, header: None, code: "field_count".into(), message, value: None, suggestion: None });
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
            self.report.findings.push(Finding { row, column: None, header: None, code: "too_few_keys".into(), message, value: None, suggestion: None });
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
            Err(error) => self.cell_failed(record, row, column, error),
        }
    }

    /// Parses one non-empty cell; remembers keys to find duplicates.
    #[inline(always)]
    fn check_value<C: Record>(&mut self, record: &C, row: u64, column: Column, value: &str) -> Result<(), FieldError> {
        if let Some(key) = field_rule(column, value, self.today, &mut self.email_domain)? {
            self.see_key(column, key, row, record, value);
        }
        Ok(())
    }

    /// A cell that failed its rule: named as a spreadsheet's doing, with the
    /// value it should probably hold, when it looks like one; otherwise the
    /// rule's own finding. Only failing cells come here, so the passing
    /// path never pays for the recognition.
    #[cold]
    #[inline(never)]
    fn cell_failed<C: Record>(&mut self, record: &C, row: u64, column: Column, error: FieldError) {
        let value = self.cell(record, column);
        match spreadsheet::recognize(column, value, self.today, self.lang) {
            Some(mistake) => {
                let mut finding = finding_about_cell(row, column, mistake.kind.code(), mistake.message, value);
                finding.suggestion = mistake.suggestion;
                self.report.findings.push(finding);
            }
            None => self.field_error(record, row, column, error),
        }
    }
}

/// `column`'s rule for one trimmed, non-empty cell; for a key column, the
/// key that finds its duplicates (UUID bits, e-mail fingerprint, CPR
/// digits). E-mail addresses are checked through `emails`, which skips the
/// rules of the domain that passed last.
#[inline(always)]
fn field_rule(column: Column, value: &str, today: Date, emails: &mut LastDomain) -> Result<Option<u128>, FieldError> {
    match column {
        Column::Uuid => return fields::uuid_key(value).map(Some),
        Column::FirstName | Column::LastName => {
            Name::check(value)?;
        }
        Column::Email => return Ok(Some(Email::fingerprint(emails.check(value)?))),
        Column::Cpr => return Cpr::key_of(value).map(|key| Some(u128::from(key))),
        Column::BirthDate => {
            fields::parse_birth_date(value, today)?;
        }
        Column::Phone => fields::check_phone(value)?,
        Column::PNumber => {
            fields::parse_p_number(value)?;
        }
        Column::SeNumber => {
            fields::parse_se_number(value)?;
        }
        Column::IdentityMeans => IdentityMeans::check_list(value)?,
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
    Ok(None)
}

/// Whether `value` passes `column`'s own rule once trimmed: what a
/// suggested value must do before it is offered.
pub(super) fn passes(column: Column, value: &str, today: Date) -> bool {
    let value = trim(value);
    !value.is_empty() && field_rule(column, value, today, &mut LastDomain::default()).is_ok()
}

/// What a row's cells count for the row as a whole.
#[derive(Default)]
struct RowCounts {
    /// Key cells filled in.
    keys: u32,
    has_cpr_or_birth_date: bool,
}

/// A finding about one cell, showing its value (CPR numbers masked).
pub(super) fn finding_about_cell(row: u64, column: Column, code: &str, message: String, raw: &str) -> Finding {
    let value = match column {
        _ if raw.is_empty() => None,
        Column::Cpr => Some(mask_cpr_input(raw)),
        _ => Some(raw.chars().take(100).collect()),
    };
    Finding { row, column: Some(column.number()), header: Some(column.header().into()), code: code.into(), message, value, suggestion: None }
}

/// The cell of `column`, trimmed, by the header's `positions`.
pub(super) fn cell_of<'r, C: Record>(positions: &[usize], record: &'r C, column: Column) -> &'r str {
    trim(record.get(positions[column.number() - 1]).unwrap_or(""))
}
