import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
let ids;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
  const users = (await app.request("GET", "/api/users", { cookie: admin })).json.users;
  ids = Object.fromEntries(users.map((u) => [u.email, u.id]));
});
after(() => app?.dispose());

const setRole = (cookie, email, role) => app.request("PUT", `/api/users/${ids[email]}/role`, { cookie, body: { role } });
const roleOf = async (email) => (await app.db.prepare("SELECT role FROM users WHERE email = ?1").bind(email).first()).role;
const events = async (email) => (await app.db.prepare("SELECT count(*) AS n FROM history WHERE user_id = ?1 AND action = 'role_changed'").bind(ids[email]).first()).n;

test("escalation attempts are refused and change nothing", async () => {
  const userAdmin = await app.signIn(DEMO.userAdmin);
  const attempts = [
    [userAdmin, DEMO.plainUser, "user_admin", "a user administrator cannot grant the right to administer users"],
    [userAdmin, DEMO.userAdmin, "organization_admin", "nor raise their own role"],
    [userAdmin, DEMO.admin, "user", "nor lower an organization administrator"],
    [admin, DEMO.admin, "user_admin", "nobody changes their own role"],
    [admin, DEMO.plainUser, "organization_admin", "the organization administrator role is not given here"],
  ];
  for (const [cookie, email, role, why] of attempts) {
    const before = await roleOf(email);
    const response = await setRole(cookie, email, role);
    assert.equal(response.status, 403, why);
    assert.equal(response.json.error.code, "forbidden");
    assert.equal(await roleOf(email), before, `${why}: nothing changed`);
    assert.equal(await events(email), 0);
  }
  const unknownRole = await setRole(admin, DEMO.plainUser, "root");
  assert.equal(unknownRole.status, 422);
});

test("an organization administrator appoints and removes a user administrator, who gains and loses access at once", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  assert.equal((await app.request("GET", "/api/users", { cookie: camilla })).status, 403);
  const appointed = await setRole(admin, DEMO.plainUser, "user_admin");
  assert.equal(appointed.status, 200, appointed.text);
  assert.equal(appointed.json.role, "user_admin");
  assert.equal((await app.request("GET", "/api/users", { cookie: camilla })).status, 200, "the same session now administers");
  const history = (await app.request("GET", `/api/users/${ids[DEMO.plainUser]}/history`, { cookie: admin })).json.entries;
  assert.equal(history[0].action, "role_changed");
  assert.equal(history[0].details, "from User to User administrator");
  assert.equal((await setRole(admin, DEMO.plainUser, "user")).status, 200);
  assert.equal((await app.request("GET", "/api/users", { cookie: camilla })).status, 403);
});
