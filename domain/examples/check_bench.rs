//! Benchmark: checks a generated 100,000-row create file with about 1% bad
//! rows, and prints rows/s and peak memory beside a baseline measured in the
//! same run (the csv crate parsing the same bytes, no checks); and the check
//! in two parts on two threads, merged, beside the check on one.
//! Run: cargo run --release -p steward-domain --example check_bench [rows]

use std::time::Instant;

use steward_domain::bulk::check::Checker;
use steward_domain::bulk::parts;
use steward_domain::bulk::report::csv_line;
use steward_domain::bulk::template::{template_file, Operation};
use steward_domain::fields::Date;
use steward_domain::lang::Lang;

fn generate(rows: usize) -> Vec<u8> {
    let mut file = template_file(Operation::Create).lines().next().unwrap().to_owned() + "\r\n";
    for i in 0..rows {
        let bad = i % 100 == 99;
        let cpr = format!("{:02}{:02}{:02}-{:04}", i % 28 + 1, i % 12 + 1, i % 100, i % 10_000);
        let email = if bad { format!("person{i}@example") } else { format!("person{i}@example.dk") };
        let cells = [
            "", "Anne-Marie", "Sørensen", &email, &cpr, "", "12345678", "", "", "password", "Nej", "Ja", "Nej",
            "reader", "Salg,Lager",
        ];
        file += &csv_line(&cells);
    }
    file.into_bytes()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let file = generate(rows);
    let before = peak_rss_kib();
    let today = Date { year: 2026, month: 11, day: 23 };

    let mut baseline = Vec::new();
    let mut checked = Vec::new();
    let mut in_parts = Vec::new();
    let mut findings = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(file.as_slice());
        let mut record = csv::StringRecord::new();
        let mut n = 0;
        while reader.read_record(&mut record).unwrap() {
            n += record.len();
        }
        assert!(n > 0);
        baseline.push(started.elapsed().as_secs_f64());

        let started = Instant::now();
        // As the import page runs it.
        let mut checker = Checker::in_memory(file.clone(), Operation::Create, Lang::En, today).unwrap();
        while !checker.step(10_000).unwrap().finished {}
        findings = checker.finish().findings.len();
        checked.push(started.elapsed().as_secs_f64());

        // As the import page runs it on two cores: two parts on two threads.
        let started = Instant::now();
        let split = parts::split(&file, 2);
        let reports: Vec<_> = std::thread::scope(|scope| {
            let checking: Vec<_> = (0..split.parts())
                .map(|index| {
                    let part = split.part_of(&file, index);
                    scope.spawn(move || parts::check_part(part, Operation::Create, Lang::En, today, |_| {}))
                })
                .collect();
            checking.into_iter().map(|thread| thread.join().unwrap()).collect()
        });
        let merged = parts::merge(&split, reports, &file, Lang::En).expect("the parts stand for the whole");
        assert_eq!(merged.findings.len(), findings);
        in_parts.push(started.elapsed().as_secs_f64());
    }
    let (baseline, checked, in_parts) = (median(baseline), median(checked), median(in_parts));
    println!("file: {rows} rows x 15 columns, {:.1} MB, {findings} findings", file.len() as f64 / 1e6);
    println!("csv crate parse only (baseline): {:>8.1} ms  {:>10.0} rows/s", baseline * 1e3, rows as f64 / baseline);
    println!("steward check (decode+parse+validate): {:>8.1} ms  {:>10.0} rows/s", checked * 1e3, rows as f64 / checked);
    println!("ratio check / parse-only: {:.2}", checked / baseline);
    println!("steward check in 2 parts on 2 threads: {:>8.1} ms  ({:.2}x faster than one thread)", in_parts * 1e3, checked / in_parts);
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        println!("peak RSS: {:.1} MiB (of which the file itself {:.1} MiB; before checking {:.1} MiB)", after as f64 / 1024.0, file.len() as f64 / 1048576.0, before as f64 / 1024.0);
    }
}
