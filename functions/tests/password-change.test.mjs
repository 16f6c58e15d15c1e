import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO, DEMO_PASSWORD } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

const NEW_PASSWORD = "a brand new passphrase";

test("changing the password ends every session of the person and keeps this browser signed in", async () => {
  const elsewhere = await app.signIn(DEMO.plainUser);
  const here = await app.signIn(DEMO.plainUser);
  const weak = await app.request("PUT", "/api/me/password", { cookie: here, body: { current_password: DEMO_PASSWORD, new_password: "short" } });
  assert.equal(weak.status, 422);
  assert.equal(weak.json.error.details[0].field, "new_password");
  const wrong = await app.request("PUT", "/api/me/password", { cookie: here, body: { current_password: "not it", new_password: NEW_PASSWORD } });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.error.details[0].code, "current_password_wrong");

  const changed = await app.request("PUT", "/api/me/password", { cookie: here, body: { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD } });
  assert.equal(changed.status, 204, changed.text);
  const fresh = changed.headers.get("set-cookie").split(";")[0];
  assert.notEqual(fresh, here, "a new token");
  assert.equal((await app.request("GET", "/api/me", { cookie: elsewhere })).status, 401, "other sessions end");
  assert.equal((await app.request("GET", "/api/me", { cookie: here })).status, 401, "the old token ends too");
  assert.equal((await app.request("GET", "/api/me", { cookie: fresh })).status, 200);
  assert.equal((await app.request("POST", "/api/session", { body: { email: DEMO.plainUser, password: DEMO_PASSWORD } })).status, 401);
  await app.signIn(DEMO.plainUser, NEW_PASSWORD);
  const history = await app.db.prepare("SELECT count(*) AS n FROM history WHERE details LIKE '%passphrase%'").first();
  assert.equal(history.n, 0);
});

test("signed out, there is no password to change", async () => {
  const response = await app.request("PUT", "/api/me/password", { body: { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD } });
  assert.equal(response.status, 401);
});
