//! `steward check` as a script that produces files from an HR system uses it.

use std::process::Command;

use steward_domain::bulk::template::{Column, COLUMNS};

fn steward_check(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_steward")).arg("check").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn corpus(name: &str) -> String {
    format!("{}/../domain/tests/files/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_clean_file_exits_0() {
    let (code, out, _) = steward_check(&["--operation", "create", &corpus("excel-danish-1252.csv")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no findings"));
    assert!(out.contains("windows-1252"));
}

#[test]
fn findings_exit_1_and_json_has_the_documented_shape() {
    let (code, out, _) =
        steward_check(&["--operation", "create", "--format", "json", "--lang", "da", &corpus("bom-crlf-mistakes.csv")]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["operation", "encoding", "delimiter", "rows", "notices", "findings"] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert_eq!(json["operation"], "create");
    assert_eq!(json["rows"], 6);
    let first = &json["findings"][0];
    assert_eq!(first["row"], 3);
    assert_eq!(first["column"], 3);
    assert_eq!(first["header"], "Efternavn");
    assert_eq!(first["code"], "name_characters");
    assert!(first["message"].as_str().unwrap().starts_with("Navnet"));
    assert!(!out.contains("320190-1234"), "a CPR number leaked into the report");
}

/// A file as LibreOffice Calc saves it when its cells were formatted as
/// numbers and dates: the phone lost its +, the CPR number its leading 0,
/// the birth date its form. Each test writes its own (`name`): tests run
/// in parallel.
fn libreoffice_file(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("steward-cli-{name}-{}.csv", std::process::id()));
    let header = COLUMNS.map(Column::header).join(";");
    std::fs::write(&path, format!("{header}\n;Ida;Holm;ida@example.dk;101909876;02/02/61;4512345678;;;;;;;;\n")).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn json_carries_suggestions_with_cpr_numbers_masked() {
    let file = libreoffice_file("json");
    let (code, out, err) = steward_check(&["--operation", "create", "--format", "json", &file]);
    std::fs::remove_file(&file).unwrap();
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["suggestion"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("spreadsheet_cpr_zero_lost", "010190-****"),
            ("spreadsheet_date_reformatted", "02-02-1961"),
            ("spreadsheet_phone_plus_lost", "+4512345678"),
        ]
    );
    assert!(!out.contains("9876"), "a CPR number's serial part leaked: {out}");
}

#[test]
fn text_shows_suggestions_and_counts_findings_by_their_human_label() {
    let file = libreoffice_file("text");
    let (code, out, _) = steward_check(&["--operation", "create", &file]);
    assert_eq!(code, 1);
    assert!(out.contains("; suggestion: +4512345678"), "{out}");
    assert!(out.contains("; suggestion: 010190-****"), "{out}");
    assert!(out.contains("3 findings: Spreadsheet dropped a CPR number's leading 0: 1; Spreadsheet re-formatted a date: 1; Spreadsheet dropped a phone number's +: 1"), "{out}");
    let (_, danish, _) = steward_check(&["--operation", "create", "--lang", "da", &file]);
    std::fs::remove_file(&file).unwrap();
    assert!(danish.contains("Regnearket fjernede + i telefonnummer: 1"), "{danish}");
    assert!(!out.contains("9876") && !danish.contains("9876"), "a CPR number's serial part leaked");
}

#[test]
fn an_unreadable_file_or_bad_usage_exits_2() {
    let (code, _, err) = steward_check(&["--operation", "create", "/no/such/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.csv"));
    let (code, _, err) = steward_check(&["--operation", "rename", "x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown operation"));
}
