import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

const names = (page) => page.users.map((user) => `${user.first_name} ${user.last_name}`);

test("an administrator sees their own organization's users in name order", async () => {
  const cookie = await app.signIn(DEMO.admin);
  const response = await app.request("GET", "/api/users", { cookie });
  assert.equal(response.status, 200);
  assert.deepEqual(names(response.json), [
    "Anne Andersen", "Bo Berg", "Camilla Dahl", "Jürgen Müller", "Mette O'Neill", "Søren Ærø",
  ]);
  assert.equal(response.json.next, null);
  assert.deepEqual(Object.keys(response.json.users[0]).sort(), ["email", "first_name", "id", "last_name", "status"]);
});

test("another organization's administrator sees only theirs", async () => {
  const cookie = await app.signIn(DEMO.otherAdmin);
  const response = await app.request("GET", "/api/users", { cookie });
  assert.deepEqual(names(response.json), ["Ole Olsen", "Pia Poulsen"]);
});

test("deleted users are not listed", async () => {
  await app.db.prepare("UPDATE users SET status = 'deleted' WHERE email = ?1").bind("pia.poulsen@anden.example").run();
  const cookie = await app.signIn(DEMO.otherAdmin);
  assert.deepEqual(names((await app.request("GET", "/api/users", { cookie })).json), ["Ole Olsen"]);
});

test("pages of two walk the whole list once, in order", async () => {
  const cookie = await app.signIn(DEMO.userAdmin);
  const seen = [];
  let after = null;
  let pages = 0;
  do {
    const query = after ? `?limit=2&after=${after}` : "?limit=2";
    const page = (await app.request("GET", `/api/users${query}`, { cookie })).json;
    assert.ok(page.users.length <= 2);
    seen.push(...names(page));
    after = page.next;
    pages += 1;
  } while (after && pages < 10);
  assert.equal(pages, 3);
  assert.deepEqual(seen, ["Anne Andersen", "Bo Berg", "Camilla Dahl", "Jürgen Müller", "Mette O'Neill", "Søren Ærø"]);
});

test("a forged cursor or a bad limit is a 400", async () => {
  const cookie = await app.signIn(DEMO.admin);
  const forged = await app.request("GET", "/api/users?after=zz", { cookie });
  assert.equal(forged.status, 400);
  assert.equal(forged.json.error.code, "invalid_query");
  const badLimit = await app.request("GET", "/api/users?limit=many", { cookie });
  assert.equal(badLimit.status, 400);
});

test("a user without administration rights is refused, a visitor must sign in", async () => {
  const cookie = await app.signIn(DEMO.plainUser);
  const refused = await app.request("GET", "/api/users", { cookie });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error.code, "forbidden");
  assert.equal(refused.json.users, undefined);
  const visitor = await app.request("GET", "/api/users");
  assert.equal(visitor.status, 401);
});
