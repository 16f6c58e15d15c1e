import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO, DEMO_PASSWORD } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

const signIn = (email, password, ip = "192.0.2.1") =>
  app.request("POST", "/api/session", { body: { email, password }, headers: { "cf-connecting-ip": ip } });

test("ten wrong passwords lock the address for a while, whether or not it has an account, and say the same", async () => {
  for (const email of [DEMO.userAdmin, "nobody.here@demo.example"]) {
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await signIn(email, "not the password")).status, 401);
    }
  }
  const existing = await signIn(DEMO.userAdmin, DEMO_PASSWORD);
  const missing = await signIn("nobody.here@demo.example", DEMO_PASSWORD);
  assert.equal(existing.status, 429);
  assert.equal(existing.json.error.code, "too_many_attempts");
  assert.match(existing.json.error.message, /Try again in 15 minutes/);
  assert.deepEqual(missing.json, existing.json, "a lock does not tell whether the account exists");
  // Others are not affected.
  assert.equal((await signIn(DEMO.admin, DEMO_PASSWORD)).status, 200);
  const stored = await app.db.prepare("SELECT key FROM sign_in_attempts").all();
  assert.ok(stored.results.every((row) => !/password/.test(row.key)), "no secrets in the counters");
});

test("a success clears the count for that e-mail address", async () => {
  for (let i = 0; i < 9; i += 1) await signIn(DEMO.plainUser, "wrong", "192.0.2.2");
  assert.equal((await signIn(DEMO.plainUser, DEMO_PASSWORD, "192.0.2.2")).status, 200);
  for (let i = 0; i < 9; i += 1) await signIn(DEMO.plainUser, "wrong", "192.0.2.2");
  assert.equal((await signIn(DEMO.plainUser, DEMO_PASSWORD, "192.0.2.2")).status, 200);
});

test("fifty failures from one client address lock that address for every account", async () => {
  for (let i = 0; i < 50; i += 1) {
    await signIn(`spray${i}@demo.example`, "guess", "198.51.100.7");
  }
  assert.equal((await signIn(DEMO.otherAdmin, DEMO_PASSWORD, "198.51.100.7")).status, 429);
  assert.equal((await signIn(DEMO.otherAdmin, DEMO_PASSWORD, "198.51.100.8")).status, 200);
});

test("forty wrong passwords at once: ten are checked, the rest wait, and the count says so", async () => {
  const ip = "192.0.2.40";
  const answers = await Promise.all(Array.from({ length: 40 }, () => signIn(DEMO.otherUser, "not the password", ip)));
  const statuses = answers.map((answer) => answer.status);
  assert.equal(statuses.filter((status) => status === 401).length, 10, "no more passwords checked than the limit");
  assert.equal(statuses.filter((status) => status === 429).length, 30);
  const counted = await app.db.prepare("SELECT failures FROM sign_in_attempts WHERE key = ?1").bind(`email:${DEMO.otherUser}`).first();
  assert.equal(counted.failures, 40, "every attempt was counted");
  assert.equal((await signIn(DEMO.otherUser, DEMO_PASSWORD, ip)).status, 429);
});

test("a success from a client address is not counted as a failure there", async () => {
  const ip = "198.51.100.20";
  for (let i = 0; i < 49; i += 1) await signIn(`guess${i}@demo.example`, "guess", ip);
  assert.equal((await signIn(DEMO.admin, DEMO_PASSWORD, ip)).status, 200, "the fiftieth attempt is checked");
  assert.equal((await signIn("guess49@demo.example", "guess", ip)).status, 401, "the success gave its attempt back");
  assert.equal((await signIn("guess50@demo.example", "guess", ip)).status, 429);
});

test("once a lock has passed, counting starts again", async () => {
  const email = "lapsed.lock@demo.example";
  for (let i = 0; i < 10; i += 1) await signIn(email, "wrong", "192.0.2.50");
  assert.equal((await signIn(email, "wrong", "192.0.2.50")).status, 429);
  // Move the window and its lock sixteen minutes into the past.
  await app.db.prepare("UPDATE sign_in_attempts SET window_start = window_start - 960, locked_until = locked_until - 960 WHERE key = ?1")
    .bind(`email:${email}`).run();
  assert.equal((await signIn(email, "wrong", "192.0.2.50")).status, 401);
  const counted = await app.db.prepare("SELECT failures FROM sign_in_attempts WHERE key = ?1").bind(`email:${email}`).first();
  assert.equal(counted.failures, 1);
});
