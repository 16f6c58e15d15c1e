import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

// Template order: UUID, first, last, e-mail, CPR, birth date, phone, P, SE, means, anonymous, sign, seal, roles, groups.
const cells = ({ uuid = "", first = "", last = "", email = "", cpr = "", birth = "", phone = "" } = {}) =>
  [uuid, first, last, email, cpr, birth, phone, "", "", "", "", "", "", "", ""];
const createRow = (row, i) => ({ row, cells: cells({ first: "Imp", last: `Orted${"x".repeat(i % 5)}`, email: `imp${i}@example.dk`, birth: "01-01-1990", phone: "+4512345678" }) });

const send = (importId, seq, body, cookie = admin) => app.request("POST", `/api/imports/${importId}/chunks/${seq}`, { cookie, body });
const count = async (sql, ...binds) => (await app.db.prepare(sql).bind(...binds).first()).n;

test("a chunk creates its users; sent again it is a no-op that answers the same", async () => {
  const importId = randomUUID();
  const rows = Array.from({ length: 150 }, (_, i) => createRow(i + 2, i));
  const first = await send(importId, 0, { operation: "create", rows });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.replayed, false);
  assert.equal(first.json.outcomes.length, 150);
  assert.ok(first.json.outcomes.every((o) => o.outcome === "created" && o.user_id));
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email LIKE 'imp%@example.dk' AND status = 'created'"), 150);
  const replay = await send(importId, 0, { operation: "create", rows });
  assert.equal(replay.status, 200);
  assert.equal(replay.json.replayed, true);
  assert.deepEqual(replay.json.outcomes, first.json.outcomes);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email LIKE 'imp%@example.dk'"), 150, "nobody created twice");
  const history = await app.db.prepare("SELECT details FROM history WHERE user_id = ?1").bind(first.json.outcomes[0].user_id).first();
  assert.equal(history.details, `by bulk create ${importId}`);
  assert.equal(await count("SELECT count(*) AS n FROM imports WHERE id = ?1", importId), 1);
});

test("a chunk with one bad row is refused whole, naming the row", async () => {
  const rows = [createRow(2, 1000), { row: 3, cells: cells({ first: "Bad", last: "Row", email: "not-an-address", birth: "01-01-1990" }) }, createRow(4, 1001)];
  const response = await send(randomUUID(), 0, { operation: "create", rows });
  assert.equal(response.status, 422);
  assert.equal(response.json.error.code, "rows_rejected");
  assert.deepEqual(response.json.error.details.map((f) => [f.row, f.header, f.code]), [[3, "E-mail", "email_malformed"]]);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email IN ('imp1000@example.dk', 'imp1001@example.dk')"), 0);
});

test("what only the server knows refuses the chunk too: an e-mail taken, a CPR number masked in the answer", async () => {
  const rows = [
    { row: 2, cells: cells({ first: "Dup", last: "Licate", email: DEMO.plainUser, birth: "01-01-1990" }) },
    { row: 3, cells: cells({ first: "Cpr", last: "Owner", email: "cpr.owner@example.dk", cpr: "010101-1234" }) },
  ];
  const response = await send(randomUUID(), 0, { operation: "create", rows });
  assert.equal(response.status, 422);
  assert.deepEqual(response.json.error.details.map((f) => [f.row, f.code]), [[2, "email_taken"]]);
  assert.ok(!response.text.includes("1234"));
});

test("chunks that break the limits are refused with a clear error", async () => {
  const tooMany = Array.from({ length: 151 }, (_, i) => createRow(i + 2, 2000 + i));
  const response = await send(randomUUID(), 0, { operation: "create", rows: tooMany });
  assert.equal(response.status, 422);
  assert.match(response.json.error.message, /at most 150 rows/);
  const huge = await send(randomUUID(), 0, { operation: "create", rows: [{ row: 2, cells: cells({ first: "x".repeat(600_000) }) }] });
  assert.equal(huge.status, 413);
  const shape = await send(randomUUID(), 0, { operation: "create", rows: [{ row: 2, cells: ["too", "few"] }] });
  assert.equal(shape.status, 422);
  assert.match(shape.json.error.message, /cells/);
  assert.equal((await send("not-a-uuid", 0, { operation: "create", rows: [createRow(2, 1)] })).status, 404);
});

test("edit changes only the filled cells; delete removes; keys must agree", async () => {
  const created = (await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Eddie", last_name: "Edit", email: "eddie@example.dk", cpr: "020202-2222", phone: "11223344" },
  })).json;
  const edit = await send(randomUUID(), 0, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: created.id, email: "eddie@example.dk", last: "Edited" }) }] });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.outcomes[0].outcome, "updated");
  const after = (await app.request("GET", `/api/users/${created.id}`, { cookie: admin })).json;
  assert.equal(after.last_name, "Edited");
  assert.equal(after.first_name, "Eddie");
  assert.equal(after.phone, "11223344");
  assert.equal(after.cpr_masked, "020202-****");

  const disagree = await send(randomUUID(), 0, { operation: "delete", rows: [{ row: 2, cells: cells({ uuid: created.id, email: DEMO.plainUser }) }] });
  assert.equal(disagree.status, 422);
  assert.equal(disagree.json.error.details[0].code, "keys_disagree");
  const unknown = await send(randomUUID(), 0, { operation: "delete", rows: [{ row: 2, cells: cells({ email: "nobody@example.dk", cpr: "020202-2222" }) }] });
  assert.equal(unknown.json.error.details[0].code, "user_not_found");

  const remove = await send(randomUUID(), 0, { operation: "delete", rows: [{ row: 2, cells: cells({ email: "eddie@example.dk", cpr: "020202-2222" }) }] });
  assert.equal(remove.status, 200, remove.text);
  assert.equal(remove.json.outcomes[0].outcome, "deleted");
  assert.equal((await app.request("GET", `/api/users/${created.id}`, { cookie: admin })).status, 404);
});

test("another organization's import id answers 404, and only administrators import", async () => {
  const importId = randomUUID();
  assert.equal((await send(importId, 0, { operation: "create", rows: [createRow(2, 3000)] })).status, 200);
  const other = await app.signIn(DEMO.otherAdmin);
  assert.equal((await send(importId, 0, { operation: "create", rows: [createRow(2, 3000)] }, other)).status, 404);
  const plain = await app.signIn(DEMO.plainUser);
  assert.equal((await send(randomUUID(), 0, { operation: "create", rows: [createRow(2, 3001)] }, plain)).status, 403);
});

test("an import id is its first chunk's administrator's: another organization's or administrator's chunk under it answers 404", async () => {
  const importId = randomUUID();
  const first = await send(importId, 0, { operation: "create", rows: [createRow(2, 4000)] });
  assert.equal(first.status, 200, first.text);
  const other = await app.signIn(DEMO.otherAdmin);
  const foreign = await send(importId, 1, { operation: "create", rows: [createRow(3, 4001)] }, other);
  assert.equal(foreign.status, 404, foreign.text);
  const bo = await app.signIn(DEMO.userAdmin);
  const colleague = await send(importId, 1, { operation: "create", rows: [createRow(3, 4002)] }, bo);
  assert.equal(colleague.status, 404, colleague.text);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email IN ('imp4001@example.dk', 'imp4002@example.dk')"), 0);
  // The importer's own next chunk is applied, not answered with another's result.
  const own = await send(importId, 1, { operation: "create", rows: [createRow(3, 4003)] });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.replayed, false);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email = 'imp4003@example.dk'"), 1);
  assert.equal((await send(importId, 1, { operation: "create", rows: [createRow(3, 4003)] }, other)).status, 404, "nor is its answer replayed to another");
});

test("two organizations' first chunks racing under one import id: one is applied, the other answers 404", async () => {
  const other = await app.signIn(DEMO.otherAdmin);
  for (let round = 0; round < 5; round += 1) {
    const importId = randomUUID();
    const [ours, theirs] = await Promise.all([
      send(importId, 0, { operation: "create", rows: [createRow(2, 4100 + 2 * round)] }),
      send(importId, 1, { operation: "create", rows: [createRow(3, 4101 + 2 * round)] }, other),
    ]);
    assert.deepEqual([ours.status, theirs.status].sort(), [200, 404], `round ${round}: ${ours.text} ${theirs.text}`);
    const winner = ours.status === 200 ? "admin@demo.example" : "admin@anden.example";
    const owner = await app.db.prepare("SELECT u.email FROM imports i JOIN users u ON u.id = i.actor_id WHERE i.id = ?1").bind(importId).first();
    assert.equal(owner.email, winner);
    assert.equal(await count("SELECT count(*) AS n FROM import_chunks WHERE import_id = ?1", importId), 1);
  }
});

test("edit and delete rows keep the rules of the user's page", async () => {
  const bo = await app.signIn(DEMO.userAdmin);
  const adminId = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(DEMO.admin).first()).id;
  // Only organization administrators act on administrators; nobody deletes themself.
  const onAdmin = await send(randomUUID(), 0, { operation: "delete", rows: [{ row: 2, cells: cells({ uuid: adminId, email: DEMO.admin }) }] }, bo);
  assert.equal(onAdmin.status, 422, onAdmin.text);
  assert.deepEqual(onAdmin.json.error.details.map((f) => [f.header, f.code]), [["UUID", "not_allowed"]]);
  const self = await send(randomUUID(), 0, { operation: "delete", rows: [{ row: 2, cells: cells({ uuid: adminId, email: DEMO.admin }) }] });
  assert.deepEqual(self.json.error.details.map((f) => f.code), ["not_allowed"]);
  // A user administrator changes the birth date of a not-yet-active user only if he could grant all they hold (Payroll he cannot).
  const held = (await app.request("POST", "/api/users", { cookie: admin, body: { first_name: "Hand", last_name: "Over", email: "hand.over@example.dk", birth_date: "1980-01-01" } })).json;
  const payroll = (await app.request("GET", "/api/applications", { cookie: admin })).json.applications.find((a) => a.name === "Payroll");
  assert.equal((await app.request("POST", `/api/users/${held.id}/applications`, { cookie: admin, body: { application_id: payroll.id } })).status, 200);
  const birth = await send(randomUUID(), 0, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: held.id, email: "hand.over@example.dk", birth: "02-02-1980" }) }] }, bo);
  assert.equal(birth.status, 422, birth.text);
  assert.deepEqual(birth.json.error.details.map((f) => [f.header, f.code]), [["Fødselsdato", "not_allowed"]]);
  const phone = await send(randomUUID(), 0, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: held.id, email: "hand.over@example.dk", phone: "+4587654321" }) }] }, bo);
  assert.equal(phone.status, 200, "other fields he may change");
  const byAdmin = await send(randomUUID(), 0, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: held.id, email: "hand.over@example.dk", birth: "02-02-1980" }) }] });
  assert.equal(byAdmin.status, 200, byAdmin.text);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE id = ?1 AND birth_date = '1980-02-02'", held.id), 1);
});

test("files give applications and groups, within what the importing administrator may grant", async () => {
  const bo = await app.signIn(DEMO.userAdmin);
  await app.db.prepare("INSERT INTO production_units (organization_id, p_number, name) SELECT organization_id, '1003456799', 'Lager Vejle' FROM users WHERE email = ?1").bind(DEMO.admin).run();
  const withGrants = (row, email, roles, groups) => {
    const base = cells({ first: "Grant", last: "Ed", email, birth: "01-01-1990" });
    base[13] = roles;
    base[14] = groups;
    return { row, cells: base };
  };
  // Bo holds Invoicing and Reports: he may give them, not Payroll, and not the Finance team (which gives Payroll).
  const refused = await send(randomUUID(), 0, {
    operation: "create",
    rows: [
      withGrants(2, "g1@example.dk", "Invoicing, reports", ""),
      withGrants(3, "g2@example.dk", "Payroll", ""),
      withGrants(4, "g3@example.dk", "Nonesuch", "Finance team, Lager Vejle, Nobody"),
    ],
  }, bo);
  assert.equal(refused.status, 422, refused.text);
  assert.deepEqual(refused.json.error.details.map((f) => [f.row, f.header, f.code]), [
    [3, "Rettigheder", "not_allowed"],
    [4, "Rettigheder", "unknown_application"],
    [4, "Brugergrupper", "system_group"],
    [4, "Brugergrupper", "unknown_group"],
    [4, "Brugergrupper", "not_allowed"],
  ]);
  assert.equal(await count("SELECT count(*) AS n FROM users WHERE email LIKE 'g_@example.dk'"), 0, "nothing of the chunk was saved");

  const created = await send(randomUUID(), 0, { operation: "create", rows: [withGrants(2, "g1@example.dk", "Invoicing, reports", "")] }, bo);
  assert.equal(created.status, 200, created.text);
  const userId = created.json.outcomes[0].user_id;
  const held = async () =>
    (await app.db.prepare("SELECT a.name FROM user_applications g JOIN applications a ON a.id = g.application_id WHERE g.user_id = ?1 ORDER BY a.name").bind(userId).all()).results.map((r) => r.name);
  assert.deepEqual(await held(), ["Invoicing", "Reports"]);

  // An edit row's filled cells become the user's direct applications and groups; empty cells leave them alone.
  const editRow = (roles, groups) => {
    const base = cells({ uuid: userId, email: "g1@example.dk" });
    base[13] = roles;
    base[14] = groups;
    return { row: 2, cells: base };
  };
  const edited = await send(randomUUID(), 0, { operation: "edit", rows: [editRow("Payroll", "Finance team")] }, admin);
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(await held(), ["Payroll"]);
  assert.equal(await count("SELECT count(*) AS n FROM group_members WHERE user_id = ?1", userId), 1);
  const untouched = await send(randomUUID(), 0, { operation: "edit", rows: [editRow("", "")] }, admin);
  assert.equal(untouched.status, 200, untouched.text);
  assert.deepEqual(await held(), ["Payroll"]);
  const actions = (await app.db.prepare("SELECT action FROM history WHERE user_id = ?1 ORDER BY at, rowid").bind(userId).all()).results.map((r) => r.action);
  assert.deepEqual(actions.filter((a) => a !== "created" && a !== "updated").sort(), ["application_granted", "application_granted", "application_granted", "application_revoked", "application_revoked", "group_joined"].sort());
});
