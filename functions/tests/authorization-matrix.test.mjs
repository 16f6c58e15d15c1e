// Every route of the API, called as every kind of caller, in their own
// organization and in another: allowed, 403, 404 or 401 as the rules say.
// The routes are read from the router itself, so a route added without a
// row here fails this test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO, ROOT } from "./test-app.mjs";

const routes = [...readFileSync(join(ROOT, "functions/src/router.rs"), "utf8").matchAll(/\("(GET|POST|PUT|PATCH|DELETE)", "(\/api\/[^"]*)"\)/g)]
  .map(([, method, path]) => `${method} ${path}`);

const emptyRow = (email) => ({ row: 2, cells: ["", "Matrix", "Person", email, "", "01-01-1990", "", "", "", "", "", "", "", "", ""] });

// Per route: who may call it, and a body. `admin`: organization and user
// administrators of the target's organization; `organization_admin`: only
// the former; `platform_operator`: only platform operators; `public`: anyone.
const MATRIX = {
  "POST /api/session": { who: "public", body: () => ({ email: "nobody@example.dk", password: "wrong password" }) },
  "DELETE /api/session": { who: "public" },
  "GET /api/me": { who: "signed_in" },
  // A wrong current password: refused at the field (422), whoever asks.
  "PUT /api/me/password": { who: "signed_in", body: () => ({ current_password: "not it", new_password: "a brand new passphrase" }) },
  "GET /api/users": { who: "admin" },
  "POST /api/users": { who: "admin", body: () => ({ first_name: "Matrix", last_name: "Person", email: `m${randomUUID()}@example.dk`, birth_date: "01-01-1990" }) },
  "GET /api/users/{id}": { who: "admin", target: true },
  "PATCH /api/users/{id}": { who: "admin", target: true, body: () => ({ first_name: "Matrix", last_name: "Changed", email: `m${randomUUID()}@example.dk`, birth_date: "01-01-1990" }) },
  "DELETE /api/users/{id}": { who: "admin", target: true },
  "POST /api/users/{id}/activation": { who: "admin", target: true },
  "POST /api/users/{id}/deactivation": { who: "admin", target: true, body: () => ({}) },
  "POST /api/users/{id}/reactivation": { who: "admin", target: true },
  "GET /api/users/{id}/history": { who: "admin", target: true },
  "PUT /api/users/{id}/role": { who: "organization_admin", target: true, body: () => ({ role: "user_admin" }) },
  "POST /api/activations": { who: "admin", body: () => ({ user_ids: [] }) },
  "POST /api/activation": { who: "public", body: () => ({ token: "00", password: "a long enough passphrase" }) },
  "POST /api/imports/{id}/chunks/{id}": { who: "admin", body: () => ({ operation: "create", rows: [emptyRow(`m${randomUUID()}@example.dk`)] }) },
  "GET /api/audit": { who: "admin" },
  "GET /api/deputies": { who: "admin" },
  "POST /api/deputies": { who: "admin", body: (caller) => ({ deputy_id: caller === "organization_admin" ? ids.bo : ids.anne }) },
  "DELETE /api/deputies/{id}": { who: "admin" },
  "PUT /api/organization/management-model": { who: "organization_admin", body: () => ({ model: "shared" }) },
  "POST /api/platform/transfers": { who: "platform_operator", body: () => ({ from_administrator_id: ids.bo, to_administrator_id: ids.anne }) },
  "GET /api/notifications": { who: "admin" },
  "POST /api/notifications/read": { who: "admin" },
  "PUT /api/notifications/preference": { who: "admin", body: () => ({ channel: "both" }) },
};

const CALLERS = {
  signed_out: null,
  user: DEMO.plainUser,
  user_admin: DEMO.userAdmin,
  organization_admin: DEMO.admin,
  platform_operator: DEMO.operator,
};

let app;
const cookies = {};
const ids = {};
/** Fresh sessions for every caller (a route may end the one it was called with). */
async function signInAll() {
  for (const [name, email] of Object.entries(CALLERS)) cookies[name] = email && (await app.signIn(email));
  cookies.other_admin = await app.signIn(DEMO.otherAdmin);
}
before(async () => {
  app = await startTestApp();
  for (const [name, email] of [["anne", DEMO.admin], ["bo", DEMO.userAdmin]]) {
    ids[name] = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first()).id;
  }
});
after(() => app?.dispose());

/** A fresh active user of the organization whose administrator signs in with `cookie`. */
async function freshUser(cookie) {
  const created = await app.request("POST", "/api/users", {
    cookie, body: { first_name: "Target", last_name: "Person", email: `t${randomUUID()}@example.dk`, birth_date: "01-01-1990" },
  });
  assert.equal(created.status, 201, created.text);
  await app.db.prepare("UPDATE users SET status = 'active' WHERE id = ?1").bind(created.json.id).run();
  return created.json.id;
}

test("the matrix covers every route of the router, and nothing else", () => {
  assert.ok(routes.length >= 18, `routes read from the router: ${routes.length}`);
  assert.deepEqual([...routes].sort(), Object.keys(MATRIX).sort());
});

for (const route of routes) {
  test(`${route} as every caller, in their own organization and another`, async () => {
    const rule = MATRIX[route];
    assert.ok(rule, `${route} has no row in the authorization matrix`);
    const [method, pattern] = route.split(" ");
    await signInAll();
    for (const [caller, cookie] of Object.entries(cookies)) {
      if (caller === "other_admin") continue;
      const own = rule.target ? await freshUser(cookies.organization_admin) : randomUUID();
      const other = rule.target ? await freshUser(cookies.other_admin) : randomUUID();
      for (const [where, id] of [["own", own], ["other", other]]) {
        if (!rule.target && where === "other" && !pattern.includes("{id}")) continue;
        const path = pattern.replaceAll("{id}", (() => { let n = 0; return () => (n++ === 0 ? id : "0"); })());
        const response = await app.request(method, path, { cookie, body: rule.body?.(caller) });
        const label = `${route} as ${caller} (${where}): ${response.status} ${response.text.slice(0, 120)}`;
        const expected = (() => {
          if (rule.who === "public") return "any";
          if (caller === "signed_out") return 401;
          // The platform operator may transfer responsibility and nothing of an organization's users.
          if (rule.who === "platform_operator") return caller === "platform_operator" ? "allowed" : 403;
          if (caller === "platform_operator") return rule.who === "signed_in" ? "allowed" : 403;
          if (rule.who === "signed_in") return "allowed";
          if (caller === "user") return 403;
          if (rule.who === "organization_admin" && caller !== "organization_admin") return where === "other" && rule.target ? 404 : 403;
          return where === "other" && rule.target ? 404 : "allowed";
        })();
        if (expected === "allowed") {
          assert.ok(![401, 403, 404, 405, 500].includes(response.status), label);
        } else if (expected === "any") {
          assert.ok(![403, 404, 405, 500].includes(response.status), label);
        } else {
          assert.equal(response.status, expected, label);
        }
        if (response.status === 403 || response.status === 404) {
          assert.deepEqual(Object.keys(response.json), ["error"], `${label}: nothing but the error`);
        }
      }
    }
  });
}
