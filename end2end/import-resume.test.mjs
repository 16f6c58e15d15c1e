// An import survives a closed tab or a reload (issue #18): the page keeps
// which import it is, the file's fingerprint and each chunk's answer, and
// offers to continue once the same file is chosen again, to the person who
// started it only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

const HEADER = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper";
const line = ({ first, last, email, birth }) => [ "", first, last, email, "", birth, "", "", "", "", "", "", "", "", ""].join(";");
/** A name-safe suffix for row `i`: letters only (names may not hold digits). */
const letters = (i) => Array.from({ length: 3 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).reverse().join("");
/** A create file of `count` people whose e-mails start with `prefix`. */
const createFile = (prefix, count) => Buffer.from([HEADER, ...Array.from({ length: count }, (_, i) =>
  line({ first: "Resume", last: `Person${letters(i)}`, email: `${prefix}${i}@demo.example`, birth: "03-03-1983" }))].join("\r\n") + "\r\n", "utf8");

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8798 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

async function toImportPage(page, email) {
  await signIn(page, email);
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
}

async function choose(page, name, buffer) {
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name, mimeType: "text/csv", buffer });
  await page.getByRole("heading", { name: "Check" }).waitFor({ timeout: 60_000 });
}

/**
 * Holds the request of chunk `seq` the first time it is sent, after the
 * server has applied it (its answer is never delivered); `held` resolves
 * then. Every later request goes through.
 */
async function holdChunk(page, seq) {
  let sent = 0;
  let onHeld;
  const held = new Promise((resolve) => { onHeld = resolve; });
  await page.route("**/api/imports/**", async (route) => {
    if (!route.request().url().endsWith(`/chunks/${seq}`) || sent++ > 0) return route.continue();
    await route.fetch();
    onHeld();
    // The page goes away with the request unanswered.
    await new Promise(() => {});
  });
  return { held, sends: () => sent };
}

/** The signed-in organization's users whose e-mail starts with `prefix`, through the API. */
async function usersStarting(page, prefix) {
  return page.evaluate(async (prefix) => {
    const found = [];
    let after = null;
    do {
      const url = `/api/users?limit=200&q=${encodeURIComponent(prefix)}${after ? `&after=${after}` : ""}`;
      const page = await (await fetch(url)).json();
      found.push(...page.users);
      after = page.next;
    } while (after);
    return found.filter((user) => user.email.startsWith(prefix));
  }, prefix);
}

/** The uploads this browser keeps a record of (IndexedDB `steward`, store `imports`). */
async function keptUploads(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("steward", 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction("imports").objectStore("imports").getAll();
      all.onsuccess = () => { open.result.close(); resolve(all.result.map((text) => JSON.parse(text))); };
    };
  }));
}

test("a reload in the middle of a 3,000-row upload: the same file chosen again continues it, and each user is created once", async () => {
  const { page, problems } = await newPage(browser, server.url);
  await toImportPage(page, "admin@demo.example");
  const file = createFile("resume", 3000);
  const chunk5 = await holdChunk(page, 5);
  await choose(page, "resume.csv", file);
  await page.getByText("3000 rows checked; 0 findings.").waitFor();
  await page.getByRole("button", { name: "Create 3000 users" }).click();
  await chunk5.held;

  await page.reload();
  const offer = page.getByRole("region", { name: "Unfinished upload" });
  await offer.getByText(/^The upload of resume\.csv \(Create users\), started .+ UTC, stopped after 5 of 20 chunks\.$/).waitFor();
  await offer.getByRole("status").getByText("To continue it, choose the same file again.").waitFor();
  await checkAccessibility(page, "import, unfinished upload offered");
  const [kept] = await keptUploads(page);
  assert.deepEqual(Object.keys(kept).sort(), ["chunks", "file_name", "fingerprint", "import_id", "operation", "started", "user_id", "valid_only"], "ids, counts and the fingerprint; no cells");
  assert.match(kept.fingerprint, /^[0-9a-f]{64}$/);

  await choose(page, "resume.csv", file);
  await offer.getByRole("status").getByText("The chosen file is the one of this upload.").waitFor();
  await checkAccessibility(page, "import, continuation offered");
  await offer.getByRole("button", { name: "Continue the upload" }).click();
  await page.getByText("Done: 3000 created, 0 updated, 0 deleted, 0 rejected.").waitFor({ timeout: 120_000 });
  assert.equal(chunk5.sends(), 2, "chunk 5, applied before the reload, was sent once more and answered as replayed");
  assert.equal(await page.getByRole("region", { name: "Unfinished upload" }).count(), 0);

  const created = await usersStarting(page, "resume");
  assert.equal(created.length, 3000);
  assert.equal(new Set(created.map((user) => user.email)).size, 3000, "nobody twice");
  assert.deepEqual(await keptUploads(page), [], "the record of a finished upload is removed");
  assert.deepEqual(problems, []);
});

test("another file is not offered the continuation, nor is another person signing in on the same browser", async () => {
  const { page, problems } = await newPage(browser, server.url);
  await toImportPage(page, "admin@demo.example");
  const file = createFile("other", 400);
  const chunk1 = await holdChunk(page, 1);
  await choose(page, "first.csv", file);
  await page.getByRole("button", { name: "Create 400 users" }).click();
  await chunk1.held;
  await page.reload();
  const offer = page.getByRole("region", { name: "Unfinished upload" });
  await offer.getByText(/stopped after 1 of 3 chunks\.$/).waitFor();

  // Another file: the upload is not continued with it.
  await choose(page, "second.csv", createFile("second", 3));
  await offer.getByRole("status").getByText(/^The chosen file is not the one of this upload/).waitFor();
  assert.equal(await page.getByRole("button", { name: "Continue the upload" }).count(), 0);
  await checkAccessibility(page, "import, another file than the unfinished upload's");

  // Another administrator on the same browser is not offered it, even with its file.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  await toImportPage(page, "bo.berg@demo.example");
  await choose(page, "first.csv", file);
  await page.getByRole("button", { name: "Create 400 users" }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole("region", { name: "Unfinished upload" }).count(), 0);
  assert.equal((await keptUploads(page)).length, 1, "the first administrator's record is still kept");

  // Back as its owner, it is offered again; discarded, it is gone.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  await toImportPage(page, "admin@demo.example");
  await offer.getByText(/stopped after 1 of 3 chunks\.$/).waitFor();
  await offer.getByRole("button", { name: "Discard" }).click();
  await offer.waitFor({ state: "detached" });
  for (let tries = 0; (await keptUploads(page)).length > 0; tries++) {
    assert.ok(tries < 50, "the discarded record is removed");
    await page.waitForTimeout(100);
  }
  assert.deepEqual(problems, []);
});
