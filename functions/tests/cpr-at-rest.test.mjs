import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

const CPRS = ["010190-1234", "311299-9876", "150505-4321"];

/** Every stored value of every table, as text. */
async function dumpAll() {
  const tables = await app.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all();
  const values = [];
  for (const { name } of tables.results) {
    const rows = await app.db.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of rows.results) values.push(...Object.values(row).map(String));
  }
  return { tables: tables.results.map((t) => t.name), text: values.join("\n") };
}

test("no table holds a CPR number in the clear after users are created, edited, sent and deleted", async () => {
  const admin = await app.signIn(DEMO.admin);
  const ids = [];
  for (const [index, cpr] of CPRS.entries()) {
    const response = await app.request("POST", "/api/users", {
      cookie: admin, body: { first_name: "Cpr", last_name: `Person${"e".repeat(index)}`, email: `cpr${index}@example.dk`, cpr },
    });
    assert.equal(response.status, 201, response.text);
    ids.push(response.json.id);
  }
  await app.request("PATCH", `/api/users/${ids[0]}`, {
    cookie: admin, body: { first_name: "Cpr", last_name: "Person", email: "cpr0@example.dk", cpr: "020290-2468" },
  });
  await app.request("POST", `/api/users/${ids[1]}/activation`, { cookie: admin });
  await app.waitForMail("cpr1@example.dk");
  await app.request("DELETE", `/api/users/${ids[2]}`, { cookie: admin });

  const { tables, text } = await dumpAll();
  for (const table of ["users", "history", "outbox", "activation_secrets", "notifications"]) assert.ok(tables.includes(table));
  for (const cpr of [...CPRS, "020290-2468"]) {
    const serial = cpr.slice(7);
    for (const form of [cpr, cpr.replace("-", ""), `${cpr.slice(0, 6)}${serial}`]) {
      assert.ok(!text.includes(form), `${cpr.slice(0, 6)}-**** found in clear`);
    }
    // Nor its hex, in case something were stored encoded.
    assert.ok(!text.includes(Buffer.from(cpr).toString("hex")));
  }
  // What is stored is the sealed form and the keyed digest.
  const row = await app.db.prepare("SELECT cpr_sealed, cpr_lookup, cpr_masked FROM users WHERE id = ?1").bind(ids[0]).first();
  assert.match(row.cpr_sealed, /^v1\.[0-9a-f]+$/);
  assert.match(row.cpr_lookup, /^[0-9a-f]{64}$/);
  assert.equal(row.cpr_masked, "020290-****");
});
