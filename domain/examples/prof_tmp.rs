use steward_domain::bulk::check::Checker;
use steward_domain::bulk::template::Operation;
use steward_domain::fields::Date;
use steward_domain::lang::Lang;

fn letters(i: usize) -> String { (0..4).rev().map(|k| (b'a' + ((i / 26usize.pow(k)) % 26) as u8) as char).collect() }

fn main() {
    let mut file = String::from("UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper\r\n");
    for i in 0..100_000usize {
        let day = format!("{:02}", 1 + i % 28); let month = format!("{:02}", 1 + (i / 28) % 12);
        let cpr = if i % 2 == 1 { String::new() } else { format!("{day}{month}{}-{:04}", 50 + i % 40, i % 10000) };
        let email = if i % 100 == 7 { format!("broken-{i}") } else { format!("bench{i}@example.dk") };
        let birth = if cpr.is_empty() { format!("{day}-{month}-1985") } else { String::new() };
        file += &["", "Anne", &format!("Hansen{}", letters(i)), &email, &cpr, &birth, "+4512345678", "", "", "password", "Nej", "Nej", "Nej", "", ""].join(";");
        file += "\r\n";
    }
    let bytes = file.into_bytes();
    let today = Date { year: 2026, month: 11, day: 23 };
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let mut checker = Checker::in_memory(bytes.clone(), Operation::Create, Lang::En, today).unwrap().expecting_bytes(bytes.len() as u64);
        while !checker.step(u64::MAX).unwrap().finished {}
        let n = checker.finish().findings.len();
        eprintln!("{n} findings {:?}", started.elapsed());
    }
}
