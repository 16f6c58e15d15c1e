import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage as openPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

const ADMIN = "admin@demo.example";
const DEMO_PASSWORD = "steward-demo-password";
const NEW_PASSWORD = "my own long passphrase";

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8789 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

const newPage = () => openPage(browser, server.url);

async function createUser(page, fields, check = false) {
  await page.goto("/users");
  await page.getByRole("link", { name: "New user" }).click();
  await page.getByRole("heading", { name: "New user" }).waitFor();
  if (check) await checkAccessibility(page, "new user form");
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole("button", { name: "Create user" }).click();
  await page.getByRole("heading", { name: `${fields["First name"]} ${fields["Last name"]}` }).waitFor();
}

test("an administrator creates a user with a CPR number, sends the link; the user activates and signs in", async () => {
  const { page, problems } = await newPage();
  await signIn(page, ADMIN, DEMO_PASSWORD);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await createUser(page, { "First name": "Kirsten", "Last name": "Krogh", "E-mail": "kirsten@demo.example", "CPR number": "100375-4321" }, true);
  await page.getByText("100375-****").waitFor();
  await checkAccessibility(page, "user page, just created");
  assert.equal(await page.getByText("4321").count(), 0, "the CPR number is shown masked");
  await page.getByRole("button", { name: "Send to activation" }).click();
  await page.getByRole("status").getByText(/activation link is on its way/).waitFor();
  await checkAccessibility(page, "user page, activation link sent");

  const mail = await server.waitForMail("kirsten@demo.example");
  const link = mail.text.match(/http\S+\/activate#token=[0-9a-f]{64}/)[0];
  assert.ok(!mail.text.includes("4321"));

  const visitor = await newPage();
  await visitor.page.goto(link);
  await visitor.page.getByRole("heading", { name: "Activate your account" }).waitFor();
  await checkAccessibility(visitor.page, "activation by link");
  await visitor.page.getByLabel("New password").fill("short");
  await visitor.page.getByLabel("Repeat the password").fill("short");
  await visitor.page.getByRole("button", { name: "Activate" }).click();
  await visitor.page.getByRole("alert").getByText(/at least 12 characters/).waitFor();
  await checkAccessibility(visitor.page, "activation by link, password refused");
  await visitor.page.getByLabel("New password").fill(NEW_PASSWORD);
  await visitor.page.getByLabel("Repeat the password").fill(NEW_PASSWORD);
  await visitor.page.getByRole("button", { name: "Activate" }).click();
  await visitor.page.getByRole("status").getByText("Your account is active.").waitFor();
  await checkAccessibility(visitor.page, "activation done");
  await visitor.page.getByRole("link", { name: "Sign in" }).click();
  await signIn(visitor.page, "kirsten@demo.example", NEW_PASSWORD);
  await visitor.page.getByRole("heading", { name: "Your account" }).waitFor();
  await visitor.page.getByText("kirsten@demo.example").waitFor();
  await checkAccessibility(visitor.page, "account of a plain user");

  await page.reload();
  await page.getByText("Status: Active").waitFor();
  await page.getByRole("cell", { name: "Account activated" }).waitFor();
  await checkAccessibility(page, "user page with history");
  assert.deepEqual([...problems, ...visitor.problems], []);
});

test("the code path: the code is shown once, five wrong codes lock it, a regenerated code activates", async () => {
  const { page, problems } = await newPage();
  await signIn(page, ADMIN, DEMO_PASSWORD);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await createUser(page, { "First name": "Lone", "Last name": "Lykke", "E-mail": "lone@demo.example", "Birth date": "24-12-1979" });
  await page.getByRole("button", { name: "Send to activation" }).click();
  const firstCode = (await page.getByRole("status").locator("strong").textContent()).trim();
  assert.match(firstCode, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await checkAccessibility(page, "user page, activation code shown");
  const mail = await server.waitForMail("lone@demo.example");
  assert.ok(!mail.text.includes(firstCode) && !mail.text.includes(firstCode.replaceAll("-", "")));

  const visitor = await newPage();
  const attempt = async (code) => {
    await visitor.page.getByLabel("E-mail").fill("lone@demo.example");
    await visitor.page.getByLabel("Activation code").fill(code);
    await visitor.page.getByLabel("Birth date").fill("24-12-1979");
    await visitor.page.getByLabel("New password").fill(NEW_PASSWORD);
    await visitor.page.getByLabel("Repeat the password").fill(NEW_PASSWORD);
    await visitor.page.getByRole("button", { name: "Activate" }).click();
  };
  await visitor.page.goto("/activate");
  await visitor.page.getByLabel("Activation code").waitFor();
  await checkAccessibility(visitor.page, "activation by code");
  for (let i = 0; i < 5; i += 1) {
    await attempt("2222-3333-4444");
    await visitor.page.getByRole("alert").getByText(/not valid, or the details do not match/).waitFor();
    await visitor.page.waitForFunction(() => !document.querySelector("button[type=submit]").disabled);
    if (i === 0) await checkAccessibility(visitor.page, "activation by code, wrong code");
  }
  await attempt(firstCode);
  await visitor.page.waitForFunction(() => !document.querySelector("button[type=submit]").disabled);
  assert.equal(await visitor.page.getByText("Your account is active.").count(), 0, "a locked code does not activate");

  await page.reload();
  await page.getByText(/activation code is locked/).waitFor();
  await page.getByRole("link", { name: /Notifications/ }).getByText(/unread/).waitFor();
  await checkAccessibility(page, "user page, activation code locked");
  await page.getByRole("button", { name: "Regenerate activation code" }).click();
  const secondCode = (await page.getByRole("status").locator("strong").textContent()).trim();
  assert.notEqual(secondCode, firstCode);

  await attempt(secondCode.toLowerCase());
  await visitor.page.getByRole("status").getByText("Your account is active.").waitFor();
  await signIn(visitor.page, "lone@demo.example", NEW_PASSWORD);
  await visitor.page.getByRole("heading", { name: "Your account" }).waitFor();

  await page.getByRole("link", { name: /Notifications/ }).click();
  await page.getByRole("heading", { name: /code is locked|kode er spærret/i }).first().waitFor();
  await checkAccessibility(page, "notifications, one unread");
  assert.deepEqual([...problems, ...visitor.problems], []);
});

test("mistakes in the form are shown at their fields and focus goes to the first", async () => {
  const { page, problems } = await newPage();
  await signIn(page, ADMIN, DEMO_PASSWORD);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.goto("/users/new");
  await page.getByLabel("Last name", { exact: true }).fill("Holm3");
  await page.getByLabel("E-mail", { exact: true }).fill("camilla.dahl@demo.example");
  await page.getByLabel("Birth date", { exact: true }).fill("31-02-1990");
  await page.getByRole("button", { name: "Create user" }).click();
  const firstName = page.getByLabel("First name", { exact: true });
  await page.getByText("The name is empty.").waitFor();
  assert.equal(await firstName.getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "field-first_name");
  await page.getByText("The birth date is not a real date.").waitFor();
  await checkAccessibility(page, "new user form with mistakes");
  // Fixed in the browser, the server still finds what only it knows.
  await firstName.fill("Ida");
  await page.getByLabel("Last name", { exact: true }).fill("Holm");
  await page.getByLabel("Birth date", { exact: true }).fill("28-02-1990");
  await page.getByRole("button", { name: "Create user" }).click();
  await page.getByText("Another user of the organization already has this e-mail address.").waitFor();
  await checkAccessibility(page, "new user form, refused by the server");
  assert.equal(await page.evaluate(() => document.activeElement.id), "field-email");
  assert.deepEqual(problems, []);
});

test("deactivate, reactivate and delete from the user page, with the keyboard", async () => {
  const { page, problems } = await newPage();
  await signIn(page, ADMIN, DEMO_PASSWORD);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByLabel("Search by name or e-mail").fill("camilla");
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Camilla Dahl" }).focus();
  await checkAccessibility(page, "users list, searched");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Camilla Dahl" }).waitFor();
  await page.getByRole("button", { name: "Deactivate…" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Deactivate" }).waitFor();
  await checkAccessibility(page, "user page, deactivate confirmation");
  await page.getByRole("button", { name: "Deactivate", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.getByText("Status: Deactivated").waitFor();
  await checkAccessibility(page, "user page, deactivated");
  await page.getByRole("button", { name: "Reactivate" }).click();
  await page.getByText("Status: Active").waitFor();
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Delete for good" }).waitFor();
  await checkAccessibility(page, "user page, delete confirmation");
  await page.getByRole("button", { name: "Delete for good" }).click();
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByRole("link", { name: "Bo Berg" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Camilla Dahl" }).count(), 0);
  assert.deepEqual(problems, []);
});
