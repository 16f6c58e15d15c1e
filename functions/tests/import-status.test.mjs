// GET /api/imports/{id}: an import's progress and result from the server,
// as counts only, for whoever started it and the organization's
// administrators; one D1 read however many chunks the import has.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
let bo;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
  bo = await app.signIn(DEMO.userAdmin);
});
after(() => app?.dispose());

// Template order: UUID, first, last, e-mail, CPR, birth date, phone, P, SE, means, anonymous, sign, seal, roles, groups.
const cells = ({ uuid = "", first = "", last = "", email = "", birth = "" } = {}) => [uuid, first, last, email, "", birth, "", "", "", "", "", "", "", "", ""];
let made = 0;
/** `n` create rows of people nobody has made before. */
const createRows = (n) => Array.from({ length: n }, (_, i) => ({ row: i + 2, cells: cells({ first: "Status", last: "Person", email: `status${made++}@example.dk`, birth: "01-01-1990" }) }));
const send = (importId, seq, body, cookie) => app.request("POST", `/api/imports/${importId}/chunks/${seq}`, { cookie, body });
const progress = (importId, cookie) => app.request("GET", `/api/imports/${importId}`, { cookie });
const queries = (response) => Number(response.headers.get("x-d1-queries"));

async function applied(importId, seq, body, cookie) {
  const response = await send(importId, seq, body, cookie);
  assert.equal(response.status, 200, response.text);
  return response.json;
}

test("an import's progress after two of three chunks, after all three, and after a chunk sent again", async () => {
  const importId = randomUUID();
  const chunks = [createRows(4), createRows(3), createRows(5)];
  await applied(importId, 0, { operation: "create", rows: chunks[0] }, bo);
  await applied(importId, 1, { operation: "create", rows: chunks[1] }, bo);

  const partway = await progress(importId, bo);
  assert.equal(partway.status, 200, partway.text);
  assert.deepEqual(Object.keys(partway.json).sort(), ["actor_name", "chunks", "id", "last_activity_at", "operation", "outcomes", "rows", "started_at"]);
  assert.equal(partway.json.id, importId);
  assert.equal(partway.json.operation, "create");
  assert.equal(partway.json.actor_name, "Bo Berg");
  assert.deepEqual(partway.json.chunks, [0, 1]);
  assert.equal(partway.json.rows, 7);
  assert.deepEqual(partway.json.outcomes, { created: 7, updated: 0, deleted: 0, rejected: 0 });
  assert.ok(partway.json.started_at > 1_700_000_000 && partway.json.last_activity_at >= partway.json.started_at);
  // Counts only: nothing of the rows' cells, nor the people made.
  for (const row of [...chunks[0], ...chunks[1]]) assert.ok(!partway.text.includes(row.cells[3]), row.cells[3]);
  assert.ok(!/Status|Person|user_id/.test(partway.text), partway.text);

  await applied(importId, 2, { operation: "create", rows: chunks[2] }, bo);
  const done = (await progress(importId, bo)).json;
  assert.deepEqual(done.chunks, [0, 1, 2]);
  assert.equal(done.rows, 12);
  assert.deepEqual(done.outcomes, { created: 12, updated: 0, deleted: 0, rejected: 0 });

  const replay = await applied(importId, 1, { operation: "create", rows: chunks[1] }, bo);
  assert.equal(replay.replayed, true);
  const after = (await progress(importId, bo)).json;
  assert.deepEqual(after.chunks, [0, 1, 2], "a chunk sent twice is counted once");
  assert.equal(after.rows, 12);
  assert.deepEqual(after.outcomes, done.outcomes);
});

test("edits and deletions are counted by their outcome", async () => {
  const created = await applied(randomUUID(), 0, { operation: "create", rows: createRows(3) }, admin);
  const [first, second, third] = created.outcomes.map((o) => o.user_id);
  const emails = await Promise.all([first, second, third].map(async (id) => (await app.request("GET", `/api/users/${id}`, { cookie: admin })).json.email));
  const edit = randomUUID();
  await applied(edit, 0, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: first, email: emails[0], last: "Edited" }) }, { row: 3, cells: cells({ uuid: second, email: emails[1], last: "Edited" }) }] }, admin);
  const deletion = randomUUID();
  await applied(deletion, 0, { operation: "delete", rows: [{ row: 2, cells: cells({ uuid: third, email: emails[2] }) }] }, admin);
  const edited = (await progress(edit, admin)).json;
  assert.equal(edited.operation, "edit");
  assert.deepEqual(edited.outcomes, { created: 0, updated: 2, deleted: 0, rejected: 0 });
  const deleted = (await progress(deletion, admin)).json;
  assert.equal(deleted.operation, "delete");
  assert.deepEqual(deleted.outcomes, { created: 0, updated: 0, deleted: 1, rejected: 0 });
});

test("the import's event in the audit log names the import, to link to its progress", async () => {
  const importId = randomUUID();
  await applied(importId, 0, { operation: "create", rows: createRows(2) }, admin);
  const audit = (await app.request("GET", "/api/audit?q=bulk", { cookie: admin })).json.entries;
  const entry = audit.find((e) => e.subject_id === importId);
  assert.ok(entry, JSON.stringify(audit.slice(0, 3)));
  assert.equal((await progress(entry.subject_id, admin)).status, 200);
});

test("who may read an import: its administrator and the organization's administrators; others are told nothing", async () => {
  const bosImport = randomUUID();
  await applied(bosImport, 0, { operation: "create", rows: createRows(1) }, bo);
  const annesImport = randomUUID();
  await applied(annesImport, 0, { operation: "create", rows: createRows(1) }, admin);

  // The organization administrator reads the user administrator's import.
  assert.equal((await progress(bosImport, admin)).status, 200);
  // A user administrator reads only their own: another's answers as an unknown id does.
  const others = await progress(annesImport, bo);
  assert.equal(others.status, 404, others.text);
  assert.deepEqual(Object.keys(others.json), ["error"]);
  // Another organization's administrator: 404, as for an id nobody used.
  const otherAdmin = await app.signIn(DEMO.otherAdmin);
  const foreign = await progress(bosImport, otherAdmin);
  const unknown = await progress(randomUUID(), otherAdmin);
  assert.equal(foreign.status, 404);
  assert.equal(unknown.status, 404);
  assert.deepEqual(foreign.json, unknown.json, "the same answer whether or not the import exists");
  // A user who administers nobody: refused by the route's guard.
  const camilla = await app.signIn(DEMO.plainUser);
  assert.equal((await progress(bosImport, camilla)).status, 403);
  assert.equal((await app.request("GET", `/api/imports/${bosImport}`)).status, 401);
});

test("an unknown import id answers 404 and a malformed one 400", async () => {
  assert.equal((await progress(randomUUID(), admin)).status, 404);
  for (const malformed of ["not-a-uuid", "1234", encodeURIComponent("'; DROP TABLE imports; --")]) {
    const response = await progress(malformed, admin);
    assert.equal(response.status, 400, `${malformed}: ${response.text}`);
    assert.equal(response.json.error.code, "invalid_query");
  }
});

test("one D1 read whatever the import's size: 1,400 chunks of 150 rows are summed in SQL", async () => {
  const small = randomUUID();
  await applied(small, 0, { operation: "create", rows: createRows(2) }, admin);
  const smallAnswer = await progress(small, admin);

  // A 210,000-row import's chunks, stored as the Worker stores them.
  const large = randomUUID();
  const { id: adminId, organization_id: organizationId } = await app.db.prepare("SELECT id, organization_id FROM users WHERE email = ?1").bind(DEMO.admin).first();
  await app.db.prepare("INSERT INTO imports (id, organization_id, operation, actor_id, actor_name, created_at) VALUES (?1, ?2, 'edit', ?3, 'Anne Andersen', 1000)")
    .bind(large, organizationId, adminId).run();
  const outcome = (i) => ({ row: i + 2, outcome: i % 10 === 0 ? "deleted" : "updated", user_id: randomUUID(), reason: null });
  for (let start = 0; start < 1400; start += 100) {
    await app.db.batch(Array.from({ length: 100 }, (_, i) => {
      const seq = start + i;
      const result = JSON.stringify({ seq, outcomes: Array.from({ length: 150 }, (_, r) => outcome(r)), replayed: false });
      return app.db.prepare("INSERT INTO import_chunks (import_id, seq, rows, result, created_at) VALUES (?1, ?2, 150, ?3, ?4)").bind(large, seq, result, 1000 + seq);
    }));
  }
  const started = performance.now();
  const largeAnswer = await progress(large, admin);
  const took = performance.now() - started;
  assert.equal(largeAnswer.status, 200, largeAnswer.text);
  assert.equal(largeAnswer.json.chunks.length, 1400);
  assert.deepEqual(largeAnswer.json.chunks.slice(0, 3), [0, 1, 2]);
  assert.equal(largeAnswer.json.chunks.at(-1), 1399);
  assert.equal(largeAnswer.json.rows, 210_000);
  assert.deepEqual(largeAnswer.json.outcomes, { created: 0, updated: 1400 * 135, deleted: 1400 * 15, rejected: 0 });
  assert.equal(largeAnswer.json.started_at, 1000);
  assert.equal(largeAnswer.json.last_activity_at, 1000 + 1399);
  console.log(`GET /api/imports/{id}: ${queries(smallAnswer)} D1 queries for 1 chunk, ${queries(largeAnswer)} for 1,400 chunks (${took.toFixed(0)} ms)`);
  assert.equal(queries(largeAnswer), queries(smallAnswer));
  assert.ok(queries(largeAnswer) <= 3, `${queries(largeAnswer)} queries`);
});

test("40 progress reads at once all answer the same", async () => {
  const importId = randomUUID();
  await applied(importId, 0, { operation: "create", rows: createRows(2) }, bo);
  await applied(importId, 1, { operation: "create", rows: createRows(2) }, bo);
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => progress(importId, i % 2 ? bo : admin)));
  for (const answer of answers) {
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.json, answers[0].json);
  }
  assert.deepEqual(answers[0].json.chunks, [0, 1]);
});
