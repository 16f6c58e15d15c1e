//! Writing CSV that is safe to open in a spreadsheet, and the findings report.

use crate::bulk::check::Report;
use crate::bulk::template::Column;
use crate::fields::mask_cpr_input;

/// One cell, escaped: a cell that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, and a
/// cell with `;`, `"` or a line break is quoted. Every CSV Steward writes
/// goes through here.
pub fn csv_cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if defused.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// A whole line of cells, `;`-separated, ending in CRLF.
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|cell| csv_cell(cell.as_ref())).collect::<Vec<_>>().join(";");
    line.push_str("\r\n");
    line
}

/// The findings CSV's column names in English; the app heads the file in
/// the page's language.
pub const FINDINGS_CSV_HEADERS: [&str; 7] = ["row", "column", "header", "code", "message", "value", "suggestion"];

/// The findings as a CSV file for download (UTF-8 with BOM, for Excel),
/// headed by `headers` (row, column, header, code, message, value,
/// suggestion); a suggested CPR number is masked, as its value is.
pub fn findings_csv<S: AsRef<str>>(headers: &[S; 7], report: &Report) -> String {
    let mut out = String::from("\u{feff}");
    out += &csv_line(headers);
    for finding in &report.findings {
        out += &csv_line(&[
            finding.row.to_string(),
            finding.column.map(|c| c.to_string()).unwrap_or_default(),
            finding.header.clone().unwrap_or_default(),
            finding.code.clone(),
            finding.message.clone(),
            finding.value.clone().unwrap_or_default(),
            match (finding.column, &finding.suggestion) {
                (Some(column), Some(suggestion)) if column == Column::Cpr.number() => mask_cpr_input(suggestion),
                (_, suggestion) => suggestion.clone().unwrap_or_default(),
            },
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_separators_quoted() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+45"), "'+45");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("a;b"), "\"a;b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("Anne"), "Anne");
        assert_eq!(csv_line(&["a", "=b"]), "a;'=b\r\n");
    }

    #[test]
    fn suggestions_go_into_the_findings_file_with_cpr_numbers_masked() {
        use crate::bulk::check::check_bytes;
        use crate::bulk::template::{Operation, COLUMNS};
        use crate::fields::Date;
        use crate::lang::Lang;
        let header = COLUMNS.map(Column::header).join(";");
        let file = format!("{header}\n;Carl;Calc;carl@example.dk;101901234;;4512345678;;;;;;;;\n");
        let report = check_bytes(file.as_bytes(), Operation::Create, Lang::En, Date::new(2026, 12, 2).unwrap());
        let csv = findings_csv(&FINDINGS_CSV_HEADERS, &report);
        // Defused as every exported cell is; a spreadsheet shows it as text.
        assert!(csv.contains(";'+4512345678\r\n"), "{csv}");
        assert!(csv.contains(";010190-****\r\n"), "{csv}");
        assert!(!csv.contains("101901234") && !csv.contains("-1234"), "{csv}");
    }
}
