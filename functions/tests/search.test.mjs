// GET /api/users?q=: the trigram index (`users_search`, migration 0010)
// answers exactly what the walk with `instr` answered, in the same order and
// pages, and is kept in step with every write of a user's search text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestApp, sqlStatements, DEMO, ROOT } from "./test-app.mjs";

let app;
let admin;
let organizationId;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
  organizationId = (await app.db.prepare("SELECT organization_id FROM users WHERE email = ?1").bind(DEMO.admin).first()).organization_id;
  // People whose names and addresses hold what query syntax is made of,
  // written straight to the table as rows of earlier versions were.
  const people = [
    ["Søren", "Ærø-Ågård", "soeren.aeroe@example.dk"],
    ["Jürgen", "Müller", "juergen_mueller@example.de"],
    ["Ann", "O'Neil \"Quote\"", "ann%percent@example.dk"],
    ["Star", "Gazer*", "star*gazer@example.dk"],
    ["Dash", "Hyphen-Name", "dash-hyphen@example.dk"],
    ["Under", "Score", "under_score@example.dk"],
    ["Plain", "Person", "plain.person@example.dk"],
    ["Bo", "Or", "or.and.not@example.dk"],
    ["Zoë", "Ünal", "zoe.unal@example.dk"],
  ];
  await app.db.batch(people.map(([first, last, email]) => app.db.prepare(
    "INSERT INTO users (id, organization_id, first_name, last_name, email, email_normalized, role, status, search_text, created_at, updated_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, lower(?5), 'user', 'active', lower(?3 || ' ' || ?4 || ' ' || ?5), 0, 0)",
  ).bind(randomUUID(), organizationId, first, last, email)));
});
after(() => app?.dispose());

/** What the walk with `instr` answers: the organization's live users whose search text contains `needle`, in name order. */
async function walked(needle) {
  const rows = await app.db.prepare(
    "SELECT id FROM users WHERE organization_id = ?1 AND status <> 'deleted' AND instr(search_text, ?2) > 0 ORDER BY last_name, first_name, id",
  ).bind(organizationId, needle.trim().toLowerCase()).all();
  return rows.results.map((r) => r.id);
}

/** Every page of the search for `needle`, `limit` at a time. */
async function searched(needle, limit = 2) {
  const ids = [];
  let after = "";
  for (let pages = 0; pages < 100; pages++) {
    const response = await app.request("GET", `/api/users?q=${encodeURIComponent(needle)}&limit=${limit}${after}`, { cookie: admin });
    assert.equal(response.status, 200, `${needle}: ${response.text}`);
    ids.push(...response.json.users.map((u) => u.id));
    if (!response.json.next) return ids;
    after = `&after=${response.json.next}`;
  }
  assert.fail(`${needle}: more than 100 pages`);
}

const NEEDLES = [
  // Short needles take the walk; longer ones the index.
  "a", "ø", "e.", "ærø", "ÆRØ-Å", "øre", "ågård", "müll", "ünal", "zoë", "ürg",
  "\"quote\"", "'neil \"q", "\"", "\"\"\"", "%per", "ann%", "_mu", "r_s", "*ga", "star*", "-hy", "n-n", "@example.", "@ex", ".dk",
  "or", " or ", "and", "not", "or.and.not", "near", "person", "plain person", "n p", "example", "demo", "camilla", "nobody-at-all", "  søren  ",
];

test("every needle finds what the walk with instr found, in the same order, page by page", async () => {
  for (const needle of NEEDLES) {
    const expected = await walked(needle);
    assert.deepEqual(await searched(needle), expected, `needle ${JSON.stringify(needle)}`);
  }
  // The needles do find people: the comparison is not of empty lists.
  assert.equal((await walked("ærø")).length, 1);
  assert.equal((await walked("\"quote\"")).length, 1);
  assert.ok((await walked("example")).length > 9);
});

test("the index follows every write of a user's search text: create, edit, delete, import", async () => {
  const created = await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Indexed", last_name: "Newcomer", email: "indexed.newcomer@example.dk", birth_date: "01-01-1990" },
  });
  assert.equal(created.status, 201, created.text);
  const find = async (needle) => (await searched(needle, 50));
  assert.deepEqual(await find("newcomer"), [created.json.id]);

  const edited = await app.request("PATCH", `/api/users/${created.json.id}`, {
    cookie: admin, body: { first_name: "Indexed", last_name: "Renamed", email: "indexed.renamed@example.dk", birth_date: "01-01-1990" },
  });
  assert.equal(edited.status, 200, edited.text);
  assert.deepEqual(await find("newcomer"), []);
  assert.deepEqual(await find("renamed"), [created.json.id]);

  const deleted = await app.request("DELETE", `/api/users/${created.json.id}`, { cookie: admin });
  assert.ok([200, 204].includes(deleted.status), deleted.text);
  assert.deepEqual(await find("renamed"), []);

  const importId = randomUUID();
  const cells = (uuid, first, last, email) => [uuid, first, last, email, "", "01-01-1990", "", "", "", "", "", "", "", "", ""];
  const imported = await app.request("POST", `/api/imports/${importId}/chunks/0`, {
    cookie: admin, body: { operation: "create", rows: [{ row: 2, cells: cells("", "Bulk", "Arrival", "bulk.arrival@example.dk") }] },
  });
  assert.equal(imported.status, 200, imported.text);
  const id = imported.json.outcomes[0].user_id;
  assert.deepEqual(await find("arrival"), [id]);
  const reimported = await app.request("POST", `/api/imports/${randomUUID()}/chunks/0`, {
    cookie: admin, body: { operation: "edit", rows: [{ row: 2, cells: cells(id, "", "Departure", "bulk.arrival@example.dk") }] },
  });
  assert.equal(reimported.status, 200, reimported.text);
  assert.deepEqual(await find("departure"), [id]);
  assert.deepEqual(await find("bulk arrival"), []);

  // The index holds each user's current text and nothing else.
  await app.db.prepare("INSERT INTO users_search (users_search) VALUES ('integrity-check')").run();
  const { n } = await app.db.prepare("SELECT count(*) AS n FROM users u JOIN users_search s ON s.rowid = u.rowid WHERE s.search_text = u.search_text").first();
  const { total } = await app.db.prepare("SELECT (SELECT count(*) FROM users) AS total").first();
  assert.equal(n, total);
  assert.equal((await app.db.prepare("SELECT count(*) AS n FROM users_search").first()).n, total);
});

test("the migration indexes the users who were there before it", async () => {
  // The state before migration 0010, with the same users, then 0010 itself.
  for (const statement of ["DROP TRIGGER users_search_on_insert", "DROP TRIGGER users_search_on_update", "DROP TRIGGER users_search_on_delete", "DROP TABLE users_search"]) {
    await app.db.prepare(statement).run();
  }
  const migration = readFileSync(join(ROOT, "migrations/0010_user_search_index.sql"), "utf8");
  const statements = sqlStatements(migration);
  assert.equal(statements.filter((s) => s.startsWith("CREATE TRIGGER")).length, 3, "each trigger is one statement for the splitter");
  for (const statement of statements) await app.db.prepare(statement).run();
  const { total } = await app.db.prepare("SELECT count(*) AS total FROM users").first();
  assert.ok(total > 9);
  assert.equal((await app.db.prepare("SELECT count(*) AS n FROM users_search").first()).n, total);
  assert.deepEqual(await searched("ærø-å"), await walked("ærø-å"));
  assert.equal((await searched("camilla")).length, 1);
});

test("in the owned model a user administrator's search finds only the users they manage", async () => {
  const bo = await app.signIn(DEMO.userAdmin);
  const mine = await app.request("POST", "/api/users", {
    cookie: bo, body: { first_name: "Managed", last_name: "Bybo", email: "managed.bybo@example.dk", birth_date: "01-01-1990" },
  });
  assert.equal(mine.status, 201, mine.text);
  const everyone = (await app.request("GET", "/api/users?q=example&limit=200", { cookie: bo })).json.users.length;
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: admin, body: { model: "owned" } })).status, 204);
  try {
    const boId = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(DEMO.userAdmin).first()).id;
    const managed = await app.db.prepare(
      "SELECT u.id FROM users u WHERE u.organization_id = ?1 AND u.status <> 'deleted' AND instr(u.search_text, 'example') > 0 \
       AND EXISTS (SELECT 1 FROM user_managers m WHERE m.user_id = u.id AND m.admin_id = ?2) ORDER BY last_name, first_name, id",
    ).bind(organizationId, boId).all();
    const found = (await app.request("GET", "/api/users?q=example&limit=200", { cookie: bo })).json.users.map((u) => u.id);
    assert.deepEqual(found, managed.results.map((r) => r.id));
    assert.ok(found.includes(mine.json.id));
    assert.ok(found.length < everyone, `${found.length} of ${everyone}`);
  } finally {
    await app.request("PUT", "/api/organization/management-model", { cookie: admin, body: { model: "shared" } });
  }
});
