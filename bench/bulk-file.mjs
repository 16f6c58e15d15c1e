// The bulk create file the benchmarks generate, and their median: one
// definition for bench/bulk-check-browser.mjs and bench/import-200k.mjs.

export const HEADER = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper";
/** A name-safe suffix for row `i` (names hold no digits): 26⁴ of them. */
const letters = (i) => Array.from({ length: 4 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).reverse().join("");

/**
 * A create file of `rows` rows: e-mails `<prefix><i>@example.dk`, every
 * `badEvery`-th one broken (0: none); even rows a CPR number (unique below
 * 210,000 rows: day and month repeat every 336 rows, year and serial every
 * 10,000), odd rows a birth date.
 */
export function bulkFile(rows, { badEvery = 100, prefix = "bench" } = {}) {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    const month = String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0");
    const cpr = i % 2 ? "" : `${day}${month}${String(50 + (i % 40))}-${String(i % 10000).padStart(4, "0")}`;
    const email = badEvery && i % badEvery === 7 ? `broken-${i}` : `${prefix}${i}@example.dk`;
    lines.push(["", "Anne", `Hansen${letters(i)}`, email, cpr, cpr ? "" : `${day}-${month}-1985`, "+4512345678", "", "",
      "password", "Nej", "Nej", "Nej", "", ""].join(";"));
  }
  return Buffer.from(lines.join("\r\n") + "\r\n", "utf8");
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
