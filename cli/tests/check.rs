//! `steward check` as a script that produces files from an HR system uses it.

use std::process::Command;

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

#[test]
fn an_unreadable_file_or_bad_usage_exits_2() {
    let (code, _, err) = steward_check(&["--operation", "create", "/no/such/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.csv"));
    let (code, _, err) = steward_check(&["--operation", "rename", "x.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown operation"));
}
