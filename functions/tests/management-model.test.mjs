import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let anne;
let bo;
let camilla;
const ids = {};
before(async () => {
  app = await startTestApp();
  for (const email of [DEMO.admin, DEMO.userAdmin, DEMO.plainUser]) {
    ids[email] = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first()).id;
  }
  anne = await app.signIn(DEMO.admin);
  // Camilla becomes a second user administrator.
  assert.equal((await app.request("PUT", `/api/users/${ids[DEMO.plainUser]}/role`, { cookie: anne, body: { role: "user_admin" } })).status, 200);
  bo = await app.signIn(DEMO.userAdmin);
  camilla = await app.signIn(DEMO.plainUser);
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "owned" } })).status, 204);
});
after(() => app?.dispose());

const create = async (cookie, first) => {
  const response = await app.request("POST", "/api/users", {
    cookie, body: { first_name: first, last_name: "Owned", email: `${first.toLowerCase()}@owned.example`, birth_date: "01-01-1990" },
  });
  assert.equal(response.status, 201, response.text);
  return response.json.id;
};
const sees = async (cookie, id, first) => {
  const detail = (await app.request("GET", `/api/users/${id}`, { cookie })).status;
  const listed = (await app.request("GET", `/api/users?q=${first.toLowerCase()}@owned`, { cookie })).json.users.length;
  const changed = (await app.request("PATCH", `/api/users/${id}`, {
    cookie, body: { first_name: first, last_name: "Owned", email: `${first.toLowerCase()}@owned.example`, birth_date: "01-01-1990", phone: "12345678" },
  })).status;
  return { detail, listed, changed };
};

test("in the owned model an administrator's users are theirs and their deputies', until the deputy is withdrawn", async () => {
  const alpha = await create(bo, "Alpha");
  assert.deepEqual(await sees(camilla, alpha, "Alpha"), { detail: 404, listed: 0, changed: 404 }, "not Camilla's before she stands in");
  assert.deepEqual(await sees(anne, alpha, "Alpha"), { detail: 200, listed: 1, changed: 200 }, "the organization administrator manages everyone");

  assert.equal((await app.request("POST", "/api/deputies", { cookie: bo, body: { deputy_id: ids[DEMO.plainUser] } })).status, 204);
  const camillas = (await app.request("GET", "/api/deputies", { cookie: camilla })).json;
  assert.equal(camillas.model, "owned");
  assert.deepEqual(camillas.i_stand_in_for.map((p) => p.name), ["Bo Berg"]);
  assert.deepEqual(await sees(camilla, alpha, "Alpha"), { detail: 200, listed: 1, changed: 200 }, "a deputy manages them");

  // A user created by a deputy is linked to both.
  const beta = await create(camilla, "Beta");
  assert.deepEqual(await sees(bo, beta, "Beta"), { detail: 200, listed: 1, changed: 200 });

  assert.equal((await app.request("DELETE", `/api/deputies/${ids[DEMO.plainUser]}`, { cookie: bo })).status, 204);
  assert.deepEqual(await sees(camilla, alpha, "Alpha"), { detail: 404, listed: 0, changed: 404 }, "not after withdrawal");
  assert.deepEqual(await sees(camilla, beta, "Beta"), { detail: 200, listed: 1, changed: 200 }, "her own stay hers");
  // Bulk files follow the same rule.
  const chunk = await app.request("POST", `/api/imports/${crypto.randomUUID()}/chunks/0`, {
    cookie: camilla,
    body: { operation: "delete", rows: [{ row: 2, cells: [alpha, "", "", "alpha@owned.example", "", "", "", "", "", "", "", "", "", "", ""] }] },
  });
  assert.equal(chunk.status, 422);
  assert.equal(chunk.json.error.details[0].code, "user_not_found");
});

test("deputies are administrators, never oneself; settings are the organization administrator's", async () => {
  assert.equal((await app.request("POST", "/api/deputies", { cookie: bo, body: { deputy_id: ids[DEMO.userAdmin] } })).status, 403);
  const pending = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(DEMO.pendingUser).first()).id;
  assert.equal((await app.request("POST", "/api/deputies", { cookie: bo, body: { deputy_id: pending } })).status, 403);
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: bo, body: { model: "shared" } })).status, 403);
  const other = await app.signIn(DEMO.otherAdmin);
  assert.equal((await app.request("POST", "/api/deputies", { cookie: other, body: { deputy_id: ids[DEMO.userAdmin] } })).status, 404);
});

test("in the shared model every user administrator manages every user", async () => {
  assert.equal((await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "shared" } })).status, 204);
  const alpha = (await app.db.prepare("SELECT id FROM users WHERE email = 'alpha@owned.example'").first()).id;
  assert.deepEqual(await sees(camilla, alpha, "Alpha"), { detail: 200, listed: 1, changed: 200 });
});
