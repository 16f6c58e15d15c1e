//! A bulk file with cells corrected in the page: written again as UTF-8
//! with BOM and `;` between fields, every other cell, header and blank line
//! as the file had it, so that each row keeps the number the findings gave
//! it and the corrected file checks and uploads like any other.

use std::collections::BTreeMap;
use std::io::Cursor;

use crate::bulk::check::{choose_delimiter, ReadError};
use crate::bulk::decode::DecodedReader;
use crate::bulk::template::Column;

/// New cell values by spreadsheet row (the header is row 1) and template
/// column number (`Column::number`).
pub type Corrections = BTreeMap<(u64, usize), String>;

/// The file with `corrections` applied. Cells are quoted only where CSV
/// needs it; they are not defused as formulas (as the exports are), since
/// this file is the administrator's own data on its way back in, and a
/// leading `'` would change the values.
pub fn corrected_file(bytes: &[u8], corrections: &Corrections) -> Result<String, ReadError> {
    let decoded = DecodedReader::new(Cursor::new(bytes))?;
    let delimiter = choose_delimiter(&decoded.first_line);
    let mut records = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(decoded);
    let mut out = String::from("\u{feff}");
    let mut record = csv::StringRecord::new();
    if !records.read_record(&mut record)? {
        return Ok(out);
    }
    // File position of each template column, by its number.
    let mut positions: BTreeMap<usize, usize> = BTreeMap::new();
    for (position, cell) in record.iter().enumerate() {
        let cell = cell.trim_start_matches('\u{feff}');
        if let Some(column) = Column::from_header(cell) {
            positions.entry(column.number()).or_insert(position);
        }
        if position > 0 {
            out.push(';');
        }
        push_cell(&mut out, cell);
    }
    out.push_str("\r\n");
    // As the checker counts rows: a record's first line, less the lines
    // that blank lines and line breaks in cells took before it.
    let mut last_line = records.position().line() - 1;
    let mut last_row = 1;
    while records.read_record(&mut record)? {
        let last = records.position().line() - 1;
        let breaks: u64 = record.iter().map(|cell| cell.bytes().filter(|b| *b == b'\n').count() as u64).sum();
        let first = last - breaks;
        let row = last_row + (first - last_line);
        for _ in last_row + 1..row {
            out.push_str("\r\n");
        }
        for (position, cell) in record.iter().enumerate() {
            if position > 0 {
                out.push(';');
            }
            let corrected = positions
                .iter()
                .find(|(_, at)| **at == position)
                .and_then(|(number, _)| corrections.get(&(row, *number)));
            push_cell(&mut out, corrected.map_or(cell, String::as_str));
        }
        out.push_str("\r\n");
        last_row = row;
        last_line = last;
    }
    Ok(out)
}

fn push_cell(out: &mut String, cell: &str) {
    if cell.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::check::check_bytes;
    use crate::bulk::template::{Operation, COLUMNS};
    use crate::fields::Date;
    use crate::lang::Lang;

    fn header(delimiter: &str) -> String {
        COLUMNS.map(Column::header).join(delimiter)
    }

    fn row(cells: &[(Column, &str)], delimiter: &str) -> String {
        COLUMNS
            .map(|column| cells.iter().find(|(c, _)| *c == column).map_or("", |(_, v)| *v))
            .join(delimiter)
    }

    fn today() -> Date {
        Date::new(2026, 12, 2).unwrap()
    }

    #[test]
    fn corrected_cells_replace_their_values_and_the_rows_keep_their_numbers() {
        let ida = [(Column::FirstName, "Ida"), (Column::LastName, "Holm"), (Column::Email, "ida@example.dk"), (Column::BirthDate, "02/02/61")];
        let bo = [(Column::FirstName, "Bo"), (Column::LastName, "Berg"), (Column::Email, "bo@example.dk"), (Column::BirthDate, "01-01-1980"), (Column::Phone, "4512345678")];
        // Windows-1252 and commas, a blank line and a quoted cell, as a
        // spreadsheet may write them.
        let text = format!("{}\r\n{}\r\n\r\n{}\r\n", header(","), row(&ida, ","), row(&bo, ",").replace("Berg", "\"Berg\""));
        let before = check_bytes(text.as_bytes(), Operation::Create, Lang::En, today());
        let rows_with_findings: Vec<(u64, Option<usize>)> = before.findings.iter().map(|f| (f.row, f.column)).collect();
        assert_eq!(rows_with_findings, vec![(2, Some(Column::BirthDate.number())), (4, Some(Column::Phone.number()))]);

        let corrections = Corrections::from([
            ((2, Column::BirthDate.number()), "02-02-1961".to_owned()),
            ((4, Column::Phone.number()), "+4512345678".to_owned()),
        ]);
        let corrected = corrected_file(text.as_bytes(), &corrections).unwrap();
        assert!(corrected.starts_with(&format!("\u{feff}{}\r\n", header(";"))));
        assert!(corrected.contains(";02-02-1961;"), "{corrected}");
        assert!(corrected.contains(";Berg;"), "{corrected}");
        assert!(corrected.contains(";+4512345678;"), "{corrected}");
        let after = check_bytes(corrected.as_bytes(), Operation::Create, Lang::En, today());
        assert_eq!(after.findings, vec![], "{corrected}");
        assert_eq!(after.rows, 2);
        assert_eq!(after.delimiter, ";");
    }

    #[test]
    fn a_cell_with_line_breaks_keeps_the_rows_below_it_numbered_as_before() {
        let ok = |name: &str, email: &str| row(&[(Column::FirstName, name), (Column::LastName, "Holm"), (Column::Email, email), (Column::BirthDate, "01-01-1980")], ";");
        let text = format!("{}\n{}\n{}\n", header(";"), ok("\"Ida\nMarie\"", "ida@example.dk"), ok("Bo", "not-an-address"));
        let before = check_bytes(text.as_bytes(), Operation::Create, Lang::En, today());
        let email = before.findings.iter().find(|f| f.column == Some(Column::Email.number())).unwrap();
        let corrections = Corrections::from([((email.row, Column::Email.number()), "bo@example.dk".to_owned())]);
        let corrected = corrected_file(text.as_bytes(), &corrections).unwrap();
        let after = check_bytes(corrected.as_bytes(), Operation::Create, Lang::En, today());
        assert!(after.findings.iter().all(|f| f.column != Some(Column::Email.number())), "{:?}", after.findings);
        assert!(corrected.contains("\"Ida\nMarie\""));
    }

    #[test]
    fn a_correction_makes_a_duplicate_and_the_check_finds_it() {
        let person = |email: &str| row(&[(Column::FirstName, "Ida"), (Column::LastName, "Holm"), (Column::Email, email), (Column::BirthDate, "01-01-1980")], ";");
        let text = format!("{}\n{}\n{}\n", header(";"), person("ida@example.dk"), person("ida@example"));
        let corrections = Corrections::from([((3, Column::Email.number()), "IDA@example.dk".to_owned())]);
        let after = check_bytes(corrected_file(text.as_bytes(), &corrections).unwrap().as_bytes(), Operation::Create, Lang::En, today());
        let found: Vec<(u64, &str)> = after.findings.iter().map(|f| (f.row, f.code.as_str())).collect();
        assert_eq!(found, vec![(3, "duplicate_email")]);
    }
}
