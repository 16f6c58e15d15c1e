import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage as openPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

const ADMIN = "admin@demo.example";
const PASSWORD = "steward-demo-password";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

const newPage = () => openPage(browser, server.url);

test("a signed-out visitor is sent from the users page to sign in", async () => {
  const { page, problems } = await newPage();
  await page.goto("/users");
  await page.waitForURL("**/sign-in");
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  await checkAccessibility(page, "sign-in page");
  assert.deepEqual(problems, []);
});

test("the administrator signs in, sees the seeded users, signs out, and the users page then refuses", async () => {
  const { page, problems } = await newPage();
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.waitForURL("**/users");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  const table = page.getByRole("table", { name: "Users of your organization" });
  await table.waitFor();
  const rows = await table.getByRole("row").allInnerTexts();
  assert.equal(rows.length, 7, rows.join("\n")); // header + six seeded users
  assert.ok(rows.some((row) => row.includes("Søren Ærø") && row.includes("Awaiting activation")));
  assert.ok(rows.some((row) => row.includes("Camilla Dahl") && row.includes("camilla.dahl@demo.example")));
  assert.ok(!rows.some((row) => row.includes("Pia Poulsen")), "another organization's user is shown");
  await page.getByText("Anne Andersen · Demo ApS").waitFor();
  await checkAccessibility(page, "users list");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  const api = await page.evaluate(async () => (await fetch("/api/users")).status);
  assert.equal(api, 401);
  await page.goto("/users");
  await page.waitForURL("**/sign-in");
  assert.deepEqual(problems, []);
});

test("a wrong password shows a message that does not tell whether the e-mail exists", async () => {
  const messages = [];
  for (const email of [ADMIN, "nobody@demo.example"]) {
    const { page } = await newPage();
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill("wrong password here");
    await page.getByRole("button", { name: "Sign in" }).click();
    messages.push(await page.getByRole("alert").innerText());
    if (email === ADMIN) await checkAccessibility(page, "sign-in with a wrong password");
    assert.ok(page.url().endsWith("/sign-in"));
  }
  assert.equal(messages[0], "The e-mail address or the password is wrong.");
  assert.equal(messages[1], messages[0]);
});

test("signing in works with the keyboard alone", async () => {
  const { page } = await newPage();
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  // The skip link comes first; following it puts the next Tab in the form.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "#main");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "sign-in-email");
  await page.keyboard.type(ADMIN);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL("**/users");
  await page.getByRole("table", { name: "Users of your organization" }).waitFor();
});

test("an organization administrator appoints a user administrator, who then manages users; a user administrator cannot", async () => {
  const signedIn = async (email) => {
    const opened = await newPage();
    await signIn(opened.page, email);
    return opened;
  };
  const bo = await signedIn("bo.berg@demo.example");
  await bo.page.getByRole("heading", { name: "Users" }).waitFor();
  await bo.page.getByRole("link", { name: "Camilla Dahl" }).click();
  await bo.page.getByText("Role: User").waitFor();
  assert.equal(await bo.page.getByRole("button", { name: "Make user administrator" }).count(), 0, "a user administrator is not offered it");
  await checkAccessibility(bo.page, "user page, seen by a user administrator");

  const admin = await signedIn(ADMIN);
  await admin.page.getByRole("link", { name: "Camilla Dahl" }).click();
  await admin.page.getByRole("button", { name: "Make user administrator" }).click();
  await admin.page.getByText("Camilla is now: User administrator.").waitFor();
  await checkAccessibility(admin.page, "user page, role changed");

  const camilla = await signedIn("camilla.dahl@demo.example");
  await camilla.page.getByRole("heading", { name: "Users" }).waitFor();
  await camilla.page.getByRole("link", { name: "Import" }).waitFor();
  assert.deepEqual([...bo.problems, ...admin.problems, ...camilla.problems], []);
});

test("deputies are registered and withdrawn on their page; the organization administrator sets the management model", async () => {
  const { page, problems } = await newPage();
  await signIn(page, ADMIN);
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByRole("link", { name: "Deputies" }).click();
  await page.getByText("Nobody stands in for you.").waitFor();
  await checkAccessibility(page, "deputies, none registered");
  await page.getByLabel("Owned").check();
  await page.getByText(/Management model: owned/).waitFor();
  await page.getByLabel("Register a deputy").selectOption({ label: "Bo Berg" });
  await page.getByRole("button", { name: "Register" }).click();
  await page.getByRole("button", { name: "Withdraw Bo Berg" }).waitFor();
  await checkAccessibility(page, "deputies, one registered");

  const bo = await newPage();
  await signIn(bo.page, "bo.berg@demo.example");
  await bo.page.getByRole("heading", { name: "Users" }).waitFor();
  await bo.page.getByRole("link", { name: "Deputies" }).click();
  await bo.page.getByRole("listitem").filter({ hasText: "Anne Andersen" }).waitFor();
  await checkAccessibility(bo.page, "deputies, seen by the deputy");
  assert.equal(await bo.page.getByRole("group", { name: "Management model of the organization" }).count(), 0, "only for organization administrators");

  await page.getByRole("button", { name: "Withdraw Bo Berg" }).click();
  await page.getByText("Nobody stands in for you.").waitFor();
  await page.getByLabel("Shared").check();
  await page.getByText(/Management model: shared/).waitFor();
  assert.deepEqual([...problems, ...bo.problems], []);
});

test("a person changes their password on their account page and signs in with the new one", async () => {
  const { page, problems } = await newPage();
  await signIn(page, "pia.poulsen@anden.example");
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("password1234");
  await page.getByLabel("Repeat the new password").fill("password1234");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByRole("alert").getByText(/too common/).waitFor();
  await checkAccessibility(page, "account, new password refused");
  await page.getByLabel("New password", { exact: true }).fill("pia's own long passphrase");
  await page.getByLabel("Repeat the new password").fill("pia's own long passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Your password is changed. You were signed out everywhere else.").waitFor();
  await checkAccessibility(page, "account, password changed");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await page.getByLabel("E-mail").fill("pia.poulsen@anden.example");
  await page.getByLabel("Password").fill("pia's own long passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  assert.deepEqual(problems, []);
});
