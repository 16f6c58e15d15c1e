#![cfg(not(target_arch = "wasm32"))]
//! Real-looking files and the findings they must give.

use steward_domain::bulk::check::{check_bytes, Report};
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;

const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

fn check(name: &str, operation: Operation) -> Report {
    let bytes = std::fs::read(format!("{}/tests/files/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    check_bytes(&bytes, operation, Lang::En, TODAY)
}

/// (row, column, code) of each finding, in file order.
fn found(report: &Report) -> Vec<(u64, Option<usize>, &str)> {
    report.findings.iter().map(|f| (f.row, f.column, f.code.as_str())).collect()
}

#[test]
fn an_excel_danish_export_in_windows_1252_reads_clean_with_a_notice() {
    let report = check("excel-danish-1252.csv", Operation::Create);
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!(report.rows, 2);
    assert_eq!(found(&report), vec![]);
    assert_eq!(report.notices[0].code, "encoding_windows_1252");
}

#[test]
fn mistakes_are_found_at_the_row_and_column_a_spreadsheet_shows() {
    let report = check("bom-crlf-mistakes.csv", Operation::Create);
    assert_eq!(report.encoding, "UTF-8");
    assert_eq!(report.rows, 6);
    assert_eq!(
        found(&report),
        vec![
            (3, Some(3), "name_characters"),
            (3, Some(4), "email_malformed"),
            (3, Some(5), "cpr_date"),
            (5, Some(4), "duplicate_email"),
            (5, Some(6), "birth_date_invalid"),
            (6, Some(1), "must_be_empty"),
            (6, Some(7), "phone_format"),
            (6, Some(10), "identity_means_unknown"),
            (6, Some(11), "yes_no"),
            (6, Some(5), "cpr_or_birth_date_required"),
            (7, Some(5), "cpr_or_birth_date_required"),
            (8, None, "field_count"),
        ]
    );
    let duplicate = &report.findings[3];
    assert_eq!(duplicate.message, "The same value as in row 2.");
    assert_eq!(report.findings[2].value.as_deref(), Some("320190-****"), "CPR values are masked");
}

#[test]
fn quoted_fields_keep_their_semicolons_and_line_breaks() {
    let report = check("quoted-line-breaks.csv", Operation::Create);
    assert_eq!(report.rows, 2);
    // The first record spans two lines of the file but is one spreadsheet row.
    assert_eq!(
        found(&report),
        vec![(2, Some(2), "name_characters"), (2, Some(3), "name_characters"), (3, Some(4), "email_malformed")]
    );
}

#[test]
fn a_comma_delimited_file_is_read_with_a_notice() {
    let report = check("comma-delimited.csv", Operation::Create);
    assert_eq!(report.delimiter, ",");
    assert_eq!(found(&report), vec![]);
    assert!(report.notices.iter().any(|n| n.code == "delimiter"));
}

#[test]
fn header_mistakes_name_the_column() {
    let report = check("header-mistakes.csv", Operation::Create);
    assert_eq!(report.rows, 0, "no row is checked under a broken header");
    assert_eq!(
        found(&report),
        vec![(1, Some(2), "header_unknown"), (1, Some(15), "header_duplicate"), (1, None, "header_missing"), (1, None, "header_missing")]
    );
    assert!(report.findings[0].message.contains("Fornavne"));
    let missing: Vec<_> = report.findings[2..].iter().map(|f| f.header.clone().unwrap()).collect();
    assert_eq!(missing, ["Fornavn", "Brugergrupper"]);
}

#[test]
fn edit_rows_need_two_keys_and_leave_anonymity_alone() {
    let report = check("edit-keys.csv", Operation::Edit);
    assert_eq!(report.rows, 3);
    assert_eq!(
        found(&report),
        vec![(3, None, "too_few_keys"), (4, Some(1), "duplicate_uuid"), (4, Some(11), "must_be_empty")]
    );
}

#[test]
fn messages_come_in_danish_and_german_too() {
    let bytes = std::fs::read(format!("{}/tests/files/bom-crlf-mistakes.csv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let da = check_bytes(&bytes, Operation::Create, Lang::Da, TODAY);
    let de = check_bytes(&bytes, Operation::Create, Lang::De, TODAY);
    assert_eq!(da.findings[1].message, "E-mail skal have formen navn@eksempel.dk.");
    assert_eq!(de.findings[1].message, "Die E-Mail-Adresse muss die Form name@beispiel.de haben.");
}

fn header() -> String {
    steward_domain::bulk::template::template_file(Operation::Create).lines().next().unwrap().to_owned() + "\n"
}

#[test]
fn more_than_200000_rows_is_reported_and_the_rest_not_read() {
    let mut file = header();
    file += &"x\n".repeat(200_005);
    let report = check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY);
    assert_eq!(report.rows, 200_000);
    let last = report.findings.last().unwrap();
    assert_eq!(last.code, "too_many_rows");
    assert_eq!(last.row, 200_002, "the first row past the limit, as a spreadsheet numbers it");
}

#[test]
fn more_than_64_mib_is_reported() {
    let mut file = header().into_bytes();
    let long_line = format!("{}\n", "x".repeat(1 << 20));
    for _ in 0..65 {
        file.extend_from_slice(long_line.as_bytes());
    }
    let report = check_bytes(&file, Operation::Create, Lang::En, TODAY);
    assert_eq!(report.findings.last().unwrap().code, "file_too_large");
    assert!(report.rows < 65);
}

#[test]
fn the_findings_csv_is_safe_to_open_in_a_spreadsheet() {
    let mut file = header();
    file += ";=HYPERLINK(\"x\");Berg;bo@example.dk;010190-1234;;;;;;;;;;\n";
    let report = check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY);
    let csv = steward_domain::bulk::report::findings_csv(&steward_domain::bulk::report::FINDINGS_CSV_HEADERS, &report);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\u{feff}row;column;header;code;message;value;suggestion");
    assert!(lines[1].starts_with("2;2;Fornavn;name_characters;"), "{}", lines[1]);
    assert!(lines[1].ends_with(";\"'=HYPERLINK(\"\"x\"\")\";"), "{}", lines[1]);
}

#[test]
fn a_value_repeated_down_a_column_is_judged_the_same_on_every_row() {
    let header = steward_domain::bulk::template::template_file(Operation::Create).lines().next().unwrap().to_owned();
    let row = |email: &str, anonymous: &str| format!(";Anne;Hansen;{email};;01-01-1990;12345678;;;password;{anonymous};Nej;Nej;;\r\n");
    let file = header + "\r\n" + &row("a@x.dk", "Nej") + &row("b@x.dk", "Måske") + &row("c@x.dk", "Måske") + &row("d@x.dk", "Nej") + &row("e@x.dk", "nej");
    let report = check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY);
    assert_eq!(report.rows, 5);
    assert_eq!(found(&report), vec![(3, Some(11), "yes_no"), (4, Some(11), "yes_no")]);
}
