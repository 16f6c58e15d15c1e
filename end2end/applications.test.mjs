// A user asks for a further application; their administrator sees the
// notification and grants it; the user sees it on their account page and
// gets the answer by e-mail (product.md §1, §8; issue #6).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage as openPage, signIn, checkAccessibility, reportAccessibility } from "./browser.mjs";

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8790 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

const newPage = () => openPage(browser, server.url);

test("a user requests an application, the administrator sees the notification and grants it, the user sees the new role", async () => {
  const camilla = await newPage();
  await signIn(camilla.page, "camilla.dahl@demo.example");
  await camilla.page.getByRole("heading", { name: "Your applications" }).waitFor();
  const held = camilla.page.getByRole("list", { name: "Applications you hold" });
  await held.getByRole("listitem").first().waitFor();
  assert.deepEqual(await held.getByRole("listitem").allInnerTexts(), ["Reports (report.read)"]);
  await checkAccessibility(camilla.page, "account with applications");
  await camilla.page.getByLabel("Application", { exact: true }).selectOption({ label: "Invoicing (invoice.approve, invoice.read)" });
  await camilla.page.getByLabel("Why you need it (optional)").fill("Month-end close");
  await camilla.page.getByRole("button", { name: "Send request" }).click();
  await camilla.page.getByText(/You asked for Invoicing/).waitFor();
  const requests = camilla.page.getByRole("table", { name: "Your requests" });
  await requests.getByRole("cell", { name: "Waiting for your administrator" }).waitFor();
  await checkAccessibility(camilla.page, "account, request sent");

  const bo = await newPage();
  await signIn(bo.page, "bo.berg@demo.example");
  await bo.page.getByRole("heading", { name: "Users" }).waitFor();
  await bo.page.getByRole("link", { name: /Notifications \(1 unread\)/ }).click();
  await bo.page.getByText(/Camilla Dahl (requests the application|beder om applikationen) Invoicing/).first().waitFor();
  await checkAccessibility(bo.page, "notifications, a request");
  await bo.page.getByRole("link", { name: "Requests" }).click();
  const waiting = bo.page.getByRole("table", { name: "Requests waiting for a decision, oldest first" });
  await waiting.getByRole("cell", { name: "Month-end close" }).waitFor();
  await checkAccessibility(bo.page, "requests waiting");
  await bo.page.getByRole("button", { name: "Grant Invoicing to Camilla Dahl" }).click();
  await bo.page.getByText("Camilla Dahl now holds Invoicing; they are told by e-mail.").waitFor();
  await bo.page.getByText("No requests are waiting.").waitFor();
  await checkAccessibility(bo.page, "requests, none waiting");

  const mail = await server.waitForMail("camilla.dahl@demo.example");
  assert.match(mail.subject, /anmodning er imødekommet|request was granted/);
  assert.match(mail.text, /Invoicing/);

  await camilla.page.reload();
  await held.getByRole("listitem").filter({ hasText: "Invoicing" }).waitFor();
  assert.deepEqual((await held.getByRole("listitem").allInnerTexts()).sort(), ["Invoicing (invoice.approve, invoice.read)", "Reports (report.read)"]);
  await requests.getByRole("cell", { name: "Granted by Bo Berg" }).waitFor();
  await checkAccessibility(camilla.page, "account, request granted");
  assert.deepEqual([...camilla.problems, ...bo.problems], []);
});

test("a user administrator is offered only what they hold; an organization administrator defines an application and a group", async () => {
  const bo = await newPage();
  await signIn(bo.page, "bo.berg@demo.example");
  await bo.page.getByRole("link", { name: "Jürgen Müller" }).click();
  const grant = bo.page.getByLabel("Grant an application");
  await grant.waitFor();
  const offered = await grant.locator("option").allInnerTexts();
  assert.deepEqual(offered, ["Choose an application", "Invoicing (invoice.approve, invoice.read)", "Reports (report.read)"], "Payroll is not offered");
  await grant.selectOption({ label: "Reports (report.read)" });
  await bo.page.getByRole("button", { name: "Grant", exact: true }).click();
  await bo.page.getByText("The application is granted.").waitFor();
  await bo.page.getByRole("list", { name: "Applications held" }).getByText("Reports (report.read)").waitFor();
  await bo.page.getByRole("cell", { name: "Application granted" }).waitFor();
  await checkAccessibility(bo.page, "user page, application granted");

  const { page, problems } = await newPage();
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByRole("link", { name: "Applications" }).click();
  await page.getByLabel("Application name").fill("Travel");
  await page.getByLabel("Roles (separated by commas)").fill("travel.book, Travel.Approve");
  await page.getByRole("button", { name: "Define application" }).click();
  await page.getByText(/“Travel.Approve” is not a role name/).first().waitFor();
  await checkAccessibility(page, "applications, role name refused");
  await page.getByLabel("Roles (separated by commas)").fill("travel.book, travel.approve");
  await page.getByRole("button", { name: "Define application" }).click();
  await page.getByText("The application Travel is defined.").waitFor();
  await page.getByRole("cell", { name: "travel.approve, travel.book" }).waitFor();

  await page.getByLabel("Group name").fill("Travellers");
  await page.getByLabel("Travel (travel.approve, travel.book)").check();
  await page.getByRole("button", { name: "Make group" }).click();
  await page.getByText("The group Travellers is made.").waitFor();
  await checkAccessibility(page, "applications and groups");
  await page.getByRole("link", { name: "Travellers" }).click();
  await page.getByLabel("Add a member by e-mail").fill("camilla.dahl@demo.example");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("link", { name: "Camilla Dahl" }).waitFor();
  await checkAccessibility(page, "group page with a member");
  assert.deepEqual([...problems, ...bo.problems], []);
});

test("a person applies to join on the public page; an administrator approves and the person gets the activation e-mail", async () => {
  const admin = await newPage();
  await signIn(admin.page, "admin@demo.example");
  await admin.page.getByRole("heading", { name: "Users" }).waitFor();
  await admin.page.getByRole("link", { name: "Requests" }).click();
  await admin.page.getByText("The organization does not take applications to join.").waitFor();
  await checkAccessibility(admin.page, "requests, joining closed");
  await admin.page.getByLabel(/People may apply to join the organization/).check();
  await admin.page.getByText("People may now apply to join.").waitFor();

  const person = await newPage();
  await person.page.goto("/join");
  await person.page.getByLabel("The organization's CVR number").waitFor();
  await checkAccessibility(person.page, "join page");
  await person.page.getByLabel("The organization's CVR number").fill("12345678");
  await person.page.getByLabel("First name").fill("Ida");
  await person.page.getByLabel("Last name").fill("Holm");
  await person.page.getByLabel("E-mail").fill("ida.holm@example.dk");
  await person.page.getByLabel("Birth date").fill("17-05-1990");
  await person.page.getByRole("button", { name: "Send application" }).click();
  await person.page.getByText("The CVR number is not valid (modulus 11).").waitFor();
  assert.equal(await person.page.evaluate(() => document.activeElement.labels[0].textContent), "The organization's CVR number", "focus moves to the field");
  await checkAccessibility(person.page, "join page, CVR number refused");
  await person.page.getByLabel("The organization's CVR number").fill("12345674");
  await person.page.getByRole("button", { name: "Send application" }).click();
  await person.page.getByText(/Thank you\. The organization's administrators will look at your application/).waitFor();
  await checkAccessibility(person.page, "join page, application sent");

  await admin.page.reload();
  await admin.page.getByRole("table", { name: "Applications to join, oldest first" }).getByRole("cell", { name: "ida.holm@example.dk" }).waitFor();
  await checkAccessibility(admin.page, "requests, an application to join");
  await admin.page.getByRole("button", { name: "Approve Ida Holm" }).click();
  await admin.page.getByText(/Ida Holm is created and sent to activation\..*hand them the code yourself/).waitFor();
  const code = (await admin.page.getByLabel(/^Activation code /).innerText()).trim();
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await checkAccessibility(admin.page, "requests, joined with a code to hand over");
  const mail = await server.waitForMail("ida.holm@example.dk");
  assert.ok(mail.text.includes("/activate") && !mail.text.includes(code), "the e-mail points to activation and carries no code");
  assert.deepEqual([...admin.problems, ...person.problems], []);
});

test("a platform operator transfers an administrator's users on the transfers page", async () => {
  const { page, problems } = await newPage();
  await signIn(page, "operator@steward.example");
  await page.getByRole("heading", { name: "Your account" }).waitFor();
  await page.getByRole("link", { name: "Transfers" }).click();
  await page.getByLabel("Organization's CVR number").waitFor();
  await checkAccessibility(page, "transfers");
  await page.getByLabel("Organization's CVR number").fill("99999999");
  await page.getByRole("button", { name: "Find administrators" }).click();
  await page.getByText("No organization has the CVR number 99999999.").waitFor();
  await checkAccessibility(page, "transfers, no such organization");
  await page.getByLabel("Organization's CVR number").fill("12345674");
  await page.getByRole("button", { name: "Find administrators" }).click();
  await page.getByRole("heading", { name: "Demo ApS" }).waitFor();
  const choose = async (label, name) => {
    const select = page.getByLabel(label);
    const option = (await select.locator("option").allInnerTexts()).find((text) => text.startsWith(`${name} (manages `));
    await select.selectOption({ label: option });
  };
  await choose("The administrator who left", "Bo Berg");
  await choose("The administrator who takes over", "Anne Andersen");
  await page.getByRole("button", { name: "Transfer responsibility" }).click();
  await page.getByRole("group", { name: "Move the users?" }).waitFor();
  await checkAccessibility(page, "transfers, confirmation");
  await page.getByRole("button", { name: "Move the users" }).click();
  await page.getByText(/^\d+ users? moved from Bo Berg to Anne Andersen\. Both are notified\.$/).waitFor();
  await checkAccessibility(page, "transfers, done");
  await page.getByLabel("The administrator who left").locator("option", { hasText: "Bo Berg (manages 0 users)" }).waitFor({ state: "attached" });
  assert.deepEqual(problems, []);
});
