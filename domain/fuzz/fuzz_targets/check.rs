//! Any bytes, any operation: the reader and checker must never panic, and
//! what they report must be consistent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_domain::bulk::check::Checker;
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let operation = [Operation::Create, Operation::Edit, Operation::Delete][usize::from(selector % 3)];
    let today = Date { year: 2026, month: 11, day: 23 };
    let mut checker = Checker::new(bytes, operation, Lang::Da, today).expect("reading memory never fails");
    // Small steps, as the browser takes them.
    let mut last_rows = 0;
    loop {
        let progress = checker.step(3).expect("reading memory never fails");
        assert!(progress.rows >= last_rows);
        last_rows = progress.rows;
        if progress.finished {
            break;
        }
    }
    let report = checker.finish();
    assert_eq!(report.rows, last_rows);
    for finding in &report.findings {
        assert!(finding.row >= 1);
        assert!(finding.column.map_or(true, |c| (1..=10_000).contains(&c)));
    }
});
