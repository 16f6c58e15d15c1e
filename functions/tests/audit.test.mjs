import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

const row = (n, email) => ({ row: n, cells: ["", "Audit", "Person", email, "", "01-01-1990", "+4511223344", "", "", "", "", "", "", "", ""] });

test("the organization's audit log lists its events, with the import as one event that counts its rows", async () => {
  const user = (await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "=Formula", last_name: "Person", email: "audited@example.dk", cpr: "040404-4444" },
  }));
  assert.equal(user.status, 422, "a name cannot start with =");
  const created = (await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Audited", last_name: "Person", email: "audited@example.dk", cpr: "040404-4444" },
  })).json;
  const importId = randomUUID();
  for (const seq of [0, 1]) {
    const response = await app.request("POST", `/api/imports/${importId}/chunks/${seq}`, {
      cookie: admin, body: { operation: "create", rows: [row(2 + seq * 2, `a${seq}@example.dk`), row(3 + seq * 2, `b${seq}@example.dk`)] },
    });
    assert.equal(response.status, 200, response.text);
  }
  const log = (await app.request("GET", "/api/audit", { cookie: admin })).json.entries;
  const imported = log.filter((e) => e.action === "imported");
  assert.equal(imported.length, 1);
  assert.equal(imported[0].details, "bulk create: 4 rows applied");
  assert.equal(imported[0].subject_id, importId);
  assert.ok(log.some((e) => e.action === "created" && e.subject_id === created.id && e.subject_name === "Audited Person"));
  const filtered = (await app.request("GET", "/api/audit?q=bulk%20file", { cookie: admin })).json.entries;
  assert.deepEqual(filtered.map((e) => e.action), ["imported"]);
  assert.equal((await app.request("GET", "/api/audit?from=2099-01-01", { cookie: admin })).json.entries.length, 0);
  // Another organization sees none of it.
  const other = await app.signIn(DEMO.otherAdmin);
  assert.ok(!(await app.request("GET", "/api/audit", { cookie: other })).text.includes("Audited"));
});

test("the audit log exports as CSV, without CPR numbers and safe to open in a spreadsheet", async () => {
  await app.request("DELETE", `/api/users/${(await app.request("GET", "/api/users?q=audited", { cookie: admin })).json.users[0].id}`, { cookie: admin });
  const response = await app.request("GET", "/api/audit?format=csv", { cookie: admin });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type"), /text\/csv/);
  assert.match(response.headers.get("content-disposition"), /attachment/);
  const lines = response.text.replace(/^\uFEFF/, "").trim().split("\r\n");
  assert.equal(lines[0], "time (UTC);actor;action;subject;subject id;details");
  assert.ok(lines.some((line) => line.includes(";Deleted;(deleted user);")));
  assert.ok(!response.text.includes("040404"), "no CPR number, not even masked");
  assert.equal((await app.request("GET", "/api/audit?format=xml", { cookie: admin })).status, 400);
});
