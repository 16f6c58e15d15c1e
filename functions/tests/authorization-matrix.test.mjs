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

// The route table: `route!(Method "path", guard, handler, params…)`.
const table = [...readFileSync(join(ROOT, "functions/src/router.rs"), "utf8").matchAll(/route!\((Get|Post|Put|Patch|Delete) "(\/api\/[^"]*)", (\w+),/g)]
  .map(([, method, path, guard]) => ({ route: `${method.toUpperCase()} ${path}`, guard }));
const routes = table.map(({ route }) => route);

const emptyRow = (email) => ({ row: 2, cells: ["", "Matrix", "Person", email, "", "01-01-1990", "", "", "", "", "", "", "", "", ""] });

// Per route: who may call it, and a body. `admin`: organization and user
// administrators of the target's organization; `organization_admin`: only
// the former; `platform_operator`: only platform operators; `public`: anyone.
const MATRIX = {
  "POST /api/session": { who: "public", body: () => ({ email: "nobody@example.dk", password: "wrong password" }) },
  "DELETE /api/session": { who: "public" },
  "GET /api/me": { who: "signed_in" },
  "GET /api/me/applications": { who: "signed_in" },
  // Asked once per caller (201); a repeat would be 409, still allowed.
  "POST /api/me/requests": { who: "signed_in", body: (caller) => ({ application_id: ["platform_operator", "register_administrator"].includes(caller) ? ids.platformApplication : ids.payroll }) },
  // A wrong current password: refused at the field (422), whoever asks.
  "PUT /api/me/password": { who: "signed_in", body: () => ({ current_password: "not it", new_password: "a brand new passphrase" }) },
  // Each caller's own language (204).
  "PUT /api/me/language": { who: "signed_in", body: () => ({ language: "da" }) },
  "GET /api/users": { who: "admin" },
  "POST /api/users": { who: "admin", body: () => ({ first_name: "Matrix", last_name: "Person", email: `m${randomUUID()}@example.dk`, birth_date: "01-01-1990" }) },
  "GET /api/users/{id}": { who: "admin", target: "user" },
  "PATCH /api/users/{id}": { who: "admin", target: "user", body: () => ({ first_name: "Matrix", last_name: "Changed", email: `m${randomUUID()}@example.dk`, birth_date: "01-01-1990" }) },
  "DELETE /api/users/{id}": { who: "admin", target: "user" },
  "POST /api/users/{id}/activation": { who: "admin", target: "user" },
  "POST /api/users/{id}/deactivation": { who: "admin", target: "user", body: () => ({}) },
  "POST /api/users/{id}/reactivation": { who: "admin", target: "user" },
  "GET /api/users/{id}/history": { who: "admin", target: "user" },
  "GET /api/users/{id}/applications": { who: "admin", target: "user" },
  // Invoicing: the user administrator holds it, so both administrators may grant it.
  "POST /api/users/{id}/applications": { who: "admin", target: "user", body: () => ({ application_id: ids.invoicing }) },
  "DELETE /api/users/{id}/applications/{id}": { who: "admin", target: "user" },
  "GET /api/applications": { who: "signed_in" },
  "POST /api/applications": { who: "organization_admin", body: () => ({ name: `A ${randomUUID()}`, roles: ["matrix.read"] }) },
  "DELETE /api/applications/{id}": { who: "organization_admin", target: "application" },
  "GET /api/requests": { who: "admin" },
  "POST /api/requests/{id}/decision": { who: "admin", target: "request", body: () => ({ grant: true }) },
  "GET /api/groups": { who: "admin" },
  "POST /api/groups": { who: "organization_admin", body: () => ({ name: `G ${randomUUID()}` }) },
  "GET /api/groups/{id}": { who: "admin", target: "group" },
  "DELETE /api/groups/{id}": { who: "organization_admin", target: "group" },
  "POST /api/groups/{id}/members": { who: "admin", target: "group", body: () => ({ email: DEMO.pendingUser }) },
  // The member: someone of the demo organization whom both administrators manage (not a member: 204).
  "DELETE /api/groups/{id}/members/{id}": { who: "admin", target: "group", second: () => ids.camilla },
  "PUT /api/users/{id}/role": { who: "organization_admin", target: "user", body: () => ({ role: "user_admin" }) },
  "POST /api/activations": { who: "admin", body: () => ({ user_ids: [] }) },
  "POST /api/activation": { who: "public", body: () => ({ token: "00", password: "a long enough passphrase" }) },
  // The import: one the organization administrator started (a user administrator may read only their own).
  "GET /api/imports/{id}": { who: "admin", target: "import" },
  "POST /api/imports/{id}/chunks/{id}": { who: "admin", body: () => ({ operation: "create", rows: [emptyRow(`m${randomUUID()}@example.dk`)] }) },
  "GET /api/audit": { who: "admin" },
  "GET /api/deputies": { who: "admin" },
  "POST /api/deputies": { who: "admin", body: (caller) => ({ deputy_id: caller === "organization_admin" ? ids.bo : ids.anne }) },
  "DELETE /api/deputies/{id}": { who: "admin" },
  "PUT /api/organization/management-model": { who: "organization_admin", body: () => ({ model: "shared" }) },
  "PUT /api/organization/joining": { who: "organization_admin", body: () => ({ allowed: true }) },
  "POST /api/join": { who: "public", body: () => ({ cvr: "12345674", first_name: "Matrix", last_name: "Person", email: `j${randomUUID()}@example.dk`, birth_date: "1990-01-01" }) },
  "GET /api/join-requests": { who: "admin" },
  "POST /api/join-requests/{id}/decision": { who: "admin", target: "join", body: () => ({ approve: false }) },
  // Without a CVR number: 400 for the operator, refused for everyone else.
  "GET /api/platform/administrators": { who: "platform_operator" },
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
  register_administrator: DEMO.registerAdmin,
};

let app;
const cookies = {};
const ids = {};
/** Fresh sessions for every caller (a route may end the one it was called with). */
async function signInAll() {
  for (const [name, email] of Object.entries(CALLERS)) cookies[name] = email && (await app.signIn(email));
  cookies.other_admin = await app.signIn(DEMO.otherAdmin);
  cookies.other_user = await app.signIn(DEMO.otherUser);
}
before(async () => {
  app = await startTestApp();
  for (const [name, email] of [["anne", DEMO.admin], ["bo", DEMO.userAdmin], ["camilla", DEMO.plainUser]]) {
    ids[name] = (await app.db.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first()).id;
  }
  const application = async (name) => (await app.db.prepare("SELECT id FROM applications WHERE name = ?1").bind(name).first()).id;
  ids.payroll = await application("Payroll");
  ids.invoicing = await application("Invoicing");
  await app.db.prepare("UPDATE organizations SET join_allowed = 1").run();
  // The platform's own organization holds no applications in the demo; one to ask for.
  ids.platformApplication = "a1000000-0000-4000-8000-0000000000ff";
  await app.db
    .prepare("INSERT INTO applications (id, organization_id, name, created_at) SELECT ?1, organization_id, 'Console', 0 FROM users WHERE email = ?2")
    .bind(ids.platformApplication, DEMO.operator)
    .run();
});
after(() => app?.dispose());

/** A fresh active user of the organization whose administrator signs in with `cookie`, with `role`. */
async function freshUser(cookie, role = "user") {
  const created = await app.request("POST", "/api/users", {
    cookie, body: { first_name: "Target", last_name: "Person", email: `t${randomUUID()}@example.dk`, birth_date: "01-01-1990" },
  });
  assert.equal(created.status, 201, created.text);
  await app.db.prepare("UPDATE users SET status = 'active', role = ?2 WHERE id = ?1").bind(created.json.id, role).run();
  return created.json.id;
}

/** A fresh application (with a role the user administrator holds) made by the administrator signed in with `cookie`. */
async function freshApplication(cookie) {
  const made = await app.request("POST", "/api/applications", { cookie, body: { name: `A ${randomUUID()}`, roles: ["invoice.read"] } });
  assert.equal(made.status, 201, made.text);
  return made.json.id;
}

/** A fresh target of `kind` in the organization of the administrator `adminCookie`, whose plain user is `userCookie`. */
async function fresh(kind, adminCookie, userCookie) {
  if (kind === "user") return freshUser(adminCookie);
  if (kind === "user_admin" || kind === "organization_admin") return freshUser(adminCookie, kind);
  if (kind === "application") return freshApplication(adminCookie);
  if (kind === "join") {
    const me = (await app.request("GET", "/api/me", { cookie: adminCookie })).json;
    const { cvr } = await app.db.prepare("SELECT cvr FROM organizations WHERE id = ?1").bind(me.organization.id).first();
    const email = `j${randomUUID()}@example.dk`;
    // From an address of its own: applications are throttled per address.
    const headers = { "cf-connecting-ip": randomUUID() };
    const applied = await app.request("POST", "/api/join", { headers, body: { cvr, first_name: "Joining", last_name: "Person", email, birth_date: "1990-01-01" } });
    assert.equal(applied.status, 204, applied.text);
    return (await app.db.prepare("SELECT id FROM join_requests WHERE email = ?1").bind(email).first()).id;
  }
  if (kind === "import") {
    const importId = randomUUID();
    const applied = await app.request("POST", `/api/imports/${importId}/chunks/0`, { cookie: adminCookie, body: { operation: "create", rows: [emptyRow(`i${randomUUID()}@example.dk`)] } });
    assert.equal(applied.status, 200, applied.text);
    return importId;
  }
  if (kind === "group") {
    const made = await app.request("POST", "/api/groups", { cookie: adminCookie, body: { name: `G ${randomUUID()}` } });
    assert.equal(made.status, 201, made.text);
    return made.json.id;
  }
  const asked = await app.request("POST", "/api/me/requests", { cookie: userCookie, body: { application_id: await freshApplication(adminCookie) } });
  assert.equal(asked.status, 201, asked.text);
  return asked.json.id;
}

test("the matrix covers every route of the router, and nothing else", () => {
  assert.ok(routes.length >= 18, `routes read from the router: ${routes.length}`);
  assert.deepEqual([...routes].sort(), Object.keys(MATRIX).sort());
});

// The guard each route declares is the one its row expects; a route whose
// target another organization must not learn about is guarded for
// administrators and refuses the rest itself, after finding the target.
const GUARD_OF = { public: "public", signed_in: "signed_in", admin: "administrator", organization_admin: "organization_administrator", platform_operator: "platform_operator" };
test("every route declares the guard its row expects", () => {
  for (const { route, guard } of table) {
    const rule = MATRIX[route];
    const expected = rule.who === "organization_admin" && rule.target ? "administrator" : GUARD_OF[rule.who];
    assert.equal(guard, expected, route);
  }
});

for (const route of routes) {
  test(`${route} as every caller, in their own organization and another`, async () => {
    const rule = MATRIX[route];
    assert.ok(rule, `${route} has no row in the authorization matrix`);
    const [method, pattern] = route.split(" ");
    await signInAll();
    // Routes on a user are tried on administrators too: only organization
    // administrators act on them; user administrators may look.
    const targetKinds = rule.target === "user" ? ["user", "user_admin", "organization_admin"] : [rule.target];
    for (const [caller, cookie] of Object.entries(cookies)) for (const targetKind of targetKinds) {
      if (caller === "other_admin" || caller === "other_user") continue;
      const own = rule.target ? await fresh(targetKind, cookies.organization_admin, cookies.user) : randomUUID();
      const other = rule.target ? await fresh(targetKind, cookies.other_admin, cookies.other_user) : randomUUID();
      for (const [where, id] of [["own", own], ["other", other]]) {
        if (!rule.target && where === "other" && !pattern.includes("{id}")) continue;
        const second = rule.second?.() ?? "0";
        const path = pattern.replaceAll("{id}", (() => { let n = 0; return () => (n++ === 0 ? id : second); })());
        const response = await app.request(method, path, { cookie, body: rule.body?.(caller) });
        const label = `${route} as ${caller} on ${targetKind ?? "-"} (${where}): ${response.status} ${response.text.slice(0, 120)}`;
        const expected = (() => {
          if (rule.who === "public") return "any";
          if (caller === "signed_out") return 401;
          // The platform operator may transfer responsibility and nothing of an organization's users.
          if (rule.who === "platform_operator") return caller === "platform_operator" ? "allowed" : 403;
          // Platform roles see nothing of an organization's users.
          if (caller === "platform_operator" || caller === "register_administrator") return rule.who === "signed_in" ? "allowed" : 403;
          if (rule.who === "signed_in") return "allowed";
          if (caller === "user") return 403;
          if (rule.who === "organization_admin" && caller !== "organization_admin") return where === "other" && rule.target ? 404 : 403;
          if (where === "other" && rule.target) return 404;
          // Another administrator's import, for a user administrator (`authz::may_read_import`).
          if (rule.target === "import" && caller === "user_admin") return 404;
          if (targetKind === "user_admin" || targetKind === "organization_admin") {
            if (caller === "user_admin") return method === "GET" ? "allowed" : 403;
            // The organization administrator role is not given or taken by this route.
            if (route === "PUT /api/users/{id}/role" && targetKind === "organization_admin") return 403;
          }
          return "allowed";
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
