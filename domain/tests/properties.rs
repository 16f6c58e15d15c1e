#![cfg(not(target_arch = "wasm32"))]
//! Properties of the bulk-file engine over generated input.

use proptest::prelude::*;
use steward_domain::bulk::check::{check_bytes, Checker, PartReport, Report};
use steward_domain::bulk::parts::{check_part, merge, split_with};
use steward_domain::bulk::report::csv_line;
use steward_domain::bulk::template::{template_file, Operation, COLUMNS};
use steward_domain::fields::Date;
use steward_domain::lang::Lang;

const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

fn name() -> impl Strategy<Value = String> {
    "[A-Za-zÆØÅæøåÄÖÜäöüßÉéñ]{1,12}( [A-Za-zæøå]{1,12})?(-[A-Za-zæøå]{1,8})?"
}

fn cpr() -> impl Strategy<Value = String> {
    (1u8..=28, 1u8..=12, 0u8..=99, 0u16..=9999, any::<bool>()).prop_map(|(d, m, y, serial, dash)| {
        format!("{d:02}{m:02}{y:02}{}{serial:04}", if dash { "-" } else { "" })
    })
}

fn row() -> impl Strategy<Value = (String, String, String, String, bool)> {
    (name(), name(), cpr(), "[a-z]{1,10}", any::<bool>())
}

/// The streaming path's report: decoded and read by the csv crate.
fn streamed(bytes: &[u8], operation: Operation) -> Report {
    let mut checker = Checker::new(bytes, operation, Lang::En, TODAY).unwrap();
    while !checker.step(7).unwrap().finished {}
    checker.finish()
}

/// The in-memory path's report, read in steps as the import page does.
fn in_memory(bytes: &[u8], operation: Operation) -> Report {
    let mut checker = Checker::in_memory(bytes.to_vec(), operation, Lang::En, TODAY).unwrap();
    while !checker.step(7).unwrap().finished {}
    checker.finish()
}

/// Text shaped like a bulk file's body: cells of the template's kinds of
/// values, quotes, doubled quotes, delimiters and every kind of line break.
fn csv_like_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(";".to_owned()),
        Just("\"".to_owned()),
        Just("\"\"".to_owned()),
        Just("\r\n".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just(" ".to_owned()),
        Just("Ja".to_owned()),
        Just("0101901234".to_owned()),
        Just("a@b.dk".to_owned()),
        Just("01-01-1990".to_owned()),
        "[A-Za-zæøå0-9@.,-]{1,6}",
    ];
    prop::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Both ways of reading a file give the same report, row numbers and
    /// all: the streaming reader (any encoding, any size) and the one-pass
    /// reader of a UTF-8 file in memory.
    #[test]
    fn memory_and_streaming_paths_agree(body in csv_like_body(), op in 0..3usize, bom in any::<bool>()) {
        let operation = [Operation::Create, Operation::Edit, Operation::Delete][op];
        let mut file = if bom { "\u{feff}".to_owned() } else { String::new() };
        file += template_file(operation).lines().next().unwrap();
        file += "\r\n";
        file += &body;
        prop_assert_eq!(in_memory(file.as_bytes(), operation), streamed(file.as_bytes(), operation), "{:?}", file);
    }

    /// The same for text with no template header at all.
    #[test]
    fn both_paths_agree_on_any_text(text in csv_like_body()) {
        prop_assert_eq!(in_memory(text.as_bytes(), Operation::Create), streamed(text.as_bytes(), Operation::Create), "{:?}", text);
    }

    /// Any file the template writer makes from valid values checks clean,
    /// whatever the row count and the casing of Ja/Nej.
    #[test]
    fn written_rows_read_back_clean(rows in prop::collection::vec(row(), 1..40)) {
        let mut file = template_file(Operation::Create).lines().next().unwrap().to_owned() + "\r\n";
        for (i, (first, last, cpr, local, yes)) in rows.iter().enumerate() {
            let mut cells = vec![String::new(); COLUMNS.len()];
            cells[1] = first.clone();
            cells[2] = last.clone();
            cells[3] = format!("{local}.{i}@example.dk");
            // Unique per row: the serial digits are replaced by the row index.
            cells[4] = format!("{}{i:04}", &cpr[..cpr.len() - 4]);
            cells[11] = if *yes { "JA".into() } else { "nej".into() };
            file += &csv_line(&cells);
        }
        let report = check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY);
        prop_assert_eq!(report.findings.clone(), vec![], "{}", file);
        prop_assert_eq!(report.rows, rows.len() as u64);
    }

    /// Cells written by the CSV writer come back as they were, separators,
    /// quotes and line breaks included (formula-like cells and a leading BOM aside: the former are
    /// defused on purpose, the latter the reader takes for a byte-order mark).
    #[test]
    fn csv_cells_round_trip(cells in prop::collection::vec("[^=+@\t\r\u{feff}-][^\r]{0,20}", 15)) {
        let line = csv_line(&cells);
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        let read: Vec<&str> = record.iter().collect();
        prop_assert_eq!(read, cells.iter().map(String::as_str).collect::<Vec<_>>());
    }

    /// Arbitrary bytes never make the checker panic, in any operation.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000), op in 0..3usize) {
        let operation = [Operation::Create, Operation::Edit, Operation::Delete][op];
        let _ = check_bytes(&bytes, operation, Lang::Da, TODAY);
    }

    /// Arbitrary bytes after a valid header exercise the row checks too.
    #[test]
    fn arbitrary_rows_never_panic(body in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = template_file(Operation::Edit).into_bytes();
        bytes.extend(body);
        let _ = check_bytes(&bytes, Operation::Edit, Lang::En, TODAY);
    }
}

/// A cell of a row meant to pass, or to repeat a key: few distinct keys, so
/// that duplicates fall in different parts; sometimes quoted, with a line
/// break or a doubled quote inside.
fn part_cell(column: usize) -> BoxedStrategy<String> {
    match column {
        3 => prop_oneof![
            (0u8..6).prop_map(|n| format!("user{n}@example.dk")),
            (0u8..6).prop_map(|n| format!("\"User{n}@Example.dk\"")),
            Just("broken".to_owned()),
        ]
        .boxed(),
        4 => prop_oneof![(1u8..=9).prop_map(|n| format!("0{n}0190-1234")), Just(String::new())].boxed(),
        5 => Just("01-01-1990".to_owned()).boxed(),
        1 | 2 => prop_oneof![Just("Anne".to_owned()), Just("\"Anne\nMarie\"".to_owned()), Just("\"Bo \"\"B\"\"\"".to_owned())].boxed(),
        10..=12 => prop_oneof![Just("Nej".to_owned()), Just("Ja".to_owned()), Just("x".to_owned())].boxed(),
        _ => Just(String::new()).boxed(),
    }
}

/// Rows of the template's 15 columns, with blank lines, whitespace lines and
/// odd pieces (a lone quote, a short row) among them.
fn rows_for_parts() -> impl Strategy<Value = String> {
    let row = (0..COLUMNS.len()).map(part_cell).collect::<Vec<_>>().prop_map(|cells| cells.join(";"));
    let line = prop_oneof![
        8 => row,
        1 => Just(String::new()),
        1 => Just("  ; ".to_owned()),
        1 => Just("\"".to_owned()),
        1 => Just("a;b".to_owned()),
    ];
    let ending = prop_oneof![Just("\r\n"), Just("\n"), Just("\r")];
    prop::collection::vec((line, ending), 0..60).prop_map(|lines| lines.into_iter().map(|(line, end)| line + end).collect())
}

/// The last nine columns of a row, from the phone number on: passing,
/// failing, and pairs whose text is the same after a quote that one of them
/// opens its first cell with.
const TAILS: [&str; 8] = [
    "12345678;;;password;Nej;Ja;Nej;;Salg",
    "\"12345678\";;;password;Nej;Ja;Nej;;Salg",
    "12345678\";;;password;Nej;Ja;Nej;;Salg",
    "1x;;;password;Nej;Ja;Nej;;Salg",
    "12345678;;;password;Nej;Ja;x;;Salg",
    "12345678;;;password;Nej;Ja;Nej;;\"Salg\"",
    " 12345678;;;password;;Ja;Nej;;Salg ",
    "12345678;;;password;Nej",
];

/// Rows of valid first columns, each with one of `TAILS`.
fn rows_with_tails() -> impl Strategy<Value = String> {
    let ending = prop_oneof![Just("\r\n"), Just("\n")];
    prop::collection::vec((0..TAILS.len(), ending), 0..40).prop_map(|rows| {
        rows.iter().enumerate().map(|(i, (tail, end))| format!(";Anne;Hansen;a{i}@example.dk;0101{:02}-1234;;{}{end}", i % 100, TAILS[*tail])).collect()
    })
}

/// A file checked in parts, each part's report sent as bytes as from a
/// Web Worker; `None` when the parts could not stand for the whole.
fn in_parts(file: &[u8], parts: usize, min_part_bytes: usize, operation: Operation) -> Option<Report> {
    let split = split_with(file, parts, min_part_bytes);
    let reports = (0..split.parts())
        .map(|index| {
            let report = check_part(split.part_of(file, index), operation, Lang::En, TODAY, |_| {});
            PartReport::from_bytes(&report.into_bytes()).expect("a part's report reads back")
        })
        .collect();
    merge(&split, reports, file, Lang::En)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Checking a file in parts gives the report of checking it whole, row
    /// numbers, duplicates across parts and all; or, when a split fell
    /// inside a quoted cell, says it cannot.
    #[test]
    fn parts_merge_into_the_whole_files_report(body in rows_for_parts(), parts in 2..6usize, min in 1..200usize, op in 0..3usize, bom in any::<bool>()) {
        let operation = [Operation::Create, Operation::Edit, Operation::Delete][op];
        let mut file = if bom { "\u{feff}".to_owned() } else { String::new() };
        file += template_file(operation).lines().next().unwrap();
        file += "\r\n";
        file += &body;
        let whole = check_bytes(file.as_bytes(), operation, Lang::En, TODAY);
        if let Some(merged) = in_parts(file.as_bytes(), parts, min, operation) {
            prop_assert_eq!(merged, whole, "{:?}", file);
        } else {
            prop_assert!(file.contains('"') || file.contains('\r'), "only a quote or a lone \\r can make a split fail: {:?}", file);
        }
    }

    /// Rows that repeat their last columns, passing or not: the in-memory
    /// reader, which passes a repeated tail that passed before, reports
    /// what the streaming reader, cell by cell, does.
    #[test]
    fn repeated_tails_are_reported_as_cell_by_cell(body in rows_with_tails(), op in 0..3usize) {
        let operation = [Operation::Create, Operation::Edit, Operation::Delete][op];
        let file = template_file(operation).lines().next().unwrap().to_owned() + "\r\n" + &body;
        prop_assert_eq!(in_memory(file.as_bytes(), operation), streamed(file.as_bytes(), operation), "{:?}", file);
    }

    /// Without quotes and with plain line ends, the parts always stand for
    /// the whole file.
    #[test]
    fn unquoted_files_merge_from_parts(body in rows_for_parts(), parts in 2..6usize, min in 1..200usize) {
        let file = template_file(Operation::Create).lines().next().unwrap().to_owned() + "\n" + &body.replace(['"', '\r'], "");
        let merged = in_parts(file.as_bytes(), parts, min, Operation::Create);
        prop_assert_eq!(merged, Some(check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY)), "{:?}", file);
    }
}
