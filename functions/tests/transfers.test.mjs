import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
const ids = {};
before(async () => {
  app = await startTestApp();
  for (const email of [DEMO.admin, DEMO.userAdmin, DEMO.plainUser, DEMO.otherAdmin]) {
    ids[email] = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first()).id;
  }
});
after(() => app?.dispose());

test("a platform operator moves a leaving administrator's users to another; both are told; history records it", async () => {
  const anne = await app.signIn(DEMO.admin);
  await app.request("PUT", "/api/organization/management-model", { cookie: anne, body: { model: "owned" } });
  const bo = await app.signIn(DEMO.userAdmin);
  const made = [];
  for (const name of ["Tina", "Tove"]) {
    const response = await app.request("POST", "/api/users", {
      cookie: bo, body: { first_name: name, last_name: "Transfer", email: `${name.toLowerCase()}@transfer.example`, birth_date: "01-01-1990" },
    });
    made.push(response.json.id);
  }
  assert.equal((await app.request("PUT", `/api/users/${ids[DEMO.plainUser]}/role`, { cookie: anne, body: { role: "user_admin" } })).status, 200);
  const camilla = await app.signIn(DEMO.plainUser);
  assert.equal((await app.request("GET", `/api/users/${made[0]}`, { cookie: camilla })).status, 404, "not Camilla's yet");

  const operator = await app.signIn(DEMO.operator);
  assert.equal((await app.request("GET", "/api/users", { cookie: operator })).status, 403, "no access to user data otherwise");
  const moved = await app.request("POST", "/api/platform/transfers", {
    cookie: operator, body: { from_administrator_id: ids[DEMO.userAdmin], to_administrator_id: ids[DEMO.plainUser] },
  });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.moved, 2);
  assert.equal((await app.request("GET", `/api/users/${made[0]}`, { cookie: camilla })).status, 200, "now Camilla's");
  assert.equal((await app.request("GET", `/api/users/${made[0]}`, { cookie: bo })).status, 404, "no longer Bo's");
  const history = (await app.request("GET", `/api/users/${made[1]}/history`, { cookie: camilla })).json.entries;
  assert.equal(history[0].action, "responsibility_transferred");
  assert.equal(history[0].details, "from Bo Berg to Camilla Dahl");
  assert.match(history[0].actor_name, /Olivia Operator \(platform\)/);
  for (const cookie of [bo, camilla]) {
    const notes = (await app.request("GET", "/api/notifications", { cookie })).json.items;
    assert.ok(notes.some((n) => n.kind === "responsibility_transferred" && /2/.test(n.body)), "both are told");
  }
  const otherNotes = (await app.request("GET", "/api/notifications", { cookie: anne })).json.items;
  assert.ok(!otherNotes.some((n) => n.kind === "responsibility_transferred"), "only the two");
});

test("a transfer stays within one organization, between administrators, by platform operators only", async () => {
  const operator = await app.signIn(DEMO.operator);
  const across = await app.request("POST", "/api/platform/transfers", {
    cookie: operator, body: { from_administrator_id: ids[DEMO.admin], to_administrator_id: ids[DEMO.otherAdmin] },
  });
  assert.equal(across.status, 409);
  const anne = await app.signIn(DEMO.admin);
  const notOperator = await app.request("POST", "/api/platform/transfers", {
    cookie: anne, body: { from_administrator_id: ids[DEMO.userAdmin], to_administrator_id: ids[DEMO.admin] },
  });
  assert.equal(notOperator.status, 403);
  const unknown = await app.request("POST", "/api/platform/transfers", {
    cookie: operator, body: { from_administrator_id: "00000000-0000-4000-8000-000000000000", to_administrator_id: ids[DEMO.admin] },
  });
  assert.equal(unknown.status, 404);
});

test("a platform operator finds an organization's administrators by CVR number, with how many users each manages", async () => {
  const operator = await app.signIn(DEMO.operator);
  const found = await app.request("GET", "/api/platform/administrators?cvr=12345674", { cookie: operator });
  assert.equal(found.status, 200, found.text);
  assert.equal(found.json.organization.name, "Demo ApS");
  const names = found.json.administrators.map((a) => a.name);
  assert.ok(names.includes("Anne Andersen") && names.includes("Bo Berg"), names.join(", "));
  assert.ok(found.json.administrators.every((a) => ["organization_admin", "user_admin"].includes(a.role) && Number.isInteger(a.manages)));
  assert.equal((await app.request("GET", "/api/platform/administrators?cvr=99999999", { cookie: operator })).status, 404);
  assert.equal((await app.request("GET", "/api/platform/administrators", { cookie: operator })).status, 400);
  const anne = await app.signIn(DEMO.admin);
  assert.equal((await app.request("GET", "/api/platform/administrators?cvr=12345674", { cookie: anne })).status, 403);
});
