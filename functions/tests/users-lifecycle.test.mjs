import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

const newUser = (overrides = {}) => ({
  first_name: "Ida",
  last_name: "Holm",
  email: `ida.${Math.random().toString(36).slice(2)}@example.dk`,
  birth_date: "02-03-1990",
  ...overrides,
});

async function create(body, cookie = admin) {
  return app.request("POST", "/api/users", { cookie, body });
}

test("an administrator creates a user with every field; the CPR number comes back masked", async () => {
  const response = await create(newUser({
    cpr: "010203-1234", birth_date: "", phone: "+45 12345678", p_number: "1003456789", se_number: "87654321",
    identity_means: "password, totp", anonymous: true, may_sign: true, scope: "products A and B", free1: "cost centre 7",
  }));
  assert.equal(response.status, 201, response.text);
  const user = response.json;
  assert.match(user.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(user.status, "created");
  assert.equal(user.cpr_masked, "010203-****");
  assert.equal(user.activation_path, "link");
  assert.equal(user.phone, "+4512345678");
  assert.equal(user.identity_means, "password,totp");
  assert.equal(user.anonymous, true);
  assert.equal(user.scope, "products A and B");
  assert.ok(!response.text.includes("1234\""), "no serial part of the CPR number in the answer");
  const shown = await app.request("GET", `/api/users/${user.id}`, { cookie: admin });
  assert.deepEqual(shown.json, user);
});

test("every bad field is named in the answer, and nothing is created", async () => {
  const before = await app.db.prepare("SELECT count(*) AS n FROM users").first();
  const response = await create({ first_name: "", last_name: "X1", email: "nope", cpr: "999999-9999", phone: "12" });
  assert.equal(response.status, 422);
  assert.equal(response.json.error.code, "validation");
  const fields = response.json.error.details.map((issue) => `${issue.field}:${issue.code}`);
  assert.deepEqual(fields, ["first_name:name_empty", "last_name:name_characters", "email:email_malformed", "cpr:cpr_date", "phone:phone_format"]);
  assert.ok(!response.text.includes("9999-9999") && !response.text.includes("9999999999"));
  const afterCount = await app.db.prepare("SELECT count(*) AS n FROM users").first();
  assert.equal(afterCount.n, before.n);
});

test("messages follow Accept-Language", async () => {
  const response = await app.request("POST", "/api/users", {
    cookie: admin, body: newUser({ first_name: "" }), headers: { "accept-language": "da-DK,da;q=0.9" },
  });
  assert.equal(response.json.error.details[0].message, "Navnet mangler.");
});

test("a duplicate e-mail or CPR number in the organization is refused at its field", async () => {
  const first = await create(newUser({ cpr: "111111-1111", email: "taken@example.dk" }));
  assert.equal(first.status, 201);
  const again = await create(newUser({ cpr: "1111111111", email: "TAKEN@example.dk" }));
  assert.equal(again.status, 422);
  // A taken CPR number is told only when it is the one problem (README).
  assert.deepEqual(again.json.error.details.map((i) => i.code), ["email_taken"]);
  const cprOnly = await create(newUser({ cpr: "1111111111", email: "not.taken@example.dk" }));
  assert.deepEqual(cprOnly.json.error.details.map((i) => i.code), ["cpr_taken"]);
  // Another organization may have the same person.
  const other = await app.signIn(DEMO.otherAdmin);
  assert.equal((await create(newUser({ cpr: "111111-1111", email: "taken@example.dk" }), other)).status, 201);
});

test("P-number, SE number and identity means must be the organization's", async () => {
  await app.db.prepare("UPDATE organizations SET identity_means = 'password' WHERE name = 'Demo ApS'").run();
  const response = await create(newUser({ p_number: "1009876543", se_number: "31415926", identity_means: "passkey" }));
  assert.equal(response.status, 422);
  assert.deepEqual(response.json.error.details.map((i) => i.code), ["p_number_unknown", "se_number_unknown", "identity_means_not_allowed"]);
  await app.db.prepare("UPDATE organizations SET identity_means = 'password,passkey,totp' WHERE name = 'Demo ApS'").run();
});

test("malformed JSON, unknown fields, wrong types and oversized bodies are refused", async () => {
  const malformed = await app.request("POST", "/api/users", { cookie: admin, body: "{\"first_name\": " });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.json.error.code, "malformed_json");
  const unknown = await create({ ...newUser(), role: "organization_admin" });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.code, "invalid_body");
  assert.match(unknown.json.error.message, /role/);
  const wrongType = await create({ ...newUser(), may_sign: "yes" });
  assert.equal(wrongType.status, 422);
  const oversized = await create({ ...newUser(), free1: "x".repeat(70_000) });
  assert.equal(oversized.status, 413);
});

test("another organization's user answers 404 to every operation, and a plain user is refused", async () => {
  const other = await app.signIn(DEMO.otherAdmin);
  const theirs = (await create(newUser(), other)).json;
  for (const [method, path, body] of [
    ["GET", `/api/users/${theirs.id}`],
    ["PATCH", `/api/users/${theirs.id}`, newUser()],
    ["DELETE", `/api/users/${theirs.id}`],
    ["POST", `/api/users/${theirs.id}/activation`],
    ["POST", `/api/users/${theirs.id}/deactivation`, {}],
    ["POST", `/api/users/${theirs.id}/reactivation`],
    ["GET", `/api/users/${theirs.id}/history`],
  ]) {
    const response = await app.request(method, path, { cookie: admin, body });
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.ok(!response.text.includes(theirs.email));
  }
  const plain = await app.signIn(DEMO.plainUser);
  assert.equal((await app.request("GET", `/api/users/${theirs.id}`, { cookie: plain })).status, 403);
  assert.equal((await create(newUser(), plain)).status, 403);
});

test("edit changes what is sent, keeps the CPR number when it is left out, and never un-anonymizes", async () => {
  const user = (await create(newUser({ cpr: "020304-5678", birth_date: "" }))).json;
  const edited = await app.request("PATCH", `/api/users/${user.id}`, {
    cookie: admin, body: { first_name: "Ida Marie", last_name: "Holm", email: user.email, phone: "12345678" },
  });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.json.first_name, "Ida Marie");
  assert.equal(edited.json.cpr_masked, "020304-****");
  assert.equal(edited.json.phone, "12345678");
  const flip = await app.request("PATCH", `/api/users/${user.id}`, {
    cookie: admin, body: { first_name: "Ida", last_name: "Holm", email: user.email, anonymous: true },
  });
  assert.equal(flip.status, 422);
  assert.equal(flip.json.error.details[0].code, "anonymous_fixed");
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.deepEqual(history.map((e) => e.action), ["updated", "created"]);
  assert.equal(history[0].details, "Changed: first name, phone");
  assert.equal(history[0].actor_name, "Anne Andersen");
});

test("the list searches name and e-mail and pages by keyset", async () => {
  for (const name of ["Zeta", "Zebra", "Zorro"]) {
    await create(newUser({ first_name: name, last_name: "Searchable", email: `${name.toLowerCase()}@search.example` }));
  }
  const found = (await app.request("GET", "/api/users?q=searchable&limit=2", { cookie: admin })).json;
  assert.deepEqual(found.users.map((u) => u.first_name), ["Zebra", "Zeta"]);
  const rest = (await app.request("GET", `/api/users?q=searchable&limit=2&after=${found.next}`, { cookie: admin })).json;
  assert.deepEqual(rest.users.map((u) => u.first_name), ["Zorro"]);
  assert.equal(rest.next, null);
  const byEmail = (await app.request("GET", "/api/users?q=ZORRO@SEARCH", { cookie: admin })).json;
  assert.deepEqual(byEmail.users.map((u) => u.first_name), ["Zorro"]);
});

test("deactivate now ends the user's sessions; reactivate lets them in again", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  const list = (await app.request("GET", "/api/users?q=camilla", { cookie: admin })).json.users;
  const id = list[0].id;
  const deactivated = await app.request("POST", `/api/users/${id}/deactivation`, { cookie: admin, body: {} });
  assert.equal(deactivated.status, 200, deactivated.text);
  assert.equal(deactivated.json.status, "deactivated");
  assert.equal((await app.request("GET", "/api/me", { cookie: camilla })).status, 401);
  assert.equal((await app.request("POST", "/api/session", { body: { email: DEMO.plainUser, password: "steward-demo-password" } })).status, 401);
  const again = await app.request("POST", `/api/users/${id}/deactivation`, { cookie: admin, body: {} });
  assert.equal(again.status, 409);
  const reactivated = await app.request("POST", `/api/users/${id}/reactivation`, { cookie: admin });
  assert.equal(reactivated.json.status, "active");
  await app.signIn(DEMO.plainUser);
});

test("a deactivation period is validated and scheduled", async () => {
  const user = (await create(newUser())).json;
  await app.db.prepare("UPDATE users SET status = 'active' WHERE id = ?1").bind(user.id).run();
  const backwards = await app.request("POST", `/api/users/${user.id}/deactivation`, {
    cookie: admin, body: { from: "2099-01-10", until: "2099-01-01" },
  });
  assert.equal(backwards.status, 422);
  assert.equal(backwards.json.error.details[0].field, "until");
  const past = await app.request("POST", `/api/users/${user.id}/deactivation`, { cookie: admin, body: { from: "2001-01-01" } });
  assert.equal(past.status, 422);
  const leave = await app.request("POST", `/api/users/${user.id}/deactivation`, {
    cookie: admin, body: { from: "2099-01-01", until: "2099-06-01" },
  });
  assert.equal(leave.json.status, "active");
  assert.equal(leave.json.deactivate_from, "2099-01-01");
  assert.equal(leave.json.deactivate_until, "2099-06-01");
});

test("delete leaves a tombstone: personal data erased, history readable, the e-mail free again", async () => {
  const user = (await create(newUser({ cpr: "030405-6789", birth_date: "", email: "leaving@example.dk" }))).json;
  const deleted = await app.request("DELETE", `/api/users/${user.id}`, { cookie: admin });
  assert.equal(deleted.status, 204);
  assert.equal((await app.request("GET", `/api/users/${user.id}`, { cookie: admin })).status, 404);
  const row = await app.db.prepare("SELECT * FROM users WHERE id = ?1").bind(user.id).first();
  assert.equal(row.status, "deleted");
  for (const column of ["first_name", "last_name", "email", "cpr_sealed", "cpr_lookup", "cpr_masked", "birth_date"]) {
    assert.ok(!row[column], `${column} erased`);
  }
  assert.ok(row.deleted_at > 0);
  const history = await app.db.prepare("SELECT action, actor_name FROM history WHERE user_id = ?1 ORDER BY at, rowid").bind(user.id).all();
  assert.deepEqual(history.results.map((e) => e.action), ["created", "deleted"]);
  assert.equal((await create(newUser({ cpr: "030405-6789", birth_date: "", email: "leaving@example.dk" }))).status, 201);
  const self = (await app.request("GET", "/api/me", { cookie: admin })).json;
  assert.equal((await app.request("DELETE", `/api/users/${self.id}`, { cookie: admin })).status, 409);
});

test("history filters by date range and text", async () => {
  const user = (await create(newUser())).json;
  await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  const all = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.deepEqual(all.map((e) => e.action), ["sent_to_activation", "created"]);
  const text = (await app.request("GET", `/api/users/${user.id}/history?q=activation`, { cookie: admin })).json.entries;
  assert.deepEqual(text.map((e) => e.action), ["sent_to_activation"]);
  const byActor = (await app.request("GET", `/api/users/${user.id}/history?q=andersen`, { cookie: admin })).json.entries;
  assert.equal(byActor.length, 2);
  const future = (await app.request("GET", `/api/users/${user.id}/history?from=2099-01-01`, { cookie: admin })).json.entries;
  assert.equal(future.length, 0);
  const today = new Date().toISOString().slice(0, 10);
  const range = (await app.request("GET", `/api/users/${user.id}/history?from=${today}&to=${today}`, { cookie: admin })).json.entries;
  assert.equal(range.length, 2);
  assert.equal((await app.request("GET", `/api/users/${user.id}/history?from=yesterday`, { cookie: admin })).status, 400);
});
