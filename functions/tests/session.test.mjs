import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startTestApp, DEMO, DEMO_PASSWORD } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

test("signing in sets a locked-down session cookie and answers who signed in", async () => {
  const response = await app.request("POST", "/api/session", { body: { email: DEMO.admin, password: DEMO_PASSWORD } });
  assert.equal(response.status, 200);
  const cookie = response.headers.get("set-cookie");
  for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"]) {
    assert.ok(cookie.includes(attribute), `${cookie} lacks ${attribute}`);
  }
  assert.match(cookie, /^__Host-steward_session=[0-9a-f]{64};/);
  assert.doesNotMatch(cookie, /domain=/i);
  assert.equal(response.json.email, DEMO.admin);
  assert.equal(response.json.role, "organization_admin");
  assert.equal(response.json.organization.name, "Demo ApS");
});

test("e-mail case does not matter at sign-in", async () => {
  const response = await app.request("POST", "/api/session", { body: { email: "ADMIN@Demo.Example", password: DEMO_PASSWORD } });
  assert.equal(response.status, 200);
});

test("only the digest of the token is stored", async () => {
  const cookie = await app.signIn(DEMO.userAdmin);
  const token = cookie.split("=")[1];
  const digest = createHash("sha256").update(token).digest("hex");
  const stored = await app.db.prepare("SELECT token_digest FROM sessions WHERE token_digest = ?1 OR token_digest = ?2").bind(digest, token).all();
  assert.deepEqual(stored.results.map((row) => row.token_digest), [digest]);
});

test("each sign-in gets a new token and the browser's old one ends", async () => {
  const first = await app.signIn(DEMO.admin);
  const response = await app.request("POST", "/api/session", { cookie: first, body: { email: DEMO.admin, password: DEMO_PASSWORD } });
  const second = response.headers.get("set-cookie").split(";")[0];
  assert.notEqual(first, second);
  assert.equal((await app.request("GET", "/api/me", { cookie: first })).status, 401);
  assert.equal((await app.request("GET", "/api/me", { cookie: second })).status, 200);
});

test("a wrong password and an unknown e-mail get the same answer", async () => {
  const wrong = await app.request("POST", "/api/session", { body: { email: DEMO.admin, password: "not the password" } });
  const unknown = await app.request("POST", "/api/session", { body: { email: "nobody@demo.example", password: "not the password" } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, "invalid_credentials");
  assert.deepEqual(unknown.json, wrong.json);
  assert.equal(unknown.status, wrong.status);
  assert.equal(wrong.headers.get("set-cookie"), null);
});

test("accounts that are not active cannot sign in, and say so no differently", async () => {
  for (const email of [DEMO.pendingUser, DEMO.deactivatedUser]) {
    const response = await app.request("POST", "/api/session", { body: { email, password: DEMO_PASSWORD } });
    assert.equal(response.status, 401, email);
    assert.equal(response.json.error.code, "invalid_credentials");
  }
});

test("signing out ends the session and clears the cookie", async () => {
  const cookie = await app.signIn(DEMO.admin);
  const response = await app.request("DELETE", "/api/session", { cookie });
  assert.equal(response.status, 204);
  assert.match(response.headers.get("set-cookie"), /Max-Age=0/);
  const me = await app.request("GET", "/api/me", { cookie });
  assert.equal(me.status, 401);
  assert.equal(me.json.error.code, "unauthenticated");
});

test("me without a session is refused with the error shape", async () => {
  const response = await app.request("GET", "/api/me");
  assert.equal(response.status, 401);
  assert.deepEqual(Object.keys(response.json.error).sort(), ["code", "message"]);
  const forged = await app.request("GET", "/api/me", { cookie: `__Host-steward_session=${"a".repeat(64)}` });
  assert.equal(forged.status, 401);
});
