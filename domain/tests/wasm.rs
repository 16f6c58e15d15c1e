//! The checker compiled to wasm32 and run in headless Chromium gives the same
//! findings as natively for the corpus (the native side is tests/corpus.rs;
//! the expectations here are the same values).
#![cfg(target_arch = "wasm32")]

use steward_domain::bulk::check::{check_bytes, Checker};
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: Date = Date { year: 2026, month: 11, day: 23 };

fn found(bytes: &[u8], operation: Operation) -> Vec<(u64, Option<usize>, String)> {
    check_bytes(bytes, operation, Lang::En, TODAY).findings.into_iter().map(|f| (f.row, f.column, f.code)).collect()
}

#[wasm_bindgen_test]
fn windows_1252_reads_clean_in_the_browser() {
    let report = check_bytes(include_bytes!("files/excel-danish-1252.csv"), Operation::Create, Lang::En, TODAY);
    assert_eq!(report.encoding, "windows-1252");
    assert_eq!(report.rows, 2);
    assert!(report.findings.is_empty());
}

#[wasm_bindgen_test]
fn mistakes_are_found_where_natively_they_are() {
    let codes = found(include_bytes!("files/bom-crlf-mistakes.csv"), Operation::Create);
    assert_eq!(codes.len(), 12);
    assert_eq!(codes[0], (3, Some(3), "name_characters".to_owned()));
    assert_eq!(codes[3], (5, Some(4), "duplicate_email".to_owned()));
    assert_eq!(codes[11], (8, None, "field_count".to_owned()));
    let quoted = found(include_bytes!("files/quoted-line-breaks.csv"), Operation::Create);
    assert_eq!(quoted.iter().map(|f| f.0).collect::<Vec<_>>(), [2, 2, 3]);
    let edit = found(include_bytes!("files/edit-keys.csv"), Operation::Edit);
    assert_eq!(edit.iter().map(|f| f.2.as_str()).collect::<Vec<_>>(), ["too_few_keys", "duplicate_uuid", "must_be_empty"]);
}

/// In the browser the in-memory reader looks at sixteen bytes at once (with
/// vector instructions); the streaming reader (the csv crate) reads byte by
/// byte. Cells of every length from 0 to 30 put delimiters and line breaks
/// at every place in a block, and some lines have quotes; both readers must
/// give the same report, each cell's value included.
#[wasm_bindgen_test]
fn the_vector_reader_reads_cells_as_the_streaming_reader_does() {
    let mut file = String::from("UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper\r\n");
    for row in 0..300usize {
        let cells: Vec<String> = (0..15)
            .map(|column| {
                let len = (row * 7 + column * 3) % 31;
                let text: String = (0..len).map(|i| char::from(b'a' + ((row + column + i) % 26) as u8)).collect();
                if row % 11 == 0 && column == 2 { format!("\"{text};x\"\"y\"") } else { text }
            })
            .collect();
        file.push_str(&cells.join(";"));
        file.push_str(["\r\n", "\n", "\r"][row % 3]);
    }
    let streamed = {
        let mut checker = Checker::new(file.as_bytes(), Operation::Create, Lang::En, TODAY).unwrap();
        while !checker.step(u64::MAX).unwrap().finished {}
        checker.finish()
    };
    let in_memory = check_bytes(file.as_bytes(), Operation::Create, Lang::En, TODAY);
    assert_eq!(in_memory.rows, 300);
    assert!(in_memory.findings.len() > 1000, "the junk cells are reported with their values");
    assert_eq!(in_memory, streamed);
}
