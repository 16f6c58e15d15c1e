// The largest requests of each bulk kind stay within D1's 1,000 queries per
// Worker invocation, with room for the outbox delivery that follows a
// mutating request in the same invocation. Each prints its count.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO } from "./test-app.mjs";

/** D1's queries per Worker invocation. */
const D1_QUERIES = 1000;
/** What the outbox delivery after a mutating request may run: one select and two per entry, 50 entries. */
const OUTBOX_DELIVERY = 101;

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
  const applications = (await app.request("GET", "/api/applications", { cookie: admin })).json.applications;
  const id = (name) => applications.find((a) => a.name === name).id;
  for (const [name, given] of [["Team Invoicing", "Invoicing"], ["Team Reports", "Reports"]]) {
    const group = await app.request("POST", "/api/groups", { cookie: admin, body: { name, application_ids: [id(given)] } });
    assert.equal(group.status, 201, group.text);
  }
});
after(() => app?.dispose());

// Template order: UUID, first, last, e-mail, CPR, birth date, phone, P, SE, means, anonymous, sign, seal, roles, groups.
const cells = ({ uuid = "", email = "", cpr = "", birth = "", roles = "", groups = "", named = true } = {}) =>
  [uuid, named ? "Bulk" : "", named ? "Budget" : "", email, cpr, birth, "", "", "", "", "", "", "", roles, groups];
const send = (importId, seq, body) => app.request("POST", `/api/imports/${importId}/chunks/${seq}`, { cookie: admin, body });
const queries = (response) => Number(response.headers.get("x-d1-queries"));
const count = async (sql, ...binds) => (await app.db.prepare(sql).bind(...binds).first()).n;
/** A distinct, well-formed CPR number for each `i`. */
const cpr = (i) => `${String(1 + (i % 28)).padStart(2, "0")}${String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0")}80-${String(i).padStart(4, "0")}`;

/**
 * Sends `rows` as one chunk, which the Worker refuses as too large, then as
 * many of them as its answer says fit: the largest chunk of their kind.
 */
async function sendLargestChunk(operation, rows, what) {
  const importId = randomUUID();
  const refused = await send(importId, 0, { operation, rows });
  assert.equal(refused.status, 422, refused.text);
  const fit = Number(refused.json.error.message.match(/send at most (\d+) rows/)?.[1]);
  assert.ok(fit > 0 && fit < rows.length, refused.json.error.message);
  const applied = await send(importId, 0, { operation, rows: rows.slice(0, fit) });
  assert.equal(applied.status, 200, applied.text);
  console.log(`${what}: ${fit} rows in the largest chunk, ${queries(applied)} D1 queries (+ at most ${OUTBOX_DELIVERY} for the outbox)`);
  assert.ok(queries(applied) + OUTBOX_DELIVERY <= D1_QUERIES, `${queries(applied)} queries`);
  return applied.json.outcomes;
}

const held = async (userId) =>
  (await app.db.prepare("SELECT a.name FROM user_applications g JOIN applications a ON a.id = g.application_id WHERE g.user_id = ?1 ORDER BY a.name").bind(userId).all())
    .results.map((r) => r.name);
const memberOf = async (userId) =>
  (await app.db.prepare("SELECT g.name FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = ?1 ORDER BY g.name").bind(userId).all())
    .results.map((r) => r.name);

test("the largest chunk of create rows that give applications and groups is applied whole", async () => {
  const rows = Array.from({ length: 150 }, (_, i) => ({
    row: i + 2,
    cells: cells({ email: `grant${i}@budget.example`, birth: "01-01-1990", roles: "Invoicing, Reports", groups: "Team Invoicing, Team Reports" }),
  }));
  const outcomes = await sendLargestChunk("create", rows, "create rows with applications and groups");
  assert.ok(outcomes.every((o) => o.outcome === "created"));
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email LIKE 'grant%@budget.example'"), outcomes.length);
  assert.equal(await count("SELECT count(*) AS n FROM user_applications g JOIN users u ON u.id = g.user_id WHERE u.email LIKE 'grant%@budget.example'"), 2 * outcomes.length);
  assert.equal(await count("SELECT count(*) AS n FROM group_members m JOIN users u ON u.id = m.user_id WHERE u.email LIKE 'grant%@budget.example'"), 2 * outcomes.length);
  for (const userId of [outcomes[0].user_id, outcomes.at(-1).user_id]) {
    assert.deepEqual(await held(userId), ["Invoicing", "Reports"]);
    assert.deepEqual(await memberOf(userId), ["Team Invoicing", "Team Reports"]);
    const events = (await app.db.prepare("SELECT action, details FROM history WHERE user_id = ?1 AND action <> 'created' ORDER BY action, details").bind(userId).all()).results;
    assert.deepEqual(events.map((e) => `${e.action} ${e.details}`), [
      "application_granted Invoicing", "application_granted Reports", "group_joined Team Invoicing", "group_joined Team Reports",
    ]);
  }
});

test("the largest chunk of edit rows that change applications, groups and a pending user's birth date", async () => {
  // Users holding two applications and two groups, made in small chunks.
  const importId = randomUUID();
  const users = [];
  for (let seq = 0; seq < 3; seq += 1) {
    const rows = Array.from({ length: 50 }, (_, i) => ({
      row: i + 2,
      cells: cells({ email: `edit${50 * seq + i}@budget.example`, birth: "01-01-1990", roles: "Invoicing, Reports", groups: "Team Invoicing, Team Reports" }),
    }));
    const created = await send(importId, seq, { operation: "create", rows });
    assert.equal(created.status, 200, created.text);
    users.push(...created.json.outcomes.map((o, i) => ({ id: o.user_id, email: `edit${50 * seq + i}@budget.example` })));
  }
  // Pending users: changing the birth date withdraws their activation, the most an edit row writes.
  await app.db.prepare("UPDATE users SET status = 'pending', registration_deadline = 4102444800 WHERE email LIKE 'edit%@budget.example'").run();
  const rows = users.map((user, i) => ({
    row: i + 2,
    cells: cells({ uuid: user.id, email: user.email, birth: "02-02-1991", roles: "Payroll", groups: "Finance team", named: false }),
  }));
  const outcomes = await sendLargestChunk("edit", rows, "edit rows with applications and groups");
  assert.ok(outcomes.every((o) => o.outcome === "updated"));
  for (const { user_id: userId } of [outcomes[0], outcomes.at(-1)]) {
    assert.deepEqual(await held(userId), ["Payroll"]);
    assert.deepEqual(await memberOf(userId), ["Finance team"]);
    const user = await app.db.prepare("SELECT status, birth_date FROM users WHERE id = ?1").bind(userId).first();
    assert.deepEqual(user, { status: "created", birth_date: "1991-02-02" });
    const revoked = (await app.db.prepare("SELECT details FROM history WHERE user_id = ?1 AND action IN ('application_revoked', 'group_left') ORDER BY details").bind(userId).all()).results;
    assert.deepEqual(revoked.map((e) => e.details), ["Invoicing", "Reports", "Team Invoicing", "Team Reports"]);
  }
});

test("the largest chunk of delete rows", async () => {
  const plain = Array.from({ length: 150 }, (_, i) => ({ row: i + 2, cells: cells({ email: `gone${i}@budget.example`, birth: "01-01-1990" }) }));
  const created = await send(randomUUID(), 0, { operation: "create", rows: plain });
  assert.equal(created.status, 200, created.text);
  console.log(`create rows without applications or groups: ${plain.length} rows, ${queries(created)} D1 queries`);
  const rows = created.json.outcomes.map((o, i) => ({ row: i + 2, cells: cells({ uuid: o.user_id, email: `gone${i}@budget.example`, named: false }) }));
  const outcomes = await sendLargestChunk("delete", rows, "delete rows");
  assert.ok(outcomes.every((o) => o.outcome === "deleted"));
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE status = 'deleted' AND deleted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?1))", JSON.stringify(outcomes.map((o) => o.user_id))), outcomes.length);
});

test("500 users are sent to activation at once", async () => {
  const ids = [];
  for (let start = 0; start < 500; start += 150) {
    const rows = Array.from({ length: Math.min(150, 500 - start) }, (_, i) => ({
      row: i + 2,
      cells: cells({ email: `link${start + i}@budget.example`, cpr: cpr(start + i) }),
    }));
    const created = await send(randomUUID(), 0, { operation: "create", rows });
    assert.equal(created.status, 200, created.text);
    ids.push(...created.json.outcomes.map((o) => o.user_id));
  }
  const response = await app.request("POST", "/api/activations", { cookie: admin, body: { user_ids: ids } });
  assert.equal(response.status, 200, response.text);
  console.log(`bulk activation of ${ids.length} users: ${queries(response)} D1 queries (+ at most ${OUTBOX_DELIVERY} for the outbox)`);
  assert.ok(queries(response) + OUTBOX_DELIVERY <= D1_QUERIES, `${queries(response)} queries`);
  assert.equal(response.json.sent.length, 500);
  assert.deepEqual(response.json.skipped, []);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE status = 'pending' AND email LIKE 'link%@budget.example'"), 500);
  assert.equal(await count("SELECT count(*) AS n FROM activation_secrets s JOIN users u ON u.id = s.user_id WHERE u.email LIKE 'link%@budget.example' AND s.consumed_at IS NULL AND s.path = 'link'"), 500);
  assert.equal(await count("SELECT count(*) AS n FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.email LIKE 'link%@budget.example' AND o.kind = 'activation_link'"), 500);
  assert.equal(await count("SELECT count(*) AS n FROM history h JOIN users u ON u.id = h.user_id WHERE u.email LIKE 'link%@budget.example' AND h.action = 'sent_to_activation'"), 500);
  // A link sent in bulk activates.
  const mail = await app.waitForMail("link7@budget.example");
  const token = mail.text.match(/#token=([0-9a-f]{64})/)[1];
  assert.equal((await app.request("POST", "/api/activation", { body: { token, password: "a long and private passphrase" } })).status, 204);
});
