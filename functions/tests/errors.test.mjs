import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startTestApp, DEMO, DEMO_PASSWORD, ORIGIN } from "./test-app.mjs";

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

/**
 * POSTs `body` to /api/session in `pieceSize` pieces without a declared
 * length, writing only as fast as they are taken, and stops writing when
 * the answer comes; tells how many pieces were written by then. Through node:http rather than
 * dispatchFetch: fetch gives up on the answer when the Worker stops reading.
 */
async function postChunked(body, pieceSize) {
  const pieces = Math.ceil(body.length / pieceSize);
  const url = new URL("/api/session", await app.mf.ready);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request(url, { method: "POST", headers: { host: "steward.test", origin: ORIGIN, "content-type": "application/json" } });
    req.on("response", (res) => {
      answered = true;
      const writtenWhenAnswered = written;
      let text = "";
      res.on("data", (data) => (text += data));
      res.on("end", () => resolve({ status: res.statusCode, json: JSON.parse(text), writtenWhenAnswered }));
    });
    // The Worker may close the connection on the rest of a refused body,
    // and on a loaded machine the reset can arrive before the answer is read.
    req.on("error", (error) => {
      if (answered) return;
      if (error.code === "ECONNRESET") resolve({ reset: true, writtenWhenAnswered: written });
      else reject(error);
    });
    const pump = () => {
      while (written < pieces && !answered) {
        const piece = body.subarray(written * pieceSize, (written + 1) * pieceSize);
        written += 1;
        if (!req.write(piece)) return req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

test("a body without a declared length is read no further than the limit", async () => {
  const PIECE = 64 * 1024;
  const PIECES = 800; // 50 MiB
  const refused = await postChunked(Buffer.alloc(PIECE * PIECES, " "), PIECE);
  if (!refused.reset) {
    assert.equal(refused.status, 413);
    assert.equal(refused.json.error.code, "body_too_large");
  }
  // The Worker answered while most of the body was still unsent: what was
  // written by then is the limit and the connection's buffers.
  assert.ok(refused.writtenWhenAnswered < PIECES / 4, `${refused.writtenWhenAnswered} of ${PIECES} pieces written before the answer`);

  // A body of exactly the limit, in small pieces, is read whole.
  const json = JSON.stringify({ email: DEMO.admin, password: DEMO_PASSWORD });
  const accepted = await postChunked(Buffer.from(json + " ".repeat(64 * 1024 - json.length)), 4096);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.json));
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
