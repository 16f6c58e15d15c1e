// Fixing a bulk file's findings in the page: what a spreadsheet did to
// typed values is named with a suggestion, suggestions are taken all at
// once, a cell is corrected by hand (a duplicate that makes is found at
// once), and the corrected file is downloaded and uploaded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

const HEADER = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper";
const line = ({ first = "", last = "", email = "", cpr = "", birth = "", phone = "" }) =>
  ["", first, last, email, cpr, birth, phone, "", "", "", "", "", "", "", ""].join(";");

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8799 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

/** The findings table's rows as [row, column, finding, value], without the buttons. */
async function findingsShown(page) {
  const rows = page.getByRole("region", { name: "Findings" }).getByRole("row");
  const shown = [];
  for (const row of await rows.all()) {
    const cells = await row.getByRole("cell").allTextContents();
    if (cells.length) shown.push(cells.slice(0, 4));
  }
  return shown;
}

test("a LibreOffice file's mistakes are named with suggestions, fixed in the page, and the corrected file goes up", async () => {
  const { page, problems } = await newPage(browser, server.url);
  await signIn(page, "admin@demo.example");
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
  // As LibreOffice Calc saves what was typed as +4512345678, 02-02-1961 and 0101901234.
  const file = Buffer.from([
    HEADER,
    line({ first: "Lise", last: "Libre", email: "lise.libre@demo.example", birth: "02/02/61", phone: "4512345678" }),
    line({ first: "Carl", last: "Calc", email: "carl.calc@demo.example", cpr: "101901234" }),
    line({ first: "Ebbe", last: "Edit", email: "ebbe(at)demo.example", birth: "01-01-1980" }),
  ].join("\r\n") + "\r\n", "utf8");
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name: "calc.csv", mimeType: "text/csv", buffer: file });
  await page.getByText("3 rows checked; 4 findings.").waitFor({ timeout: 60_000 });

  const shown = await findingsShown(page);
  const named = (column) => shown.find(([, header]) => header === column);
  assert.match(named("Telefon")[2], /spreadsheet/i);
  assert.match(named("Fødselsdato")[2], /1961/);
  assert.match(named("CPR-nummer")[3], /^\d+-\*{4}$/);
  assert.ok(!JSON.stringify(shown).includes("101901234") && !JSON.stringify(shown).includes("-1234"), "no CPR number in the findings");
  // The summary names each kind in words, with its count.
  const kinds = await page.getByRole("heading", { name: "Findings by kind" }).locator("xpath=following-sibling::ul[1]").getByRole("listitem").allTextContents();
  assert.equal(kinds.length, 4);
  assert.ok(kinds.every((kind) => !/^[a-z_]+:/.test(kind)), `labels, not codes: ${kinds}`);

  // One suggestion at a time, offered by value (a CPR number masked).
  await page.getByRole("button", { name: "Use 010190-**** in row 3, CPR-nummer" }).waitFor();
  await checkAccessibility(page, "import findings with suggestions");
  await page.getByRole("button", { name: "Accept all 3 suggestions" }).click();
  await page.getByText("3 rows checked; 1 findings.").waitFor();
  await page.getByText("3 cells corrected in the page.").waitFor();

  // A cell corrected by hand is checked with the whole file: here into a duplicate first.
  await page.getByRole("button", { name: "Correct row 4, E-mail" }).click();
  const value = page.getByLabel("New value for row 4, E-mail");
  assert.equal(await value.evaluate((input) => input === document.activeElement), true, "the field has focus");
  await checkAccessibility(page, "import, correcting a cell");
  await value.fill("lise.libre@demo.example");
  await page.getByRole("button", { name: "Save and check again" }).click();
  await page.getByText("3 rows checked; 1 findings.").waitFor();
  assert.match((await findingsShown(page))[0][2], /row 2/);
  await page.getByRole("button", { name: "Correct row 4, E-mail" }).click();
  await page.getByLabel("New value for row 4, E-mail").fill("ebbe.edit@demo.example");
  await page.keyboard.press("Enter");
  await page.getByText("3 rows checked; 0 findings.").waitFor();
  await page.getByText("4 cells corrected in the page.").waitFor();

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the corrected file" }).click();
  const saved = await download;
  assert.equal(saved.suggestedFilename(), "calc-corrected.csv");
  const text = readFileSync(await saved.path(), "utf8");
  assert.ok(text.startsWith("\ufeff" + HEADER + "\r\n"), "UTF-8 with BOM, the file's own header, ';'");
  assert.equal(text.split("\r\n")[1], line({ first: "Lise", last: "Libre", email: "lise.libre@demo.example", birth: "02-02-1961", phone: "+4512345678" }));
  assert.ok(text.includes(";010190-1234;"));
  assert.ok(text.includes(";ebbe.edit@demo.example;"));

  await page.getByRole("button", { name: "Create 3 users" }).click();
  await page.getByText("Done: 3 created, 0 updated, 0 deleted, 0 rejected.").waitFor({ timeout: 60_000 });
  const created = await page.evaluate(async () => (await (await fetch("/api/users?limit=200&q=demo.example")).json()).users.map((u) => u.email));
  for (const email of ["lise.libre@demo.example", "carl.calc@demo.example", "ebbe.edit@demo.example"]) assert.ok(created.includes(email), email);
  assert.deepEqual(problems, []);
});
