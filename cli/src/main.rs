//! `steward`: the command line for administrators and developers.

mod check;
mod demo;

use std::process::ExitCode;

const USAGE: &str = "usage:
  steward check ...    check a bulk file (steward check --help)
  steward demo-seed    print SQL that fills a local D1 with the demo organizations
                       (the sign-in details go to standard error)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check::run(&args[1..]),
        Some("demo-seed") => {
            print!("{}", demo::seed_sql());
            eprintln!("{}", demo::sign_in_details());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
