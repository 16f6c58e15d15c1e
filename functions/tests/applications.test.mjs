// Applications, grants, groups and requests (product.md §1, §6, §8):
// delegation never escalates, directly or through a group; requests reach
// the administrators who manage the person, and the answer reaches them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
let userAdmin;
let ids;
let apps;
before(async () => {
  app = await startTestApp({ mailer: "http" });
  admin = await app.signIn(DEMO.admin);
  userAdmin = await app.signIn(DEMO.userAdmin);
  const users = (await app.request("GET", "/api/users", { cookie: admin })).json.users;
  ids = Object.fromEntries(users.map((u) => [u.email, u.id]));
  const catalog = (await app.request("GET", "/api/applications", { cookie: admin })).json.applications;
  apps = Object.fromEntries(catalog.map((a) => [a.name, a.id]));
});
after(() => app?.dispose());

const heldBy = async (email) =>
  (await app.db.prepare("SELECT a.name FROM user_applications g JOIN applications a ON a.id = g.application_id WHERE g.user_id = ?1 ORDER BY a.name").bind(ids[email]).all()).results.map((r) => r.name);
const historyOf = async (email, action) =>
  (await app.db.prepare("SELECT details FROM history WHERE user_id = ?1 AND action = ?2 ORDER BY at").bind(ids[email], action).all()).results.map((r) => r.details);

test("an organization administrator defines applications; bad input is named at its field", async () => {
  const made = await app.request("POST", "/api/applications", { cookie: admin, body: { name: "Archive", roles: ["archive.read", "archive.read", "archive.write"] } });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual(made.json.roles, ["archive.read", "archive.write"]);

  const bad = await app.request("POST", "/api/applications", { cookie: admin, body: { name: " ", roles: ["Archive Read", "user_admin"] } });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.error.details.map((i) => [i.field, i.code]), [["name", "required"], ["roles", "invalid_role"], ["roles", "invalid_role"]]);
  assert.match(bad.json.error.details[2].message, /right to administer users/);

  const twice = await app.request("POST", "/api/applications", { cookie: admin, body: { name: "archive", roles: ["x"] } });
  assert.equal(twice.status, 422);
  assert.equal(twice.json.error.details[0].code, "taken");

  const byUserAdmin = await app.request("POST", "/api/applications", { cookie: userAdmin, body: { name: "Mine", roles: ["x"] } });
  assert.equal(byUserAdmin.status, 403);

  // Held applications cannot be removed by accident; unheld ones can.
  const held = await app.request("DELETE", `/api/applications/${apps.Reports}`, { cookie: admin });
  assert.equal(held.status, 409);
  assert.match(held.json.error.message, /held by 2 people/);
  assert.equal((await app.request("DELETE", `/api/applications/${made.json.id}`, { cookie: admin })).status, 204);
  const names = (await app.request("GET", "/api/applications", { cookie: admin })).json.applications.map((a) => a.name);
  assert.deepEqual(names, ["Invoicing", "Payroll", "Reports"]);
});

test("escalation attempts by a user administrator are refused and change nothing", async () => {
  const camilla = ids[DEMO.plainUser];
  const before = await heldBy(DEMO.plainUser);
  // A role they lack: Bo holds Invoicing and Reports, not Payroll.
  const lacking = await app.request("POST", `/api/users/${camilla}/applications`, { cookie: userAdmin, body: { application_id: apps.Payroll } });
  assert.equal(lacking.status, 403);
  assert.match(lacking.json.error.message, /only applications whose roles they hold/);
  // The right to administer users.
  assert.equal((await app.request("PUT", `/api/users/${camilla}/role`, { cookie: userAdmin, body: { role: "user_admin" } })).status, 403);
  // A role through a group: Finance team gives Invoicing and Payroll.
  const groups = (await app.request("GET", "/api/groups", { cookie: userAdmin })).json.groups;
  const finance = groups.find((g) => g.name === "Finance team");
  const viaGroup = await app.request("POST", `/api/groups/${finance.id}/members`, { cookie: userAdmin, body: { email: DEMO.plainUser } });
  assert.equal(viaGroup.status, 403);
  assert.match(viaGroup.json.error.message, /roles you do not hold/);
  // Their own roles, directly and through a group.
  const own = await app.request("POST", `/api/users/${ids[DEMO.userAdmin]}/applications`, { cookie: userAdmin, body: { application_id: apps.Payroll } });
  assert.equal(own.status, 403);
  assert.match(own.json.error.message, /their own applications/);
  assert.equal((await app.request("DELETE", `/api/users/${ids[DEMO.userAdmin]}/applications/${apps.Reports}`, { cookie: userAdmin })).status, 403);
  assert.equal((await app.request("POST", `/api/groups/${finance.id}/members`, { cookie: admin, body: { email: DEMO.admin } })).status, 403);

  assert.deepEqual(await heldBy(DEMO.plainUser), before, "nothing changed");
  assert.deepEqual(await heldBy(DEMO.userAdmin), ["Invoicing", "Reports"]);
  const members = (await app.db.prepare("SELECT count(*) AS n FROM group_members").first()).n;
  assert.equal(members, 0);
  assert.deepEqual(await historyOf(DEMO.plainUser, "application_granted"), []);
  assert.deepEqual(await historyOf(DEMO.plainUser, "group_joined"), []);
});

test("a user administrator grants and revokes what they hold; the page offers only that", async () => {
  const camilla = ids[DEMO.plainUser];
  const view = await app.request("GET", `/api/users/${camilla}/applications`, { cookie: userAdmin });
  assert.equal(view.status, 200, view.text);
  assert.deepEqual(view.json.held.map((h) => h.application.name), ["Reports"]);
  assert.deepEqual(view.json.grantable.map((a) => a.name), ["Invoicing"], "Payroll is not offered to Bo, Reports is held");
  const granted = await app.request("POST", `/api/users/${camilla}/applications`, { cookie: userAdmin, body: { application_id: apps.Invoicing } });
  assert.equal(granted.status, 200, granted.text);
  assert.deepEqual(granted.json.held.map((h) => h.application.name).sort(), ["Invoicing", "Reports"]);
  assert.deepEqual(await historyOf(DEMO.plainUser, "application_granted"), ["Invoicing"]);
  const again = await app.request("POST", `/api/users/${camilla}/applications`, { cookie: userAdmin, body: { application_id: apps.Invoicing } });
  assert.equal(again.status, 200);
  assert.equal((await historyOf(DEMO.plainUser, "application_granted")).length, 1, "granting twice records once");

  const unknown = await app.request("POST", `/api/users/${camilla}/applications`, { cookie: admin, body: { application_id: "no-such-application" } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.details[0].field, "application_id");

  assert.equal((await app.request("DELETE", `/api/users/${camilla}/applications/${apps.Invoicing}`, { cookie: userAdmin })).status, 204);
  assert.deepEqual(await heldBy(DEMO.plainUser), ["Reports"]);
  assert.deepEqual(await historyOf(DEMO.plainUser, "application_revoked"), ["Invoicing"]);
});

test("groups give their applications to members; system groups follow the P-unit", async () => {
  const groups = (await app.request("GET", "/api/groups", { cookie: admin })).json.groups;
  const finance = groups.find((g) => g.name === "Finance team");
  assert.deepEqual(finance.applications.map((a) => a.name), ["Invoicing", "Payroll"]);
  const system = groups.filter((g) => g.kind === "system").map((g) => g.name);
  assert.deepEqual(system, ["Demo ApS, Aarhus", "Demo ApS, Odense"]);
  const aarhus = groups.find((g) => g.name === "Demo ApS, Aarhus");
  const refused = await app.request("POST", `/api/groups/${aarhus.id}/members`, { cookie: admin, body: { email: DEMO.plainUser } });
  assert.equal(refused.status, 409);
  assert.match(refused.json.error.message, /P-number/);

  const stranger = await app.request("POST", `/api/groups/${finance.id}/members`, { cookie: admin, body: { email: DEMO.otherAdmin } });
  assert.equal(stranger.status, 422, "another organization's person is not found");
  assert.equal(stranger.json.error.details[0].field, "email");

  const added = await app.request("POST", `/api/groups/${finance.id}/members`, { cookie: admin, body: { email: DEMO.plainUser } });
  assert.equal(added.status, 200, added.text);
  assert.deepEqual(added.json.members.map((m) => m.name), ["Camilla Dahl"]);
  const theirs = (await app.request("GET", `/api/users/${ids[DEMO.plainUser]}/applications`, { cookie: admin })).json.held;
  assert.deepEqual(theirs.map((h) => [h.application.name, h.via_group]), [["Reports", null], ["Invoicing", "Finance team"], ["Payroll", "Finance team"]]);

  // Removing a member takes escalates nothing, so a user administrator may.
  assert.equal((await app.request("DELETE", `/api/groups/${finance.id}/members/${ids[DEMO.plainUser]}`, { cookie: userAdmin })).status, 204);
  assert.deepEqual(await historyOf(DEMO.plainUser, "group_joined"), ["Finance team"]);
  assert.deepEqual(await historyOf(DEMO.plainUser, "group_left"), ["Finance team"]);

  const made = await app.request("POST", "/api/groups", { cookie: admin, body: { name: "Readers", application_ids: [apps.Reports] } });
  assert.equal(made.status, 201, made.text);
  const byBo = await app.request("POST", `/api/groups/${made.json.id}/members`, { cookie: userAdmin, body: { email: DEMO.pendingUser } });
  assert.equal(byBo.status, 200, "Bo holds Reports, so he may add people to a group that gives only Reports");
  assert.equal((await app.request("DELETE", `/api/groups/${made.json.id}`, { cookie: userAdmin })).status, 403);
  assert.equal((await app.request("DELETE", `/api/groups/${made.json.id}`, { cookie: admin })).status, 204);
  assert.deepEqual(await historyOf(DEMO.pendingUser, "group_left"), ["Readers (the group was removed)"]);
  const badGroup = await app.request("POST", "/api/groups", { cookie: admin, body: { name: "Finance TEAM", application_ids: ["nope"] } });
  assert.deepEqual(badGroup.json.error.details.map((i) => [i.field, i.code]), [["application_ids", "unknown_application"], ["name", "taken"]]);
});

test("a user requests an application; the administrators are told; a grant reaches the user", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  const mine = (await app.request("GET", "/api/me/applications", { cookie: camilla })).json;
  assert.deepEqual(mine.held.map((h) => h.application.name), ["Reports"]);
  assert.deepEqual(mine.requestable.map((a) => a.name), ["Invoicing", "Payroll"]);

  const asked = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Invoicing, reason: "Month-end close" } });
  assert.equal(asked.status, 201, asked.text);
  const twice = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Invoicing } });
  assert.equal(twice.status, 409);
  const held = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Reports } });
  assert.equal(held.status, 409);
  assert.match(held.json.error.message, /already hold/);

  const notified = (await app.request("GET", "/api/notifications", { cookie: userAdmin })).json.items;
  assert.equal(notified[0].kind, "application_requested");
  assert.match(notified[0].body, /Camilla Dahl requests the application Invoicing|Camilla Dahl beder om applikationen Invoicing/);
  const pending = (await app.request("GET", "/api/requests", { cookie: userAdmin })).json.requests;
  assert.deepEqual(pending.map((r) => [r.requester.name, r.application.name, r.reason]), [["Camilla Dahl", "Invoicing", "Month-end close"]]);

  const decided = await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: userAdmin, body: { grant: true } });
  assert.equal(decided.status, 200, decided.text);
  assert.equal(decided.json.status, "granted");
  assert.equal(decided.json.decided_by, "Bo Berg");
  const mail = await app.waitForMail(DEMO.plainUser, /anmodning er imødekommet|request was granted/);
  assert.match(mail.text, /Invoicing/);
  const after = (await app.request("GET", "/api/me/applications", { cookie: camilla })).json;
  assert.deepEqual(after.held.map((h) => h.application.name).sort(), ["Invoicing", "Reports"]);
  assert.equal(after.requests[0].status, "granted");
  assert.equal((await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: admin, body: { grant: false } })).status, 409);
  assert.deepEqual((await app.request("GET", "/api/requests", { cookie: userAdmin })).json.requests, []);
  assert.deepEqual(await historyOf(DEMO.plainUser, "application_requested"), ["Invoicing"]);
});

test("a request for what the administrator lacks cannot be granted by them, and can be refused", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  const asked = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Payroll, reason: "" } });
  assert.equal(asked.status, 201, asked.text);
  const byBo = await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: userAdmin, body: { grant: true } });
  assert.equal(byBo.status, 403);
  assert.ok(!(await heldBy(DEMO.plainUser)).includes("Payroll"));
  const refused = await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: userAdmin, body: { grant: false } });
  assert.equal(refused.status, 200, refused.text);
  assert.equal(refused.json.status, "refused");
  await app.waitForMail(DEMO.plainUser, /anmodning er afvist|request was refused/);
  assert.deepEqual(await historyOf(DEMO.plainUser, "request_refused"), ["Payroll"]);
});

test("in the owned model a request reaches only the administrators who manage the person", async () => {
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: admin, body: { model: "owned" } })).status, 204);
  try {
    // Camilla was seeded without a managing administrator; Bo now manages nobody.
    const camilla = await app.signIn(DEMO.plainUser);
    const before = (await app.request("GET", "/api/notifications", { cookie: userAdmin })).json.items.length;
    const asked = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Payroll } });
    assert.equal(asked.status, 201, asked.text);
    assert.equal((await app.request("GET", "/api/notifications", { cookie: userAdmin })).json.items.length, before, "Bo does not manage Camilla");
    assert.deepEqual((await app.request("GET", "/api/requests", { cookie: userAdmin })).json.requests, []);
    assert.equal((await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: userAdmin, body: { grant: false } })).status, 404);
    const anne = (await app.request("GET", "/api/requests", { cookie: admin })).json.requests;
    assert.equal(anne.length, 1, "the organization administrator manages everyone");
  } finally {
    await app.request("PUT", "/api/organization/management-model", { cookie: admin, body: { model: "shared" } });
  }
});

test("a person applies to join where the organization allows it; approval creates the user and sends activation", async () => {
  const body = { cvr: "12345674", first_name: "Ida", last_name: "Holm", email: "ida.holm@example.dk", birth_date: "1990-05-17" };
  const closed = await app.request("POST", "/api/join", { body });
  assert.equal(closed.status, 422);
  assert.equal(closed.json.error.details[0].field, "cvr");
  assert.equal((await app.request("PUT", "/api/organization/joining", { cookie: userAdmin, body: { allowed: true } })).status, 403);
  assert.equal((await app.request("PUT", "/api/organization/joining", { cookie: admin, body: { allowed: true } })).status, 204);

  const bad = await app.request("POST", "/api/join", { body: { ...body, email: "nope", birth_date: "" } });
  assert.deepEqual(bad.json.error.details.map((i) => i.field), ["email", "birth_date"]);
  assert.equal((await app.request("POST", "/api/join", { body })).status, 204);
  // The same answer for an address with an open application or an account; nothing more is stored.
  assert.equal((await app.request("POST", "/api/join", { body })).status, 204);
  assert.equal((await app.request("POST", "/api/join", { body: { ...body, email: DEMO.plainUser } })).status, 204);
  const stored = (await app.db.prepare("SELECT count(*) AS n FROM join_requests").first()).n;
  assert.equal(stored, 1);

  const waiting = (await app.request("GET", "/api/join-requests", { cookie: userAdmin })).json;
  assert.equal(waiting.allowed, true);
  assert.deepEqual(waiting.requests.map((r) => [r.first_name, r.email, r.birth_date]), [["Ida", "ida.holm@example.dk", "1990-05-17"]]);
  const notified = (await app.request("GET", "/api/notifications", { cookie: userAdmin })).json.items;
  assert.equal(notified[0].kind, "join_requested");

  const approved = await app.request("POST", `/api/join-requests/${waiting.requests[0].id}/decision`, { cookie: userAdmin, body: { approve: true } });
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.json.user.status, "pending", "sent to activation");
  assert.equal(approved.json.user.email, "ida.holm@example.dk");
  // Only a birth date: the code path, the code shown once to the administrator and never e-mailed.
  assert.equal(approved.json.activation.path, "code");
  const code = approved.json.activation.code;
  assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const mail = await app.waitForMail("ida.holm@example.dk", /kode|code/);
  assert.ok(!mail.text.includes(code));
  const activated = await app.request("POST", "/api/activation", { body: { email: "ida.holm@example.dk", code, birth_date: "17-05-1990", password: "ida's long passphrase" } });
  assert.equal(activated.status, 204, activated.text);
  assert.equal((await app.request("POST", `/api/join-requests/${waiting.requests[0].id}/decision`, { cookie: admin, body: { approve: true } })).status, 404, "decided once");

  assert.equal((await app.request("POST", "/api/join", { body: { ...body, first_name: "Jens", email: "jens@example.dk" } })).status, 204);
  const jens = (await app.request("GET", "/api/join-requests", { cookie: admin })).json.requests[0];
  assert.equal((await app.request("POST", `/api/join-requests/${jens.id}/decision`, { cookie: admin, body: { approve: false } })).status, 204);
  await app.waitForMail("jens@example.dk", /ansøgning er afvist|application was refused/);
  const users = (await app.db.prepare("SELECT count(*) AS n FROM users WHERE email = 'jens@example.dk'").first()).n;
  assert.equal(users, 0);
});

test("a register administrator is a platform role: shown in /api/me, with no access to an organization's users", async () => {
  const register = await app.signIn(DEMO.registerAdmin);
  const me = (await app.request("GET", "/api/me", { cookie: register })).json;
  assert.equal(me.register_administrator, true);
  assert.equal(me.platform_operator, false);
  assert.equal((await app.request("GET", "/api/me", { cookie: userAdmin })).json.register_administrator, false);
  assert.equal((await app.request("GET", "/api/users", { cookie: register })).status, 403);
  assert.equal((await app.request("GET", "/api/requests", { cookie: register })).status, 403);
});

test("applications to join from one address are throttled, with the same answer whatever was sent", async () => {
  const from = { "cf-connecting-ip": "203.0.113.9" };
  const body = (i) => ({ cvr: "12345674", first_name: "Flood", last_name: "Er", email: `flood${i}@example.dk`, birth_date: "1990-05-17" });
  for (let i = 0; i < 10; i++) {
    const sent = await app.request("POST", "/api/join", { body: body(i), headers: from });
    assert.ok([204, 422].includes(sent.status), sent.text);
  }
  const refused = await app.request("POST", "/api/join", { body: body(10), headers: from });
  assert.equal(refused.status, 429);
  assert.match(refused.json.error.message, /Too many applications were sent from here\. Try again in \d+ minutes\./);
  const elsewhere = await app.request("POST", "/api/join", { body: body(11), headers: { "cf-connecting-ip": "203.0.113.10" } });
  assert.ok([204, 422].includes(elsewhere.status), "another address is not held back");
});

test("forty applications to join at once from one address: ten are taken, the rest wait", async () => {
  assert.equal((await app.request("PUT", "/api/organization/joining", { cookie: admin, body: { allowed: true } })).status, 204);
  const from = { "cf-connecting-ip": "203.0.113.40" };
  const body = (i) => ({ cvr: "12345674", first_name: "Rush", last_name: "Er", email: `rush${i}@example.dk`, birth_date: "1990-05-17" });
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => app.request("POST", "/api/join", { body: body(i), headers: from })));
  const statuses = answers.map((answer) => answer.status);
  assert.equal(statuses.filter((status) => status === 204).length, 10, statuses.join(" "));
  assert.equal(statuses.filter((status) => status === 429).length, 30);
  const stored = (await app.db.prepare("SELECT count(*) AS n FROM join_requests WHERE email LIKE 'rush%'").first()).n;
  assert.equal(stored, 10);
});
