//! `steward check`: checks a bulk file as the browser and the Worker would.

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

use steward_domain::bulk::check::{kind_label, Checker, Report};
use steward_domain::bulk::template::{Column, Operation};
use steward_domain::bulk::MAX_BYTES;
use steward_domain::fields::{mask_cpr_input, Date};
use steward_domain::lang::Lang;

pub const USAGE: &str = "steward check --operation create|edit|delete [--lang da|en|de] [--format text|json] FILE
      exit 0: the file is clean; 1: it has findings; 2: it cannot be read";

struct Options {
    operation: Operation,
    lang: Lang,
    json: bool,
    path: String,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut operation = None;
    let mut lang = Lang::En;
    let mut json = false;
    let mut path = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--operation" => {
                let text = value("--operation")?;
                operation = Some(Operation::parse(&text).ok_or(format!("unknown operation '{text}'"))?);
            }
            "--lang" => {
                let text = value("--lang")?;
                lang = Lang::parse(&text).ok_or(format!("unknown language '{text}'"))?;
            }
            "--format" => match value("--format")?.as_str() {
                "text" => json = false,
                "json" => json = true,
                other => return Err(format!("unknown format '{other}'")),
            },
            other if other.starts_with("--") => return Err(format!("unknown option '{other}'")),
            other if path.is_none() => path = Some(other.to_owned()),
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    Ok(Options {
        operation: operation.ok_or("--operation is required")?,
        lang,
        json,
        path: path.ok_or("FILE is required")?,
    })
}

/// Today's date in UTC, for "birth date not in the future".
fn today() -> Date {
    let days = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() / 86_400) as i64;
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date::new(year, month, day).expect("a real date")
}

fn check_file(options: &Options) -> Result<Report, String> {
    let file = File::open(&options.path).map_err(|e| format!("{}: {e}", options.path))?;
    let size = file.metadata().map_err(|e| format!("{}: {e}", options.path))?.len();
    if size > MAX_BYTES {
        return Err(format!("{}: the file is {size} bytes; at most {MAX_BYTES} are accepted", options.path));
    }
    let mut checker =
        Checker::new(BufReader::new(file), options.operation, options.lang, today()).map_err(|e| e.to_string())?;
    while !checker.step(10_000).map_err(|e| e.to_string())?.finished {}
    Ok(masked_suggestions(checker.finish()))
}

/// The report with each CPR cell's suggested value masked (`DDMMYY-****`)
/// like every CPR number the command prints: the checker suggests the whole
/// number, which the page keeps in the browser, but this output goes to
/// files and logs.
fn masked_suggestions(mut report: Report) -> Report {
    for finding in &mut report.findings {
        if finding.header.as_deref() == Some(Column::Cpr.header()) {
            finding.suggestion = finding.suggestion.as_deref().map(mask_cpr_input);
        }
    }
    report
}

fn print_text(report: &Report, lang: Lang) {
    println!("{} rows, encoding {}, delimiter '{}'", report.rows, report.encoding, report.delimiter.escape_default());
    for notice in &report.notices {
        println!("notice: {}", notice.message);
    }
    for finding in &report.findings {
        let column = match (&finding.column, &finding.header) {
            (Some(number), Some(header)) => format!(" column {number} ({header})"),
            (None, Some(header)) => format!(" ({header})"),
            _ => String::new(),
        };
        let value = finding.value.as_deref().map(|v| format!(" [{v}]")).unwrap_or_default();
        let suggestion = finding.suggestion.as_deref().map(|s| format!("; suggestion: {s}")).unwrap_or_default();
        println!("row {}{column}: {} — {}{value}{suggestion}", finding.row, finding.code, finding.message);
    }
    if report.findings.is_empty() {
        println!("no findings");
    } else {
        // Labels may hold commas: kinds are separated by semicolons.
        let summary: Vec<String> = report.counts_by_code().iter().map(|(code, n)| format!("{}: {n}", kind_label(code, lang))).collect();
        println!("{} findings: {}", report.findings.len(), summary.join("; "));
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_options(args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("steward check: {message}\nusage: {USAGE}");
            return ExitCode::from(2);
        }
    };
    match check_file(&options) {
        Ok(report) => {
            if options.json {
                println!("{}", serde_json::to_string_pretty(&report).expect("a report serializes"));
            } else {
                print_text(&report, options.lang);
            }
            ExitCode::from(u8::from(!report.findings.is_empty()))
        }
        Err(message) => {
            eprintln!("steward check: {message}");
            ExitCode::from(2)
        }
    }
}
