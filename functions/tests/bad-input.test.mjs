// Every endpoint that reads a JSON body refuses malformed JSON, unknown
// fields, wrong types and oversized bodies the same way, and changes nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
let userId;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
  userId = (await app.request("GET", "/api/users?q=camilla", { cookie: admin })).json.users[0].id;
});
after(() => app?.dispose());

const endpoints = () => [
  { method: "POST", path: "/api/users", good: { first_name: "A", last_name: "B", email: "a@b.dk", birth_date: "01-01-1990" }, wrongType: { first_name: 7 } },
  { method: "PATCH", path: `/api/users/${userId}`, good: { first_name: "Camilla", last_name: "Dahl", email: DEMO.plainUser, birth_date: "01-01-1990" }, wrongType: { anonymous: "no" } },
  { method: "POST", path: `/api/users/${userId}/deactivation`, good: {}, wrongType: { from: 20260101 } },
  { method: "POST", path: "/api/activations", good: { user_ids: [] }, wrongType: { user_ids: "all" } },
  { method: "POST", path: "/api/activation", good: { token: "ab", password: "a long passphrase here" }, wrongType: { token: 1, password: 2 } },
  { method: "PUT", path: "/api/notifications/preference", good: { channel: "both" }, wrongType: { channel: 3 } },
];

async function snapshot() {
  const facts = [];
  for (const table of ["users", "history", "outbox", "activation_secrets", "notifications"]) {
    facts.push((await app.db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n);
  }
  facts.push((await app.db.prepare("SELECT max(updated_at) AS u FROM users").first()).u);
  return facts;
}

test("malformed JSON is a 400, unknown fields and wrong types a 422, oversized bodies a 413 — and nothing changes", async () => {
  const before = await snapshot();
  for (const { method, path, good, wrongType } of endpoints()) {
    const label = `${method} ${path}`;
    const malformed = await app.request(method, path, { cookie: admin, body: "{,]" });
    assert.equal(malformed.status, 400, label);
    assert.equal(malformed.json.error.code, "malformed_json", label);
    const unknown = await app.request(method, path, { cookie: admin, body: { ...good, surprise: true } });
    assert.equal(unknown.status, 422, label);
    assert.match(unknown.json.error.message, /surprise|did not match any variant/, label);
    const typed = await app.request(method, path, { cookie: admin, body: { ...good, ...wrongType } });
    assert.equal(typed.status, 422, label);
    const oversized = await app.request(method, path, { cookie: admin, body: { ...good, padding: "x".repeat(70_000) } });
    assert.equal(oversized.status, 413, label);
    for (const response of [malformed, unknown, typed, oversized]) {
      assert.ok(!/at \w+ \(|panicked|RuntimeError/.test(response.text), `${label}: no stack trace`);
    }
  }
  assert.deepEqual(await snapshot(), before);
});

test("ids that are not users of the organization answer 404, whatever their shape", async () => {
  for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "'; DROP TABLE users; --"]) {
    const response = await app.request("GET", `/api/users/${encodeURIComponent(id)}`, { cookie: admin });
    assert.equal(response.status, 404, id);
  }
  const wrongMethod = await app.request("PUT", `/api/users/${userId}`, { cookie: admin, body: {} });
  assert.equal(wrongMethod.status, 405);
});
