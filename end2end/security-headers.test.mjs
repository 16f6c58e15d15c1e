import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage, signIn } from "./browser.mjs";

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8794 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The security headers of an answer, by name. */
const securityHeaders = (headers) => ({
  csp: headers["content-security-policy"],
  nosniff: headers["x-content-type-options"],
  referrer: headers["referrer-policy"],
});

function assertLockedDown(what, headers) {
  const { csp, nosniff, referrer } = securityHeaders(headers);
  assert.ok(csp, `${what} has no Content-Security-Policy`);
  const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"], `${what}: ${csp}`);
  assert.deepEqual(directives["worker-src"], ["'self'"], `${what}: ${csp}`);
  assert.deepEqual(directives["connect-src"], ["'self'"], `${what}: ${csp}`);
  assert.deepEqual(directives["frame-ancestors"], ["'none'"], `${what}: ${csp}`);
  assert.ok(!csp.includes("unsafe-inline") && !csp.includes("'unsafe-eval'"), `${what}: ${csp}`);
  assert.equal(nosniff, "nosniff", what);
  assert.equal(referrer, "no-referrer", what);
}

test("pages, static files and API answers (errors included) carry the same security headers", async () => {
  const { page, problems } = await newPage(browser, server.url);
  const assets = new Map();
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (/\.(js|wasm|css)$/.test(path)) assets.set(path, response.headers());
  });
  const entry = await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  const answers = [["the sign-in page", entry.headers()], ...[...assets].map(([path, headers]) => [path, headers])];
  assert.ok([...assets.keys()].some((path) => path.endsWith(".wasm")), [...assets.keys()].join(", "));
  assert.ok([...assets.keys()].some((path) => path.endsWith(".css")), [...assets.keys()].join(", "));

  for (const [method, path, status] of [["GET", "/api/me", 401], ["GET", "/api/no-such-route", 404], ["POST", "/api/session", 403]]) {
    const response = await page.request.fetch(path, { method, data: method === "POST" ? {} : undefined, headers: { origin: "https://elsewhere.example" } });
    assert.equal(response.status(), status, `${method} ${path}`);
    answers.push([`${method} ${path} (${status})`, response.headers()]);
  }
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  const me = await page.request.get("/api/me");
  assert.equal(me.status(), 200);
  answers.push(["GET /api/me (200)", me.headers()]);

  for (const [what, headers] of answers) assertLockedDown(what, headers);
  const policies = new Set(answers.map(([, headers]) => headers["content-security-policy"]));
  assert.equal(policies.size, 1, [...policies].join("\n"));
  assert.deepEqual(problems, []);
});

test("the app's HTML starts it without inline script or style", async () => {
  const html = await (await fetch(`${server.url}/`)).text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0, html);
  for (const script of scripts) assert.match(script, /\bsrc="/, `inline script: ${script}`);
  assert.ok(!/<style\b/.test(html) && !/\sstyle="/.test(html), html);
});

test("the session cookie is a host-only __Host- cookie in Chromium at 127.0.0.1", async () => {
  const { page, problems } = await newPage(browser, server.url);
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  const cookies = await page.context().cookies();
  assert.deepEqual(cookies.map((cookie) => cookie.name), ["__Host-steward_session"]);
  const [session] = cookies;
  assert.equal(session.secure, true);
  assert.equal(session.httpOnly, true);
  assert.equal(session.path, "/");
  assert.equal(session.domain, "127.0.0.1", "a host-only cookie names no domain");
  assert.equal(session.sameSite, "Strict");
  assert.deepEqual(problems, []);
});

test("a violation of the policy is reported as a problem of the page and closes it", async () => {
  const { page, problems } = await newPage(browser, server.url);
  await page.goto("/sign-in");
  await page.getByRole("heading", { name: "Sign in to Steward" }).waitFor();
  const closed = page.waitForEvent("close");
  // connect-src 'self' refuses another origin.
  await page.evaluate(() => fetch("http://127.0.0.2:9/elsewhere").catch(() => {})).catch(() => {});
  await closed;
  assert.ok(problems.some((problem) => /Content Security Policy/i.test(problem) && problem.includes("connect-src")), problems.join("\n"));
});
