// Issue #15: what one administrator may do to another administrator, to
// accounts they could not have granted, and to the state another request
// changes meanwhile. Each test failed on the main before the fix.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let anne;
let bo;
const ids = {};
before(async () => {
  app = await startTestApp();
  anne = await app.signIn(DEMO.admin);
  bo = await app.signIn(DEMO.userAdmin);
  const id = async (email) => (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first()).id;
  ids.anne = await id(DEMO.admin);
  ids.bo = await id(DEMO.userAdmin);
  ids.juergen = await id("juergen.mueller@demo.example");
  ids.payroll = (await app.db.prepare("SELECT id FROM applications WHERE name = 'Payroll'").first()).id;
  ids.invoicing = (await app.db.prepare("SELECT id FROM applications WHERE name = 'Invoicing'").first()).id;
});
after(() => app?.dispose());

async function createUser(cookie, fields = {}) {
  const body = { first_name: "Target", last_name: "Person", email: `t${randomUUID()}@example.dk`, birth_date: "01-01-1990", ...fields };
  const response = await app.request("POST", "/api/users", { cookie, body });
  assert.equal(response.status, 201, response.text);
  return response.json;
}

/** A fresh active administrator of the demo organization, and their session. */
async function freshAdministrator(role) {
  const user = await createUser(anne);
  await app.db.prepare("UPDATE users SET status = 'active', role = ?2 WHERE id = ?1").bind(user.id, role).run();
  return user;
}

/** A name of letters only, unique enough to search for. */
const uniqueName = (prefix) => prefix + randomUUID().replace(/[^a-f]/g, "").slice(0, 8);

const editOf = (user, changes) => ({
  first_name: user.first_name, last_name: user.last_name, email: user.email, birth_date: user.birth_date ?? "", ...changes,
});

test("a user administrator cannot deactivate, reactivate, edit, delete or send to activation an administrator", async () => {
  const userAdmin = await freshAdministrator("user_admin");
  for (const target of [{ id: ids.anne, email: DEMO.admin, first_name: "Anne", last_name: "Admin" }, userAdmin]) {
    const detail = (await app.request("GET", `/api/users/${target.id}`, { cookie: bo })).json;
    assert.ok(detail.id, "a user administrator still sees administrators");
    const attempts = [
      ["POST", `/api/users/${target.id}/deactivation`, {}],
      ["POST", `/api/users/${target.id}/reactivation`, undefined],
      ["PATCH", `/api/users/${target.id}`, editOf(detail, { last_name: "Changed" })],
      ["DELETE", `/api/users/${target.id}`, undefined],
      ["POST", `/api/users/${target.id}/activation`, undefined],
      ["POST", `/api/users/${target.id}/applications`, { application_id: ids.invoicing }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await app.request(method, path, { cookie: bo, body });
      assert.equal(response.status, 403, `${method} ${path}: ${response.text}`);
      assert.match(response.json.error.message, /organization administrator/);
    }
  }
  // Anne is unchanged and still signs in.
  anne = await app.signIn(DEMO.admin);
  const stored = await app.db.prepare("SELECT status FROM users WHERE id = ?1").bind(ids.anne).first();
  assert.equal(stored.status, "active");
  // The import's edit and delete rows follow the same rule.
  const chunk = await app.request("POST", `/api/imports/${randomUUID()}/chunks/0`, {
    cookie: bo,
    body: { operation: "delete", rows: [{ row: 2, cells: [userAdmin.id, "", "", userAdmin.email, "", "", "", "", "", "", "", "", "", "", ""] }] },
  });
  assert.equal(chunk.status, 422, chunk.text);
  assert.equal(chunk.json.error.details[0].code, "not_allowed");
  // An organization administrator acts on a user administrator.
  assert.equal((await app.request("POST", `/api/users/${userAdmin.id}/deactivation`, { cookie: anne, body: {} })).status, 200);
});

test("nobody deactivates or deletes themself", async () => {
  const deactivated = await app.request("POST", `/api/users/${ids.anne}/deactivation`, { cookie: anne, body: {} });
  assert.equal(deactivated.status, 409, deactivated.text);
  const deleted = await app.request("DELETE", `/api/users/${ids.bo}`, { cookie: bo });
  assert.equal(deleted.status, 409, deleted.text);
  assert.match(deleted.json.error.message, /cannot delete yourself/);
});

test("two organization administrators deactivating each other at the same time leave one active", async () => {
  const dag = await freshAdministrator("organization_admin");
  const dagCookie = await (async () => {
    await app.db.prepare("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = ?2) WHERE id = ?1").bind(dag.id, ids.anne).run();
    return app.signIn(dag.email);
  })();
  // Scheduled from tomorrow, both; the cron then runs both periods at once.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  for (const [cookie, target] of [[anne, dag.id], [dagCookie, ids.anne]]) {
    const scheduled = await app.request("POST", `/api/users/${target}/deactivation`, { cookie, body: { from: tomorrow } });
    assert.equal(scheduled.status, 200, scheduled.text);
  }
  await app.scheduled(Date.now() + 2 * 86_400_000);
  const active = await app.db
    .prepare("SELECT count(*) AS n FROM users WHERE organization_id = (SELECT organization_id FROM users WHERE id = ?1) AND role = 'organization_admin' AND status = 'active'")
    .bind(ids.anne)
    .first();
  assert.equal(active.n, 1, "exactly one organization administrator stays active");
  // Put things back for the other tests.
  await app.db.prepare("UPDATE users SET status = 'active', deactivate_from = NULL WHERE id IN (?1, ?2)").bind(ids.anne, dag.id).run();
  anne = await app.signIn(DEMO.admin);
  // And in parallel through the API: at least one stays active whatever the interleaving.
  const dagAgain = await app.signIn(dag.email);
  const answers = await Promise.all([
    app.request("POST", `/api/users/${dag.id}/deactivation`, { cookie: anne, body: {} }),
    app.request("POST", `/api/users/${ids.anne}/deactivation`, { cookie: dagAgain, body: {} }),
  ]);
  const stillActive = await app.db
    .prepare("SELECT count(*) AS n FROM users WHERE id IN (?1, ?2) AND status = 'active'")
    .bind(ids.anne, dag.id)
    .first();
  assert.ok(stillActive.n >= 1, `answers ${answers.map((a) => a.status)}`);
  await app.db.prepare("UPDATE users SET status = 'active' WHERE id = ?1").bind(ids.anne).run();
  await app.db.prepare("UPDATE users SET status = 'deactivated' WHERE id = ?1").bind(dag.id).run();
  anne = await app.signIn(DEMO.admin);
});

test("a user administrator cannot take over an account holding applications he could not grant", async () => {
  // Anne grants Payroll to Jürgen (created, birth date only); Bo does not hold Payroll.
  const granted = await app.request("POST", `/api/users/${ids.juergen}/applications`, { cookie: anne, body: { application_id: ids.payroll } });
  assert.equal(granted.status, 200, granted.text);
  const sent = await app.request("POST", `/api/users/${ids.juergen}/activation`, { cookie: bo });
  assert.equal(sent.status, 403, sent.text);
  assert.equal(sent.json.error.code, "forbidden");
  assert.equal(sent.json.code, undefined, "no activation code in the refusal");
  const juergen = (await app.request("GET", `/api/users/${ids.juergen}`, { cookie: bo })).json;
  const emailChange = await app.request("PATCH", `/api/users/${ids.juergen}`, { cookie: bo, body: editOf(juergen, { email: "bo.owns.this@example.dk" }) });
  assert.equal(emailChange.status, 403, emailChange.text);
  const birthDateChange = await app.request("PATCH", `/api/users/${ids.juergen}`, { cookie: bo, body: editOf(juergen, { birth_date: "02-02-1962" }) });
  assert.equal(birthDateChange.status, 403, birthDateChange.text);
  // Other fields he may still change.
  const phone = await app.request("PATCH", `/api/users/${ids.juergen}`, { cookie: bo, body: editOf(juergen, { phone: "12345678" }) });
  assert.equal(phone.status, 200, phone.text);
  const bulk = await app.request("POST", "/api/activations", { cookie: bo, body: { user_ids: [ids.juergen] } });
  assert.equal(bulk.status, 200, bulk.text);
  assert.deepEqual(bulk.json.sent, []);
  assert.equal((await app.db.prepare("SELECT status FROM users WHERE id = ?1").bind(ids.juergen).first()).status, "created");

  // Through a group too.
  const group = await app.request("POST", "/api/groups", { cookie: anne, body: { name: `Payroll team ${randomUUID()}`, application_ids: [ids.payroll] } });
  assert.equal(group.status, 201, group.text);
  const member = await createUser(anne, { cpr: "010203-4321", birth_date: "" });
  assert.equal((await app.request("POST", `/api/groups/${group.json.id}/members`, { cookie: anne, body: { email: member.email } })).status, 200);
  assert.equal((await app.request("POST", `/api/users/${member.id}/activation`, { cookie: bo })).status, 403);

  // What he could grant himself, he may send.
  const plain = await createUser(anne);
  assert.equal((await app.request("POST", `/api/users/${plain.id}/applications`, { cookie: anne, body: { application_id: ids.invoicing } })).status, 200);
  assert.equal((await app.request("POST", `/api/users/${plain.id}/activation`, { cookie: bo })).status, 200);
  // The organization administrator may send Jürgen.
  assert.equal((await app.request("POST", `/api/users/${ids.juergen}/activation`, { cookie: anne })).status, 200);
});

test("changing a pending user's e-mail withdraws the activation link sent to the old one", async () => {
  const user = await createUser(anne, { email: `ida${randomUUID()}@typo.example`, cpr: "050607-4321", birth_date: "" });
  assert.equal((await app.request("POST", `/api/users/${user.id}/activation`, { cookie: anne })).status, 200);
  const mail = await app.waitForMail(user.email, /Activate your account|Aktivér/);
  const token = mail.text.match(/activate#token=([0-9a-f]+)/)[1];
  const detail = (await app.request("GET", `/api/users/${user.id}`, { cookie: anne })).json;
  const changed = await app.request("PATCH", `/api/users/${user.id}`, { cookie: anne, body: editOf(detail, { email: `ida${randomUUID()}@right.example` }) });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.status, "created", "the administrator sends again");
  const activated = await app.request("POST", "/api/activation", { body: { token, password: "a long and private passphrase" } });
  assert.equal(activated.status, 400, activated.text);
  assert.equal(activated.json.error.code, "activation_refused");
  const queued = await app.db.prepare("SELECT count(*) AS n FROM outbox WHERE user_id = ?1 AND status = 'pending'").bind(user.id).first();
  assert.equal(queued.n, 0, "no activation e-mail or reminder left to send");
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: anne })).json.entries;
  assert.match(history[0].details, /e-mail.*withdrawn/);
});

test("in the owned model the audit log shows a user administrator only what he manages", async () => {
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "owned" } })).status, 204);
  const hidden = await createUser(anne, { first_name: "Hidden", last_name: uniqueName("Person") });
  const own = await createUser(bo, { first_name: "Visible", last_name: uniqueName("Person") });
  assert.equal((await app.request("GET", `/api/users/${hidden.id}`, { cookie: bo })).status, 404);
  for (const path of ["/api/audit", "/api/audit?format=csv"]) {
    const audit = await app.request("GET", path, { cookie: bo });
    assert.equal(audit.status, 200);
    assert.ok(!audit.text.includes(hidden.id) && !audit.text.includes(hidden.last_name), `${path} leaks the hidden user`);
    assert.ok(audit.text.includes(own.id), `${path} shows his own user`);
  }
  assert.ok((await app.request("GET", "/api/audit", { cookie: anne })).text.includes(hidden.id), "the organization administrator sees everyone");

  // Removing someone from a group answers the same whether or not they are a member.
  const group = await app.request("POST", "/api/groups", { cookie: anne, body: { name: `Owned ${randomUUID()}` } });
  const member = await createUser(anne);
  assert.equal((await app.request("POST", `/api/groups/${group.json.id}/members`, { cookie: anne, body: { email: member.email } })).status, 200);
  const memberAnswer = await app.request("DELETE", `/api/groups/${group.json.id}/members/${member.id}`, { cookie: bo });
  const otherAnswer = await app.request("DELETE", `/api/groups/${group.json.id}/members/${hidden.id}`, { cookie: bo });
  assert.equal(memberAnswer.status, otherAnswer.status);
  assert.deepEqual(memberAnswer.json, otherAnswer.json);
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "shared" } })).status, 204);
});

test("an edit racing a delete never writes personal data back into the tombstone", async () => {
  const users = await Promise.all(Array.from({ length: 12 }, () => createUser(anne)));
  await Promise.all(
    users.flatMap((user) => [
      app.request("PATCH", `/api/users/${user.id}`, { cookie: anne, body: editOf(user, { first_name: "Raced", phone: "12345678" }) }),
      app.request("DELETE", `/api/users/${user.id}`, { cookie: anne }),
    ]),
  );
  for (const user of users) {
    const row = await app.db.prepare("SELECT status, first_name, phone, search_text FROM users WHERE id = ?1").bind(user.id).first();
    assert.equal(row.status, "deleted");
    assert.deepEqual([row.first_name, row.phone, row.search_text], ["", null, ""], "the tombstone holds no personal data");
  }
  // After the delete, an edit finds nobody.
  const user = await createUser(anne);
  await app.request("DELETE", `/api/users/${user.id}`, { cookie: anne });
  const stale = await app.request("PATCH", `/api/users/${user.id}`, { cookie: anne, body: editOf(user, { first_name: "Late" }) });
  assert.equal(stale.status, 404);
});
