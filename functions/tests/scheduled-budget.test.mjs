// A scheduled run stays within D1's 1,000 queries per invocation: each step
// takes its share, and the outbox delivery at the end still runs.
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

// Template order: UUID, first, last, e-mail, CPR, birth date, phone, P, SE, means, anonymous, sign, seal, roles, groups.
const cells = ({ email, cpr }) => ["", "Due", "Reminder", email, cpr, "", "", "", "", "", "", "", "", "", ""];
const send = (importId, seq, body) => app.request("POST", `/api/imports/${importId}/chunks/${seq}`, { cookie: admin, body });
const count = async (sql, ...binds) => (await app.db.prepare(sql).bind(...binds).first()).n;
/** A distinct, well-formed CPR number for each `i`. */
const cpr = (i) => `${String(1 + (i % 28)).padStart(2, "0")}${String(1 + (Math.floor(i / 28) % 12)).padStart(2, "0")}80-${String(i).padStart(4, "0")}`;

test("a scheduled run with more reminders due than its share of D1 queries sends some, delivers, and leaves the rest to the next runs", async () => {
  const rows = Array.from({ length: 150 }, (_, i) => ({ row: i + 2, cells: cells({ email: `due${i}@budget.example`, cpr: cpr(i) }) }));
  assert.equal((await send(randomUUID(), 0, { operation: "create", rows })).status, 200);
  const rows2 = rows.map((r, i) => ({ row: r.row, cells: cells({ email: `due${150 + i}@budget.example`, cpr: cpr(150 + i) }) }));
  assert.equal((await send(randomUUID(), 0, { operation: "create", rows: rows2 })).status, 200);
  // 300 link users whose 14-day reminder is due: five statements each.
  const now = Date.now();
  await app.db.prepare("UPDATE users SET status = 'pending', registration_deadline = ?1, reminders_sent = 0 WHERE email LIKE 'due%@budget.example'").bind(Math.floor(now / 1000) + 13 * 86_400).run();
  const reminded = () => count("SELECT count(*) AS n FROM history h JOIN users u ON u.id = h.user_id WHERE u.email LIKE 'due%@budget.example' AND h.action = 'reminder_sent'");
  const mailBefore = app.mail.length;
  await app.scheduled(now);
  const first = await reminded();
  console.log(`one scheduled run: ${first} of 300 due reminders`);
  assert.ok(first > 0 && first < 300, `${first} reminders in one run`);
  // The run got as far as the outbox: the reminders it queued went out.
  const deadline = Date.now() + 5000;
  const delivered = () => app.mail.slice(mailBefore).filter((m) => /^due\d+@budget\.example$/.test(m.to)).length;
  while (delivered() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(delivered() > 0, "reminders were delivered in the same run");
  let runs = 1;
  while ((await reminded()) < 300) {
    const before = await reminded();
    await app.scheduled(now + runs * 60_000);
    runs += 1;
    assert.ok((await reminded()) > before, `run ${runs} went on`);
  }
  assert.ok(runs <= Math.ceil(300 / first) + 1, `${runs} runs`);
});
