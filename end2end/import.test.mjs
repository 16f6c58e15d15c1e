import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

const HEADER = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper";
const line = ({ uuid = "", first = "", last = "", email = "", cpr = "", birth = "", phone = "" }) =>
  [uuid, first, last, email, cpr, birth, phone, "", "", "", "", "", "", "", ""].join(";");
/** A name-safe suffix for row `i`: letters only (names may not hold digits). */
const letters = (i) => Array.from({ length: 3 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).reverse().join("");
const csv = (rows) => Buffer.from([HEADER, ...rows.map(line)].join("\r\n") + "\r\n", "utf8");

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8791 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

/** An administrator on the import page; `prepare` runs on the page before anything loads. */
async function adminPage(prepare = async () => {}, check = false) {
  const { page, problems } = await newPage(browser, server.url);
  await prepare(page);
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
  if (check) await checkAccessibility(page, "import page");
  return { page, problems };
}

/** The rows of the findings table, as text (row, column, finding, value), without its header or buttons. */
async function findingsShown(page) {
  const shown = [];
  for (const row of await page.getByRole("region", { name: "Findings" }).getByRole("row").all()) {
    const cells = await row.getByRole("cell").allTextContents();
    if (cells.join("").trim()) shown.push(cells.slice(0, 4).join(""));
  }
  return shown;
}

async function choose(page, name, buffer) {
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name, mimeType: "text/csv", buffer });
  await page.getByRole("heading", { name: "Check" }).waitFor({ timeout: 60_000 });
}

/** The organization's users whose name or e-mail contains `q`, through the API as the page's session. */
async function usersMatching(page, q) {
  return page.evaluate(async (q) => {
    const found = [];
    let after = null;
    do {
      const url = `/api/users?limit=200&q=${encodeURIComponent(q)}${after ? `&after=${after}` : ""}`;
      const page = await (await fetch(url)).json();
      found.push(...page.users);
      after = page.next;
    } while (after);
    return found;
  }, q);
}

test("a valid 1,000-row create file is checked and imported, and the users appear", async () => {
  const { page, problems } = await adminPage(undefined, true);
  const rows = Array.from({ length: 1000 }, (_, i) => ({
    first: "Bulk", last: `Person${letters(i)}`, email: `bulk${i}@demo.example`,
    ...(i % 2 ? { birth: "01-02-1990" } : { cpr: `${String(1 + (i % 28)).padStart(2, "0")}${String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0")}85-${String(1000 + i).padStart(4, "0")}` }),
  }));
  await choose(page, "create.csv", csv(rows));
  await page.getByText("1000 rows checked; 0 findings.").waitFor();
  await checkAccessibility(page, "import, checked without findings");
  await page.getByRole("button", { name: "Create 1000 users" }).click();
  await page.getByText("Done: 1000 created, 0 updated, 0 deleted, 0 rejected.").waitFor({ timeout: 60_000 });
  await checkAccessibility(page, "import done, result per row");
  assert.equal((await usersMatching(page, "@demo.example")).filter((u) => u.email.startsWith("bulk")).length, 1000);
  await page.getByRole("button", { name: "Send all link-path users to activation" }).click();
  await page.getByText(/500 users were sent an activation link\. 500 activate by code/).waitFor({ timeout: 60_000 });
  await checkAccessibility(page, "import done, sent to activation");
  await page.getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Search by name or e-mail").fill("Personaah");
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Bulk Personaah" }).waitFor();
  await checkAccessibility(page, "users list, many users");
  assert.deepEqual(problems, []);
});

test("planted mistakes are shown at their rows and columns, can be filtered, and block a full upload", async () => {
  const { page, problems } = await adminPage();
  const file = Buffer.from([
    HEADER,
    line({ first: "Good", last: "One", email: "good.one@demo.example", birth: "01-01-1980" }),
    line({ first: "Bad", last: "Mail", email: "bad-mail", birth: "01-01-1980" }),
    "",
    line({ first: "Bad", last: "Cpr", email: "bad.cpr@demo.example", cpr: "320180-1234" }),
    line({ first: "Dup", last: "Mail", email: "good.one@demo.example", birth: "01-01-1980" }),
    line({ first: "No", last: "Date", email: "no.date@demo.example" }),
  ].join("\n") + "\n");
  await choose(page, "mistakes.csv", file);
  await page.getByText("5 rows checked; 4 findings.").waitFor();
  const shown = await findingsShown(page);
  assert.equal(shown.length, 4);
  assert.match(shown[0], /^3E-mail.*bad-mail$/);
  assert.match(shown[1], /^5CPR-nummer.*320180-\*\*\*\*$/);
  assert.ok(!shown[1].includes("1234"), "the CPR number is masked in findings");
  assert.match(shown[2], /^6E-mail.*row 2/);
  assert.match(shown[3], /^7CPR-nummer/);
  await checkAccessibility(page, "import findings table");
  await page.getByLabel("Show").selectOption("duplicate_email");
  assert.equal((await findingsShown(page)).length, 1);
  await checkAccessibility(page, "import findings, filtered");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the findings (CSV)" }).click();
  const saved = await (await download).path();
  const text = (await import("node:fs")).readFileSync(saved, "utf8");
  assert.ok(text.includes("bad-mail") && !text.includes("320180-1234"));
  assert.equal(await page.getByRole("button", { name: /Create \d+ users/ }).isDisabled(), true);
  await page.getByLabel("Send only the 1 rows without findings").check();
  await page.getByRole("button", { name: "Create 1 users" }).click();
  await page.getByText("Done: 1 created, 0 updated, 0 deleted, 0 rejected.").waitFor();
  await checkAccessibility(page, "import done, rows with findings left out");
  assert.deepEqual(problems, []);
});

test("a large file is checked in parts at once, in Web Workers, with every finding at its row", async () => {
  const { page, problems } = await adminPage();
  const rows = (count) => Array.from({ length: count }, (_, i) => ({ first: "Anne", last: `Part${letters(i)}`, email: `part${i}@demo.example`, birth: "01-01-1980" }));

  // 30,000 rows (over 2 MB): split into more parts than the workers are
  // sent at once, so that a worker takes the next part when it is done
  // with one. Mistakes near the start, a duplicate far from its first row,
  // and a cell whose line break makes one row of two lines, so that later
  // rows are numbered right only if the parts count rows as the whole file
  // does.
  const many = rows(30_000);
  many[1].email = "not-an-address";
  many[500].last = "\"Two\nLines\"";
  many[12_000].email = many[0].email;
  many[13_999].cpr = "320180-1234";
  many[13_999].birth = "";
  await choose(page, "large.csv", csv(many));
  await page.getByText("30000 rows checked; 4 findings.").waitFor();
  const large = await findingsShown(page);
  assert.match(large[0], /^3E-mail.*not-an-address$/);
  assert.match(large[1], /^502Efternavn/);
  assert.match(large[2], /^12002E-mail.*row 2/);
  assert.match(large[3], /^14001CPR-nummer.*320180-\*\*\*\*$/);
  await checkAccessibility(page, "import findings of a large file");
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(page.workers().length, Math.min(cores, 4), "one check worker per core");
  const marks = () => page.evaluate(() => performance.getEntriesByType("mark").map((mark) => mark.name).filter((name) => /parts|whole/.test(name)));
  const merged = await marks();
  assert.equal(merged.length, 1, "the parts' reports were merged");
  const parts = Number(merged[0].match(/^steward-check-parts-(\d+)$/)?.[1]);
  assert.ok(parts > 2 * Math.min(cores, 4), `${merged[0]}: more parts than the workers hold at once`);

  // A quoted cell of many lines across every place the file would be split:
  // the parts cannot stand for the whole, and the page checks it whole.
  const quoted = rows(12_000);
  quoted[1_000].last = `"${Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join("\n")}"`;
  quoted[11_000].email = "also-not-an-address";
  await choose(page, "quoted.csv", csv(quoted));
  await page.getByText("12000 rows checked; 2 findings.").waitFor();
  const whole = await findingsShown(page);
  assert.match(whole[0], /^1002Efternavn/);
  assert.match(whole[1], /^11002E-mail.*also-not-an-address$/);
  if (cores > 1) {
    assert.equal((await marks()).at(-1), "steward-check-whole-again", "the split fell inside the quoted cell");
  }
  assert.deepEqual(problems, []);
});

test("without Web Workers the page checks the file itself, and finds the same", async () => {
  const { page, problems } = await adminPage((page) => page.addInitScript(() => { delete window.Worker; }));
  const rows = Array.from({ length: 8_000 }, (_, i) => ({ first: "Anne", last: `Solo${letters(i)}`, email: `solo${i}@demo.example`, birth: "01-01-1980" }));
  rows[6_000].email = rows[10].email;
  await choose(page, "no-workers.csv", csv(rows));
  await page.getByText("8000 rows checked; 1 findings.").waitFor();
  const shown = await findingsShown(page);
  assert.match(shown[0], /^6002E-mail.*row 12/);
  assert.equal(page.workers().length, 0);
  assert.deepEqual(problems, []);
});

test("a Windows-1252 file with æ, ø and å imports with the right names", async () => {
  const { page, problems } = await adminPage();
  const text = [HEADER, line({ first: "Søren", last: "Æbelø", email: "soeren.aebeloe@demo.example", birth: "03-04-1975" }),
    line({ first: "Åse", last: "Blåbær", email: "aase.blaabaer@demo.example", birth: "05-06-1977" })].join("\r\n") + "\r\n";
  const latin1 = Buffer.from(text, "latin1");
  await choose(page, "excel.csv", latin1);
  await page.getByText(/read as Windows-1252/).first().waitFor();
  await checkAccessibility(page, "import, Windows-1252 notice");
  await page.getByRole("button", { name: "Create 2 users" }).click();
  await page.getByText("Done: 2 created").waitFor();
  const names = (await usersMatching(page, "demo.example")).filter((u) => /aebeloe|blaabaer/.test(u.email)).map((u) => `${u.first_name} ${u.last_name}`);
  assert.deepEqual(names.sort(), ["Søren Æbelø", "Åse Blåbær"]);
  assert.deepEqual(problems, []);
});

test("an edit file changes only the filled cells; a delete file removes users after the typed count", async () => {
  const { page, problems } = await adminPage();
  await choose(page, "seed.csv", csv([
    { first: "Edit", last: "Me", email: "edit.me@demo.example", birth: "01-01-1970", phone: "11111111" },
    { first: "Delete", last: "Me", email: "delete.me@demo.example", birth: "01-01-1970" },
  ]));
  await page.getByRole("button", { name: "Create 2 users" }).click();
  await page.getByText("Done: 2 created").waitFor();
  const [editMe] = (await usersMatching(page, "edit.me@"));
  const [deleteMe] = (await usersMatching(page, "delete.me@"));

  await page.getByLabel("Edit users").check();
  await choose(page, "edit.csv", csv([{ uuid: editMe.id, email: "edit.me@demo.example", last: "Edited" }]));
  await page.getByRole("button", { name: "Update 1 users" }).click();
  await page.getByText("Done: 0 created, 1 updated").waitFor();
  const edited = await page.evaluate(async (id) => (await fetch(`/api/users/${id}`)).json(), editMe.id);
  assert.equal(edited.first_name, "Edit");
  assert.equal(edited.last_name, "Edited");
  assert.equal(edited.phone, "11111111");
  assert.equal(edited.birth_date, "1970-01-01");

  await page.getByLabel("Delete users").check();
  await choose(page, "delete.csv", csv([{ uuid: deleteMe.id, email: "delete.me@demo.example" }]));
  const button = page.getByRole("button", { name: "Delete 1 users" });
  await button.waitFor();
  await checkAccessibility(page, "import, delete file awaiting the typed count");
  assert.equal(await button.isDisabled(), true, "not before the count is typed");
  await page.getByLabel("To delete 1 users for good, type 1").fill("1");
  await button.click();
  await page.getByText("Done: 0 created, 0 updated, 1 deleted").waitFor();
  assert.equal((await usersMatching(page, "delete.me@")).length, 0);
  assert.deepEqual(problems, []);
});

test("the upload survives a dropped connection: no user twice, none missing", async () => {
  const { page, problems } = await adminPage();
  const rows = Array.from({ length: 400 }, (_, i) => ({ first: "Drop", last: `Test${letters(i)}`, email: `drop${i}@demo.example`, birth: "02-02-1982" }));
  let dropped = 0;
  // The second chunk's first request reaches the server, but its answer is lost.
  await page.route("**/api/imports/*/chunks/1", async (route) => {
    if (dropped++ === 0) {
      await route.fetch();
      await route.abort("connectionreset");
    } else {
      await route.continue();
    }
  });
  await choose(page, "drop.csv", csv(rows));
  await page.getByRole("button", { name: "Create 400 users" }).click();
  await page.getByText("Done: 400 created, 0 updated, 0 deleted, 0 rejected.").waitFor({ timeout: 60_000 });
  assert.ok(dropped >= 2, "the chunk was sent again");
  const created = (await usersMatching(page, "drop")).filter((u) => u.email.startsWith("drop"));
  assert.equal(created.length, 400);
  assert.equal(new Set(created.map((u) => u.email)).size, 400);
  assert.deepEqual(problems, []);
});

test("the whole flow works with the keyboard", async () => {
  const { page, problems } = await adminPage();
  await page.getByLabel("Create users").focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getByLabel("Edit users").isChecked(), true, "arrow keys move between operations");
  await page.keyboard.press("ArrowUp");
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({
    name: "keys.csv", mimeType: "text/csv", buffer: csv([{ first: "Key", last: "Board", email: "key.board@demo.example", birth: "01-01-1990" }]),
  });
  const upload = page.getByRole("button", { name: "Create 1 users" });
  await upload.waitFor();
  await upload.focus();
  await page.keyboard.press("Enter");
  await page.getByText("Done: 1 created").waitFor();
  await page.getByRole("region", { name: "Result per row" }).focus();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Result per row");
  assert.deepEqual(problems, []);
});

test("each import is one event of the audit log, which downloads as CSV", async () => {
  const { page, problems } = await adminPage();
  await choose(page, "audited.csv", csv([{ first: "Audit", last: "Trail", email: "audit.trail@demo.example", birth: "01-01-1990" }]));
  await page.getByRole("button", { name: "Create 1 users" }).click();
  await page.getByText("Done: 1 created").waitFor();
  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByRole("heading", { name: "Audit log" }).waitFor();
  await page.getByRole("table").first().waitFor();
  await checkAccessibility(page, "audit log");
  await page.getByLabel("Text").fill("bulk create: 1 rows");
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("cell", { name: "bulk create: 1 rows applied" }).first().waitFor();
  await checkAccessibility(page, "audit log, filtered");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download as CSV" }).click();
  const text = (await import("node:fs")).readFileSync(await (await download).path(), "utf8");
  assert.match(text, /Bulk file applied;\(import\);[0-9a-f-]{36};bulk create: 1 rows applied/);
  assert.deepEqual(problems, []);
});
