import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO } from "./test-app.mjs";

const DAY = 86_400_000;
const PASSWORD = "a long and private passphrase";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

async function createAndSend(fields) {
  const created = await app.request("POST", "/api/users", { cookie: admin, body: { first_name: "Lis", last_name: "Lund", ...fields } });
  assert.equal(created.status, 201, created.text);
  const sent = await app.request("POST", `/api/users/${created.json.id}/activation`, { cookie: admin });
  assert.equal(sent.status, 200, sent.text);
  await app.waitForMail(fields.email);
  return { user: created.json, sentAt: (sent.json.registration_deadline * 1000) - 120 * DAY };
}

const mailTo = (address, pattern) => app.mail.filter((m) => m.to === address && pattern.test(m.subject));
const status = async (id) => (await app.request("GET", `/api/users/${id}`, { cookie: admin })).json.status;

test("reminders come 14 and 3 days before the end, once each however often the cron fires", async () => {
  const email = "reminded@example.dk";
  const { user, sentAt } = await createAndSend({ email, cpr: "101010-1010" });
  await app.scheduled(sentAt + 105 * DAY);
  assert.equal(mailTo(email, /Reminder|Påmindelse/).length, 0, "day 105: 15 days left, no reminder yet");
  await app.scheduled(sentAt + 106 * DAY);
  await app.scheduled(sentAt + 106 * DAY);
  await app.scheduled(sentAt + 107 * DAY);
  const first = mailTo(email, /Påmindelse|Reminder/);
  assert.equal(first.length, 1, "one 14-day reminder");
  assert.match(first[0].subject, /14/);
  await app.scheduled(sentAt + 117 * DAY);
  await app.scheduled(sentAt + 117 * DAY + 1000);
  const both = mailTo(email, /Påmindelse|Reminder/);
  assert.equal(both.length, 2, "and one 3-day reminder");
  assert.match(both[1].subject, /3/);
  const history = (await app.request("GET", `/api/users/${user.id}/history?q=reminder`, { cookie: admin })).json.entries;
  assert.equal(history.length, 2);
  // The reminder carries a fresh link that works; the first e-mail's link no longer does.
  const token = both[1].text.match(/#token=([0-9a-f]{64})/)[1];
  assert.equal((await app.request("POST", "/api/activation", { body: { token, password: PASSWORD } })).status, 204);
  assert.equal(await status(user.id), "active");
});

test("the registration lapses on day 120, not day 119, and the administrators are told once", async () => {
  const email = "lapsing@example.dk";
  const { user, sentAt } = await createAndSend({ email, birth_date: "1970-07-07" });
  await app.scheduled(sentAt + 119 * DAY);
  assert.equal(await status(user.id), "pending");
  await app.scheduled(sentAt + 120 * DAY);
  assert.equal(await status(user.id), "lapsed");
  await app.scheduled(sentAt + 120 * DAY + 60_000);
  await app.scheduled(sentAt + 121 * DAY);
  // The demo's pending user lapses in the same run; count only this user's.
  const notes = (await app.request("GET", "/api/notifications", { cookie: admin })).json.items
    .filter((n) => n.kind === "registration_lapsed" && n.body.includes("Lis Lund"));
  assert.equal(notes.length, 1);
  assert.equal(mailTo(DEMO.admin, /registrering|registration|Registrierung/i).filter((m) => m.text.includes("Lis Lund")).length, 1);
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.equal(history.filter((e) => e.action === "lapsed").length, 1);
  // The code no longer works; sending again starts a new period.
  const again = await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  assert.equal(again.status, 200);
  assert.equal(await status(user.id), "pending");
});

test("a deactivation period starts and ends by itself", async () => {
  const created = await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Per", last_name: "Leave", email: "per.leave@example.dk", birth_date: "1980-01-01" },
  });
  const id = created.json.id;
  await app.db.prepare("UPDATE users SET status = 'active', password_hash = (SELECT password_hash FROM users WHERE email = ?2) WHERE id = ?1")
    .bind(id, DEMO.plainUser).run();
  const cookie = await app.signIn("per.leave@example.dk", "steward-demo-password");
  const day = (offset) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
  const scheduled = await app.request("POST", `/api/users/${id}/deactivation`, { cookie: admin, body: { from: day(2), until: day(5) } });
  assert.equal(scheduled.status, 200, scheduled.text);
  await app.scheduled(Date.now() + 1 * DAY);
  assert.equal(await status(id), "active");
  await app.scheduled(Date.parse(day(2)) + 60_000);
  assert.equal(await status(id), "deactivated");
  assert.equal((await app.request("GET", "/api/me", { cookie })).status, 401, "sessions ended when the period began");
  await app.scheduled(Date.parse(day(4)) + 60_000);
  assert.equal(await status(id), "deactivated");
  await app.scheduled(Date.parse(day(5)) + 60_000);
  await app.scheduled(Date.parse(day(5)) + 120_000);
  assert.equal(await status(id), "active");
  const history = (await app.request("GET", `/api/users/${id}/history`, { cookie: admin })).json.entries.map((e) => e.action);
  assert.deepEqual(history, ["reactivated", "deactivated", "deactivation_scheduled", "created"]);
});

test("a failed delivery is retried with backoff; a delivered one is never sent again", async () => {
  const created = await app.request("POST", "/api/users", {
    cookie: admin, body: { first_name: "Rita", last_name: "Retry", email: "rita@example.dk", cpr: "121212-1212" },
  });
  app.failNextMail(1);
  const t0 = Date.now();
  await app.request("POST", `/api/users/${created.json.id}/activation`, { cookie: admin });
  const entry = async () => app.db.prepare("SELECT * FROM outbox WHERE recipient = 'rita@example.dk'").first();
  const deadline = Date.now() + 5000;
  while ((await entry()).attempts < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const failed = await entry();
  assert.equal(failed.status, "pending");
  assert.equal(failed.attempts, 1);
  assert.match(failed.last_error, /503/);
  assert.ok(!failed.last_error.includes("token"), "errors hold no message content");
  await app.scheduled(t0 + 30_000);
  assert.equal((await entry()).attempts, 1, "not retried before its backoff");
  await app.scheduled(t0 + 90_000);
  const sent = await entry();
  assert.equal(sent.status, "sent");
  assert.equal(sent.attempts, 2);
  assert.equal(sent.payload, null, "the sealed payload is erased once sent");
  await app.scheduled(t0 + 600_000);
  await app.scheduled(t0 + DAY);
  assert.equal(app.mail.filter((m) => m.to === "rita@example.dk").length, 1);
});

test("the send_email binding delivers through its local capture", async () => {
  const bindingApp = await startTestApp({ mailer: "binding" });
  try {
    const cookie = await bindingApp.signIn(DEMO.admin);
    const created = await bindingApp.request("POST", "/api/users", {
      cookie, body: { first_name: "Bent", last_name: "Binding", email: "bent@example.dk", cpr: "131213-1313" },
    });
    await bindingApp.request("POST", `/api/users/${created.json.id}/activation`, { cookie });
    const mail = await bindingApp.waitForMail("bent@example.dk");
    assert.match(mail.text, /#token=[0-9a-f]{64}/);
    const entry = await bindingApp.db.prepare("SELECT status FROM outbox WHERE recipient = 'bent@example.dk'").first();
    assert.equal(entry.status, "sent");
  } finally {
    await bindingApp.dispose();
  }
});
