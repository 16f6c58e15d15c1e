import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

const entryTo = (recipient) =>
  app.db.prepare("SELECT status, attempts, next_attempt_at FROM outbox WHERE recipient = ?1").bind(recipient).first();

async function waitFor(condition, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("a run that read an entry before another run failed it does not send it again before its backoff", async () => {
  // Two activation e-mails, each failed once when its request delivered it.
  const recipients = ["first.retry@example.dk", "second.retry@example.dk"];
  const unavailable = () => new Response("unavailable", { status: 503 });
  app.interceptMail(async (message) => (recipients.includes(message.to) ? unavailable() : undefined));
  for (const email of recipients) {
    const created = await app.request("POST", "/api/users", { cookie: admin, body: { first_name: "Rie", last_name: "Retry", email, birth_date: "1980-01-01" } });
    assert.equal(created.status, 201, created.text);
    assert.equal((await app.request("POST", `/api/users/${created.json.id}/activation`, { cookie: admin })).status, 200);
  }
  for (const email of recipients) await waitFor(async () => (await entryTo(email))?.attempts === 1, `the first failure for ${email}`);

  // Two cron runs at once, both due for both entries. Whichever run claims
  // an entry first is held in its send until the other run has tried the
  // other entry and failed it; only then does the held run go on to it.
  const tries = new Map();
  let held;
  app.interceptMail(async (message) => {
    if (!recipients.includes(message.to)) return undefined;
    tries.set(message.to, (tries.get(message.to) ?? 0) + 1);
    if (held === undefined) {
      held = message.to;
      const other = recipients.find((email) => email !== held);
      await waitFor(async () => (await entryTo(other)).attempts === 2, "the other run to fail the other entry");
      return undefined;
    }
    return unavailable();
  });
  const at = Date.now() + 5 * 60_000;
  await Promise.all([app.scheduled(at), app.scheduled(at)]);
  const failed = recipients.find((email) => email !== held);
  assert.equal(tries.get(failed), 1, "tried once by the two runs together");
  const entry = await entryTo(failed);
  assert.equal(entry.status, "pending");
  assert.equal(entry.attempts, 2);
  assert.equal(entry.next_attempt_at, Math.floor(at / 1000) + 120, "the second failure waits two minutes");
  assert.equal((await entryTo(held)).status, "sent");

  // After its backoff it goes out.
  app.interceptMail(undefined);
  await app.scheduled(at + 119_000);
  assert.equal((await entryTo(failed)).status, "pending", "not before the two minutes are over");
  await app.scheduled(at + 120_000);
  assert.equal((await entryTo(failed)).status, "sent");
  await app.waitForMail(failed);
});
