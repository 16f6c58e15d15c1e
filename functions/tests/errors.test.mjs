import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO, DEMO_PASSWORD } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

function assertError(response, status, code) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.equal(response.json.error.code, code);
  assert.equal(typeof response.json.error.message, "string");
  assert.ok(response.json.error.message.length > 0);
}

test("malformed JSON is a 400 that says so", async () => {
  const response = await app.request("POST", "/api/session", { body: '{"email": "a@b.dk", "password": ' });
  assertError(response, 400, "malformed_json");
  assert.match(response.json.error.message, /not valid JSON/);
});

test("a missing field is a 422 that names it", async () => {
  const response = await app.request("POST", "/api/session", { body: { email: DEMO.admin } });
  assertError(response, 422, "invalid_body");
  assert.match(response.json.error.message, /password/);
});

test("an unknown field or a wrong type is a 422", async () => {
  assertError(await app.request("POST", "/api/session", { body: { email: DEMO.admin, password: DEMO_PASSWORD, admin: true } }), 422, "invalid_body");
  assertError(await app.request("POST", "/api/session", { body: { email: DEMO.admin, password: 12 } }), 422, "invalid_body");
});

test("a body over 64 KiB is a 413, declared or not", async () => {
  const huge = JSON.stringify({ email: DEMO.admin, password: "x".repeat(70 * 1024) });
  assertError(await app.request("POST", "/api/session", { body: huge }), 413, "body_too_large");
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(huge));
      controller.close();
    },
  });
  const response = await app.mf.dispatchFetch("http://steward.test/api/session", {
    method: "POST", body: stream, duplex: "half", headers: { origin: "http://steward.test", "content-type": "application/json" },
  });
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error.code, "body_too_large");
});

test("a mutating request from another origin, or with none, is refused", async () => {
  for (const origin of ["https://evil.example", null]) {
    const response = await app.request("POST", "/api/session", { origin, body: { email: DEMO.admin, password: DEMO_PASSWORD } });
    assertError(response, 403, "bad_origin");
    assert.equal(response.headers.get("set-cookie"), null);
  }
  const cookie = await app.signIn(DEMO.admin);
  assertError(await app.request("DELETE", "/api/session", { cookie, origin: "https://evil.example" }), 403, "bad_origin");
  assert.equal((await app.request("GET", "/api/me", { cookie })).status, 200, "the refused sign-out ended nothing");
});

test("unknown API paths are 404 and wrong methods 405, both as JSON", async () => {
  assertError(await app.request("GET", "/api/nothing-here"), 404, "not_found");
  assertError(await app.request("PUT", "/api/me"), 405, "method_not_allowed");
});
