// The main journeys in Danish, and the import page in German: selected by
// role and accessible name in that language (from the app's catalogues), and
// every page is checked for English left on it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage as openPage, checkAccessibility, reportAccessibility } from "./browser.mjs";
import { translator, untranslated } from "./catalogue.mjs";

const PASSWORD = "steward-demo-password";
const NEW_PASSWORD = "min egen lange adgangssætning";
const da = translator("da");
const de = translator("de");

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8796 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

const newPage = (locale) => openPage(browser, server.url, { locale });

/** No English from the catalogue on the page, and axe finds nothing. */
async function speaks(page, lang, state) {
  assert.deepEqual(await untranslated(page, lang), [], `English left on "${state}"`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
  await checkAccessibility(page, `${state} (${lang})`);
}

async function signIn(page, t, lang, email, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: t("sign_in.title") }).waitFor();
  await speaks(page, lang, "sign-in page");
  await page.getByLabel(t("sign_in.email")).fill(email);
  await page.getByLabel(t("sign_in.password")).fill(password);
  await page.getByRole("button", { name: t("sign_in.submit") }).click();
}

async function createUser(page, fields) {
  await page.getByRole("link", { name: da("users.new_user") }).click();
  await page.getByRole("heading", { name: da("user.new_title") }).waitFor();
  await speaks(page, "da", "new user form");
  for (const [key, value] of Object.entries(fields)) await page.getByLabel(da(key), { exact: true }).fill(value);
  await page.getByRole("button", { name: da("user.form.create") }).click();
  await page.getByRole("heading", { name: `${fields["user.field.first_name"]} ${fields["user.field.last_name"]}` }).waitFor();
}

async function activate(visitor, fields) {
  for (const [key, value] of Object.entries(fields)) await visitor.getByLabel(da(key), { exact: true }).fill(value);
  await visitor.getByLabel(da("activate.password")).fill(NEW_PASSWORD);
  await visitor.getByLabel(da("activate.repeat")).fill(NEW_PASSWORD);
  await visitor.getByRole("button", { name: da("activate.submit") }).click();
  await visitor.getByRole("status").getByText(da("activate.done")).waitFor();
  await speaks(visitor, "da", "activation done");
}

test("in Danish: sign in, create users, send them to activation, activate by link and by code", async () => {
  const { page, problems } = await newPage("da-DK");
  await signIn(page, da, "da", "admin@demo.example");
  await page.getByRole("heading", { name: da("users.title") }).waitFor();
  await page.getByRole("table", { name: da("users.caption") }).waitFor();
  await speaks(page, "da", "users list");

  await createUser(page, {
    "user.field.first_name": "Karen", "user.field.last_name": "Kjær",
    "user.field.email": "karen@demo.example", "user.field.cpr": "100375-4321",
  });
  await speaks(page, "da", "user page");
  await page.getByRole("button", { name: da("user.action.send_to_activation") }).click();
  await page.getByRole("status").getByText(/aktiveringslink/i).waitFor();
  await speaks(page, "da", "user page, link sent");
  const mail = await server.waitForMail("karen@demo.example");
  assert.match(mail.text, /aktiv/i, "the organization speaks Danish, so the e-mail does");
  const link = mail.text.match(/http\S+\/activate#token=[0-9a-f]{64}/)[0];

  const byLink = await newPage("da-DK");
  await byLink.page.goto(link);
  await byLink.page.getByRole("heading", { name: da("activate.title") }).waitFor();
  await speaks(byLink.page, "da", "activation by link");
  await activate(byLink.page, {});

  await page.getByRole("navigation").getByRole("link", { name: da("shell.users"), exact: true }).click();
  await page.getByRole("heading", { name: da("users.title") }).waitFor();
  await createUser(page, {
    "user.field.first_name": "Lars", "user.field.last_name": "Lund",
    "user.field.email": "lars@demo.example", "user.field.birth_date": "24-12-1979",
  });
  await page.getByRole("button", { name: da("user.action.send_to_activation") }).click();
  const code = (await page.getByRole("status").locator("strong").textContent()).trim();
  assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await speaks(page, "da", "user page, code shown");

  const byCode = await newPage("da-DK");
  await byCode.page.goto("/activate");
  await byCode.page.getByLabel(da("activate.code")).waitFor();
  await speaks(byCode.page, "da", "activation by code");
  await activate(byCode.page, { "activate.email": "lars@demo.example", "activate.code": code, "activate.birth_date": "1979-12-24" });

  // The new user's own first page is in Danish too, and the date is written the Danish way.
  await signIn(byCode.page, da, "da", "lars@demo.example", NEW_PASSWORD);
  await byCode.page.getByRole("heading", { name: da("account.title") }).waitFor();
  await speaks(byCode.page, "da", "account of a plain user");
  assert.deepEqual([...problems, ...byLink.problems, ...byCode.problems], []);
});

test("in Danish: a user asks for an application and a user administrator grants it", async () => {
  const camilla = await newPage("da-DK");
  await signIn(camilla.page, da, "da", "camilla.dahl@demo.example");
  await camilla.page.getByRole("heading", { name: da("account.title") }).waitFor();
  await camilla.page.getByLabel(da("account.applications.application"), { exact: true }).selectOption({ label: "Invoicing (invoice.approve, invoice.read)" });
  await camilla.page.getByRole("button", { name: da("account.applications.send") }).click();
  await camilla.page.getByText(da("account.applications.asked_for", { application: "Invoicing" })).waitFor();
  const requests = camilla.page.getByRole("table", { name: da("account.applications.requests_caption") });
  await requests.getByRole("cell", { name: da("account.applications.status.pending") }).waitFor();
  await speaks(camilla.page, "da", "account, request sent");

  const bo = await newPage("da-DK");
  await signIn(bo.page, da, "da", "bo.berg@demo.example");
  await bo.page.getByRole("heading", { name: da("users.title") }).waitFor();
  await bo.page.getByRole("navigation").getByRole("link", { name: da("shell.requests"), exact: true }).click();
  await bo.page.getByRole("table", { name: da("requests.roles.caption") }).waitFor();
  await speaks(bo.page, "da", "requests waiting");
  await bo.page.getByRole("button", { name: da("requests.roles.grant_label", { what: "Invoicing", who: "Camilla Dahl" }) }).click();
  await bo.page.getByText(da("requests.roles.none_waiting")).waitFor();
  await speaks(bo.page, "da", "requests, none waiting");
  assert.deepEqual([...camilla.problems, ...bo.problems], []);
});

const HEADER = "UUID;Fornavn;Efternavn;E-mail;CPR-nummer;Fødselsdato;Telefon;P-nummer;SE-nummer;Identifikationsmidler;Anonym;Underskrift;Segl;Rettigheder;Brugergrupper";
const row = (first, last, email, birth) => ["", first, last, email, "", birth, "", "", "", "", "", "", "", "", ""].join(";");
const FILE_WITH_FINDINGS = Buffer.from([
  HEADER,
  row("God", "Række", "god.raekke@demo.example", "01-01-1980"),
  row("Dårlig", "Adresse", "ikke-en-adresse", "01-01-1980"),
  row("Dobbelt", "Adresse", "god.raekke@demo.example", "01-01-1980"),
].join("\r\n") + "\r\n", "utf8");

for (const [lang, locale, t, fieldMessage] of [["da", "da-DK", da, /skal have|række 2/], ["de", "de-DE", de, /muss die Form|Zeile 2/]]) {
  test(`the import page checks a file and reports its findings in ${lang === "da" ? "Danish" : "German"}`, async () => {
    const { page, problems } = await newPage(locale);
    await signIn(page, t, lang, "admin@demo.example");
    await page.getByRole("heading", { name: t("users.title") }).waitFor();
    await page.getByRole("navigation").getByRole("link", { name: t("shell.import"), exact: true }).click();
    await page.getByRole("heading", { name: t("import.title") }).waitFor();
    await speaks(page, lang, "import page");
    await page.getByLabel(t("import.file.choose")).setInputFiles({ name: "fejl.csv", mimeType: "text/csv", buffer: FILE_WITH_FINDINGS });
    await page.getByRole("heading", { name: t("import.check.heading") }).waitFor({ timeout: 60_000 });
    await page.getByText(t("import.check.rows_checked.other", { count: 3 })).first().waitFor();
    const findings = page.getByRole("region", { name: t("import.findings.heading") });
    // Both findings' rows (the table draws what is on screen, as it arrives).
    await findings.getByRole("row").nth(2).waitFor();
    const rows = (await findings.getByRole("row").allTextContents()).slice(1).filter((text) => text.trim());
    assert.equal(rows.length, 2, JSON.stringify(rows));
    // The checker's own messages are in the page's language: not the English ones.
    assert.ok(rows.every((text) => fieldMessage.test(text)), JSON.stringify(rows));
    assert.ok(!rows.some((text) => /must|same value|row 2/i.test(text)), rows.join("\n"));
    await speaks(page, lang, "import findings table");
    assert.deepEqual(problems, []);
  });
}
