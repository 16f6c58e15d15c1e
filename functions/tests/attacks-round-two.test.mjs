// What an attacker found after security round two (issue #15), each tried
// as the attacker did: an administrator of the same organization, a forged
// Host, and requests racing each other.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO, ORIGIN } from "./test-app.mjs";

let app;
let anne;
let bo;
before(async () => {
  app = await startTestApp();
  anne = await app.signIn(DEMO.admin);
  bo = await app.signIn(DEMO.userAdmin);
});
after(() => app?.dispose());

const letters = () => randomUUID().replace(/[^a-f]/g, "").slice(0, 6);
async function createUser(cookie, fields = {}) {
  const body = { first_name: "Target", last_name: `Person${letters()}`, email: `t${randomUUID()}@example.dk`, birth_date: "01-01-1990", ...fields };
  const response = await app.request("POST", "/api/users", { cookie, body });
  assert.equal(response.status, 201, response.text);
  return response.json;
}
const cells = ({ uuid = "", first = "", last = "", email = "", cpr = "", birth = "" } = {}) =>
  [uuid, first, last, email, cpr, birth, "", "", "", "", "", "", "", "", ""];
const chunk = (cookie, body) => app.request("POST", `/api/imports/${randomUUID()}/chunks/0`, { cookie, body });
const usersNamed = async (lastName) => (await app.db.prepare("SELECT count(*) AS n FROM users WHERE last_name = ?1").bind(lastName).first()).n;

test("a refused request does not tell which CPR numbers are taken", async () => {
  const kim = await createUser(anne, { cpr: "010190-6794", birth_date: "" });
  const probe = `Probe${letters()}`;
  // A row that always fails (his own e-mail, taken) beside candidates: nothing says which candidate is Kim's.
  const probing = await chunk(bo, {
    operation: "create",
    rows: [
      { row: 2, cells: cells({ first: "X", last: "Y", email: DEMO.userAdmin, birth: "01-01-1980" }) },
      ...["0101906793", "0101906794", "0101906795"].map((cpr, i) => ({ row: i + 3, cells: cells({ first: "P", last: probe, email: `p${i}${randomUUID()}@example.dk`, cpr }) })),
    ],
  });
  assert.equal(probing.status, 422, probing.text);
  assert.deepEqual(probing.json.error.details.map((f) => f.code), ["email_taken"]);
  // One user at a time: another mistake hides it too.
  const single = await app.request("POST", "/api/users", {
    cookie: bo, body: { first_name: "P", last_name: probe, email: `p${randomUUID()}@example.dk`, cpr: "010190-6794", p_number: "9999999999" },
  });
  assert.equal(single.status, 422, single.text);
  assert.ok(!single.text.includes("cpr_taken"), single.text);
  // A chunk that would otherwise be applied is told, and nothing of it is saved.
  const told = await chunk(bo, {
    operation: "create",
    rows: ["0101906793", "0101906794"].map((cpr, i) => ({ row: i + 2, cells: cells({ first: "P", last: probe, email: `q${i}${randomUUID()}@example.dk`, cpr }) })),
  });
  assert.equal(told.status, 422, told.text);
  assert.deepEqual(told.json.error.details.map((f) => [f.row, f.code]), [[3, "cpr_taken"]]);
  assert.equal(await usersNamed(probe), 0);

  // Edit rows compare a CPR number with the user their UUID names; they never search for it.
  const own = await createUser(bo);
  const asKey = (cpr) => chunk(bo, { operation: "edit", rows: [{ row: 2, cells: cells({ uuid: own.id, cpr, first: "Changed" }) }] });
  const someoneElses = await asKey("0101906794");
  const nobodys = await asKey("0101906799");
  assert.equal(someoneElses.status, 422);
  assert.deepEqual(someoneElses.json.error.details.map((f) => f.code), ["keys_disagree"]);
  assert.deepEqual(someoneElses.json, nobodys.json, "Kim's CPR number answers like nobody's");
  assert.ok(kim.id);
});

test("in the owned model notices and group counts say no more than the lists", async () => {
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "owned" } })).status, 204);
  const hidden = await createUser(anne, { birth_date: "1977-01-02" });
  const { code } = (await app.request("POST", `/api/users/${hidden.id}/activation`, { cookie: anne })).json;
  assert.ok(code);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await app.request("POST", "/api/activation", { body: { email: hidden.email, code: "2222-2222-2222", birth_date: "1977-01-02", password: "a long and private passphrase" } });
  }
  const annes = (await app.request("GET", "/api/notifications", { cookie: anne })).json.items;
  const bos = (await app.request("GET", "/api/notifications", { cookie: bo })).json.items;
  assert.ok(annes.some((n) => n.kind === "code_locked" && n.body.includes(hidden.last_name)), "the organization administrator is told");
  assert.ok(!bos.some((n) => n.body.includes(hidden.last_name)), "the user administrator who may not see the user is not");

  const group = (await app.request("POST", "/api/groups", { cookie: anne, body: { name: `Owned ${letters()}` } })).json;
  assert.equal((await app.request("POST", `/api/groups/${group.id}/members`, { cookie: anne, body: { email: hidden.email } })).status, 200);
  const seenByBo = (await app.request("GET", `/api/groups/${group.id}`, { cookie: bo })).json;
  assert.deepEqual([seenByBo.group.member_count, seenByBo.members.length], [0, 0]);
  const listedForBo = (await app.request("GET", "/api/groups", { cookie: bo })).json.groups.find((g) => g.id === group.id);
  assert.equal(listedForBo.member_count, 0);
  assert.equal((await app.request("GET", `/api/groups/${group.id}`, { cookie: anne })).json.group.member_count, 1);
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "shared" } })).status, 204);
});

test("a user administrator does not decide an administrator's request", async () => {
  const invoicing = (await app.request("GET", "/api/applications", { cookie: anne })).json.applications.find((a) => a.name === "Invoicing");
  const asked = await app.request("POST", "/api/me/requests", { cookie: anne, body: { application_id: invoicing.id } });
  assert.equal(asked.status, 201, asked.text);
  for (const grant of [true, false]) {
    const decided = await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: bo, body: { grant } });
    assert.equal(decided.status, 403, decided.text);
  }
});

test("links in e-mails and notices point to this site, whatever Host a request names", async () => {
  await app.db.prepare("UPDATE organizations SET join_allowed = 1").run();
  const forged = await app.mf.dispatchFetch("http://steward-login.evil.example/api/join", {
    method: "POST",
    headers: { origin: "http://steward-login.evil.example", "content-type": "application/json", "cf-connecting-ip": randomUUID() },
    body: JSON.stringify({ cvr: "12345674", first_name: "Eve", last_name: "Evil", email: `eve${randomUUID()}@example.dk`, birth_date: "01-01-1990" }),
  });
  assert.equal(forged.status, 204, await forged.text());
  const notice = (await app.request("GET", "/api/notifications", { cookie: anne })).json.items.find((n) => n.kind === "join_requested" && n.body.includes("Eve"));
  assert.ok(notice.body.includes(`${ORIGIN}/requests`), notice.body);
  assert.ok(!notice.body.includes("evil"), notice.body);
});

test("a full queue of applications to join answers every address alike", async () => {
  await app.db.prepare("UPDATE organizations SET join_allowed = 1").run();
  const { id: organizationId } = await app.db.prepare("SELECT organization_id AS id FROM users WHERE email = ?1").bind(DEMO.admin).first();
  const open = (await app.db.prepare("SELECT count(*) AS n FROM join_requests WHERE organization_id = ?1 AND status = 'pending'").bind(organizationId).first()).n;
  const filler = Array.from({ length: 500 - open }, (_, i) =>
    app.db.prepare("INSERT INTO join_requests (id, organization_id, first_name, last_name, email, email_normalized, birth_date, created_at) VALUES (?1, ?2, 'F', 'F', ?3, ?3, '1990-01-01', 0)")
      .bind(randomUUID(), organizationId, `filler${i}@example.dk`));
  await app.db.batch(filler);
  const apply = (email) => app.request("POST", "/api/join", {
    headers: { "cf-connecting-ip": randomUUID() },
    body: { cvr: "12345674", first_name: "Known", last_name: "Person", email, birth_date: "1990-01-01" },
  });
  const known = await apply(DEMO.plainUser);
  const unknown = await apply(`new${randomUUID()}@example.dk`);
  assert.deepEqual([known.status, known.json], [unknown.status, unknown.json]);
  await app.db.prepare("DELETE FROM join_requests WHERE email LIKE 'filler%'").run();
});

test("two decisions on one application or request at once: one decides", async () => {
  const email = `racer${randomUUID()}@example.dk`;
  await app.db.prepare("UPDATE organizations SET join_allowed = 1").run();
  const applied = await app.request("POST", "/api/join", {
    headers: { "cf-connecting-ip": randomUUID() }, body: { cvr: "12345674", first_name: "Race", last_name: "Person", email, birth_date: "1990-01-01" },
  });
  assert.equal(applied.status, 204, applied.text);
  const { id } = await app.db.prepare("SELECT id FROM join_requests WHERE email = ?1").bind(email).first();
  const answers = await Promise.all([true, false, true].map((approve) => app.request("POST", `/api/join-requests/${id}/decision`, { cookie: anne, body: { approve } })));
  assert.equal(answers.filter((a) => a.status < 300).length, 1, answers.map((a) => `${a.status} ${a.text.slice(0, 80)}`).join(" | "));
  assert.ok(answers.every((a) => a.status < 300 || a.status === 409 || a.status === 404), answers.map((a) => a.status).join());
  const { status } = await app.db.prepare("SELECT status FROM join_requests WHERE id = ?1").bind(id).first();
  const users = (await app.db.prepare("SELECT count(*) AS n FROM users WHERE email_normalized = ?1").bind(email).first()).n;
  assert.equal(users, status === "approved" ? 1 : 0, `${status} with ${users} users`);

  const camilla = await app.signIn(DEMO.plainUser);
  const fresh = (await app.request("POST", "/api/applications", { cookie: anne, body: { name: `Race ${letters()}`, roles: ["race.read"] } })).json;
  const asked = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: fresh.id } });
  assert.equal(asked.status, 201, asked.text);
  const decisions = await Promise.all([true, false].map((grant) => app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: anne, body: { grant } })));
  assert.equal(decisions.filter((d) => d.status === 200).length, 1, decisions.map((d) => `${d.status} ${d.text.slice(0, 80)}`).join(" | "));
});

test("guessing the current password with a stolen session is throttled like sign-in", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => app.request("PUT", "/api/me/password", { cookie: camilla, body: { current_password: `guess number ${i}`, new_password: "a brand new passphrase" } })),
  );
  const statuses = answers.map((a) => a.status);
  assert.equal(statuses.filter((s) => s === 422).length, 10, statuses.join());
  assert.equal(statuses.filter((s) => s === 429).length, 10, statuses.join());
});
