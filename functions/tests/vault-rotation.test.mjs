// A rotation of VAULT_SECRET: what the old key sealed is still read and
// found, new values are sealed under the new key, the cron re-seals the rest,
// and then the old key can go.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO, VAULT_SECRET } from "./test-app.mjs";

const NEW_SECRET = "2:a-newer-vault-secret-of-at-least-32-characters";
const ROTATING = { VAULT_SECRET: NEW_SECRET, VAULT_SECRET_PREVIOUS: `1:${VAULT_SECRET}` };
const MINUTE = 60_000;

let app;
before(async () => { app = await startTestApp(); });
after(() => app?.dispose());

const stored = (id) => app.db.prepare("SELECT cpr_sealed, cpr_lookup FROM users WHERE id = ?1").bind(id).first();
const queuedFor = (userId) => app.db.prepare("SELECT payload, attempts FROM outbox WHERE user_id = ?1 AND status = 'pending'").bind(userId).first();

async function create(admin, index, cpr) {
  // Names hold no digits.
  const last = `Tion${"abcdefgh"[index]}`;
  return app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Rota", last_name: last, email: `rotation${index}@example.dk`, cpr },
  });
}

/** Edits the phone number, sending the CPR number again: history says whether the stored one opened as equal. */
async function editPhoneKeepingCpr(admin, user, cpr, phone) {
  const edited = await app.request("PATCH", `/api/users/${user.id}`, {
    cookie: admin, body: { first_name: user.first_name, last_name: user.last_name, email: user.email, cpr, phone },
  });
  assert.equal(edited.status, 200, edited.text);
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  return history[0].details;
}

test("after a rotation old values are read and found, the cron re-seals them, and the old key can then go", async () => {
  let admin = await app.signIn(DEMO.admin);
  const created = [await create(admin, 1, "010190-1234"), await create(admin, 2, "020290-2345")];
  for (const response of created) assert.equal(response.status, 201, response.text);
  const [resealed, edited] = created.map((response) => response.json);
  const before = await stored(resealed.id);
  assert.match(before.cpr_sealed, /^v1\./);

  // An e-mail whose first delivery failed waits in the outbox, sealed under the old key.
  app.failNextMail(1);
  const sent = await app.request("POST", `/api/users/${resealed.id}/activation`, { cookie: admin });
  assert.equal(sent.status, 200, sent.text);
  let queued;
  for (let tries = 0; tries < 100 && (queued = await queuedFor(resealed.id))?.attempts !== 1; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(queued.attempts, 1);
  assert.match(queued.payload, /^v1\./);

  await app.rebind(ROTATING);
  admin = await app.signIn(DEMO.admin);

  // Uniqueness holds across key versions: the digest stored under the old key is found.
  const duplicate = await create(admin, 3, "010190-1234");
  assert.equal(duplicate.status, 422, duplicate.text);
  assert.deepEqual(duplicate.json.error.details.map((issue) => issue.field), ["cpr"]);
  // The old key still opens: the same number sent again is no change.
  assert.equal(await editPhoneKeepingCpr(admin, edited, "020290-2345", "11111111"), "Changed: phone");
  // New values are sealed under the new key.
  const fresh = (await create(admin, 4, "030390-3456")).json;
  assert.match((await stored(fresh.id)).cpr_sealed, /^v2\./);

  // An import's edit row finds a user by the CPR number stored under the old key
  // (its keys must agree, so a miss is a refusal).
  // Template order: UUID, first, last, e-mail, CPR, birth date, phone, then eight more.
  const row = ["", "", "", resealed.email, "010190-1234", "", "33333333", ...Array(8).fill("")];
  const byCpr = await app.request("POST", `/api/imports/${randomUUID()}/chunks/0`, {
    cookie: admin, body: { operation: "edit", rows: [{ row: 2, cells: row }] },
  });
  assert.equal(byCpr.status, 200, byCpr.text);
  assert.deepEqual(byCpr.json.outcomes.map((outcome) => [outcome.outcome, outcome.user_id]), [["updated", resealed.id]]);
  assert.match((await stored(resealed.id)).cpr_sealed, /^v1\./);

  // A cron run re-seals what is left under the old key; the e-mail is not due yet.
  await app.scheduled(Date.now());
  const after = await stored(resealed.id);
  assert.match(after.cpr_sealed, /^v2\./);
  assert.notEqual(after.cpr_lookup, before.cpr_lookup);
  assert.match((await queuedFor(resealed.id)).payload, /^v2\./);
  const waiting = await app.db
    .prepare("SELECT count(*) AS count FROM users WHERE cpr_sealed IS NOT NULL AND cpr_sealed NOT LIKE 'v2.%'")
    .first();
  assert.equal(waiting.count, 0);

  // Without the old key everything still works.
  await app.rebind({ VAULT_SECRET: NEW_SECRET });
  admin = await app.signIn(DEMO.admin);
  assert.equal((await create(admin, 5, "010190-1234")).status, 422);
  assert.equal(await editPhoneKeepingCpr(admin, resealed, "010190-1234", "22222222"), "Changed: phone");
  await app.scheduled(Date.now() + 5 * MINUTE);
  const mail = await app.waitForMail(resealed.email);
  assert.match(mail.text, /\/activate#token=[0-9a-f]{64}/);
});
