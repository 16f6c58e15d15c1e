import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestApp, DEMO, ORIGIN } from "./test-app.mjs";

let app;
let admin;
before(async () => {
  app = await startTestApp();
  admin = await app.signIn(DEMO.admin);
});
after(() => app?.dispose());

let counter = 0;
async function createUser(fields) {
  counter += 1;
  const body = { first_name: "Eva", last_name: `Nielsen${"x".repeat(counter % 3)}`, email: `eva${counter}@example.dk`, ...fields };
  const response = await app.request("POST", "/api/users", { cookie: admin, body });
  assert.equal(response.status, 201, response.text);
  return response.json;
}

const linkIn = (mail) => mail.text.match(/(http\S+\/activate#token=([0-9a-f]+))/);
const PASSWORD = "a long and private passphrase";

test("the link path: e-mail with a one-time link, a password, and the new user signs in", async () => {
  const user = await createUser({ cpr: "050607-1234" });
  const sent = await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.path, "link");
  assert.equal(sent.json.code, null);
  const mail = await app.waitForMail(user.email, /Activate your account|Aktivér/);
  const [, url, token] = linkIn(mail);
  assert.ok(url.startsWith(`${ORIGIN}/activate#token=`));
  assert.equal(token.length, 64);
  assert.ok(!mail.text.includes("1234"), "no CPR in the e-mail");
  assert.equal((await app.request("GET", `/api/users/${user.id}`, { cookie: admin })).json.status, "pending");
  // The token is stored only as its digest.
  const stored = await app.db.prepare("SELECT digest FROM activation_secrets WHERE user_id = ?1").bind(user.id).all();
  assert.ok(stored.results.every((row) => row.digest !== token));

  const weak = await app.request("POST", "/api/activation", { body: { token, password: "password1234" } });
  assert.equal(weak.status, 422);
  assert.equal(weak.json.error.details[0].code, "password_common");
  const short = await app.request("POST", "/api/activation", { body: { token, password: "short" } });
  assert.equal(short.json.error.details[0].code, "password_too_short");

  const activated = await app.request("POST", "/api/activation", { body: { token, password: PASSWORD } });
  assert.equal(activated.status, 204, activated.text);
  const cookie = await app.signIn(user.email, PASSWORD);
  assert.equal((await app.request("GET", "/api/me", { cookie })).json.email, user.email);
  // One time only.
  const replay = await app.request("POST", "/api/activation", { body: { token, password: PASSWORD } });
  assert.equal(replay.status, 400);
  assert.equal(replay.json.error.code, "activation_refused");
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.deepEqual(history.map((e) => e.action), ["activated", "sent_to_activation", "created"]);
});

test("resend replaces the link: the old one stops working", async () => {
  const user = await createUser({ cpr: "060708-1234" });
  await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  const [, , first] = linkIn(await app.waitForMail(user.email));
  await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const mails = app.mail.filter((m) => m.to === user.email);
  assert.equal(mails.length, 2);
  const [, , second] = linkIn(mails[1]);
  assert.notEqual(first, second);
  const old = await app.request("POST", "/api/activation", { body: { token: first, password: PASSWORD } });
  assert.equal(old.status, 400);
  assert.equal((await app.request("POST", "/api/activation", { body: { token: second, password: PASSWORD } })).status, 204);
});

test("an expired link is refused like a wrong one", async () => {
  const user = await createUser({ cpr: "070809-1234" });
  await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  const [, , token] = linkIn(await app.waitForMail(user.email));
  await app.db.prepare("UPDATE activation_secrets SET expires_at = 1 WHERE user_id = ?1").bind(user.id).run();
  const expired = await app.request("POST", "/api/activation", { body: { token, password: PASSWORD } });
  assert.equal(expired.status, 400);
  const wrong = await app.request("POST", "/api/activation", { body: { token: "ab".repeat(32), password: PASSWORD } });
  assert.deepEqual(wrong.json, expired.json);
});

test("the code path: the code is shown once, the e-mail carries no secret, birth date is the second factor", async () => {
  const user = await createUser({ birth_date: "1988-09-14" });
  const sent = await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  assert.equal(sent.json.path, "code");
  const code = sent.json.code;
  assert.match(code, /^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/);
  const mail = await app.waitForMail(user.email);
  assert.ok(!mail.text.includes(code) && !mail.text.includes(code.replaceAll("-", "")));
  assert.ok(mail.text.includes(`${ORIGIN}/activate`));
  assert.ok(!/#token=/.test(mail.text));

  const wrongBirthDate = await app.request("POST", "/api/activation", {
    body: { email: user.email, code, birth_date: "15-09-1988", password: PASSWORD },
  });
  assert.equal(wrongBirthDate.status, 400);
  const unknownEmail = await app.request("POST", "/api/activation", {
    body: { email: "nobody@example.dk", code, birth_date: "14-09-1988", password: PASSWORD },
  });
  assert.deepEqual(unknownEmail.json, wrongBirthDate.json, "answers never reveal which part was wrong");
  const typedLoosely = code.toLowerCase().replaceAll("-", " ");
  const activated = await app.request("POST", "/api/activation", {
    body: { email: user.email.toUpperCase(), code: typedLoosely, birth_date: "14-09-1988", password: PASSWORD },
  });
  assert.equal(activated.status, 204, activated.text);
  await app.signIn(user.email, PASSWORD);
});

test("five wrong attempts lock the code and tell the administrators; regenerate replaces it", async () => {
  const user = await createUser({ birth_date: "1977-01-02" });
  const { code } = (await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin })).json;
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const wrong = await app.request("POST", "/api/activation", {
      body: { email: user.email, code: "2222-2222-2222", birth_date: "1977-01-02", password: PASSWORD },
    });
    assert.equal(wrong.status, 400);
  }
  const locked = await app.request("POST", "/api/activation", {
    body: { email: user.email, code, birth_date: "1977-01-02", password: PASSWORD },
  });
  assert.equal(locked.status, 400, "the right code no longer works once locked");
  const detail = (await app.request("GET", `/api/users/${user.id}`, { cookie: admin })).json;
  assert.equal(detail.code_locked, true);
  const notifications = (await app.request("GET", "/api/notifications", { cookie: admin })).json;
  assert.ok(notifications.unread >= 1);
  assert.ok(notifications.items.some((n) => n.kind === "code_locked" && n.body.includes("Eva")));
  await app.waitForMail(DEMO.admin, /locked|spærret|gesperrt/);
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.equal(history[0].action, "code_locked");

  const regenerated = (await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin })).json;
  assert.notEqual(regenerated.code, code);
  const ok = await app.request("POST", "/api/activation", {
    body: { email: user.email, code: regenerated.code, birth_date: "02-01-1977", password: PASSWORD },
  });
  assert.equal(ok.status, 204);
});

test("forty wrong codes at once: five are compared, the code locks, and it is told once", async () => {
  const user = await createUser({ birth_date: "1966-06-06" });
  const { code } = (await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin })).json;
  const wrong = { email: user.email, code: "2222-2222-2222", birth_date: "1966-06-06", password: PASSWORD };
  const answers = await Promise.all(Array.from({ length: 40 }, () => app.request("POST", "/api/activation", { body: wrong })));
  assert.ok(answers.every((answer) => answer.status === 400), "every answer the same refusal");
  const secret = await app.db.prepare("SELECT attempts, locked_at FROM activation_secrets WHERE user_id = ?1 AND consumed_at IS NULL")
    .bind(user.id).first();
  assert.equal(secret.attempts, 5, "no more guesses compared than the limit");
  assert.notEqual(secret.locked_at, null);
  const history = (await app.request("GET", `/api/users/${user.id}/history`, { cookie: admin })).json.entries;
  assert.equal(history.filter((entry) => entry.action === "code_locked").length, 1, "the lock is recorded once");
  const right = await app.request("POST", "/api/activation", { body: { ...wrong, code } });
  assert.equal(right.status, 400, "the right code no longer works");
});

test("many link-path users are sent at once; code-path users are skipped with the reason", async () => {
  const linkUsers = [await createUser({ cpr: "080910-1111" }), await createUser({ cpr: "080910-2222" })];
  const codeUser = await createUser({ birth_date: "1990-01-01" });
  const response = await app.request("POST", "/api/activations", {
    cookie: admin, body: { user_ids: [...linkUsers.map((u) => u.id), codeUser.id, "00000000-0000-4000-8000-000000000000"] },
  });
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(response.json.sent, linkUsers.map((u) => u.id));
  assert.deepEqual(response.json.skipped.map((s) => s.id), [codeUser.id, "00000000-0000-4000-8000-000000000000"]);
  for (const user of linkUsers) await app.waitForMail(user.email);
  assert.equal((await app.request("GET", `/api/users/${codeUser.id}`, { cookie: admin })).json.status, "created");
});

test("an active user cannot be sent to activation; the activation endpoint checks its body", async () => {
  const list = (await app.request("GET", "/api/users?q=camilla", { cookie: admin })).json.users;
  const refused = await app.request("POST", `/api/users/${list[0].id}/activation`, { cookie: admin });
  assert.equal(refused.status, 409);
  const unknown = await app.request("POST", "/api/activation", { body: { token: "x", password: PASSWORD, extra: 1 } });
  assert.equal(unknown.status, 422);
  const noOrigin = await app.request("POST", "/api/activation", { origin: null, body: { token: "x", password: PASSWORD } });
  assert.equal(noOrigin.status, 403);
});

test("an administrator chooses in-app only: no e-mail, but the notification is listed and can be marked read", async () => {
  const userAdmin = await app.signIn(DEMO.userAdmin);
  const preference = await app.request("PUT", "/api/notifications/preference", { cookie: userAdmin, body: { channel: "in_app" } });
  assert.equal(preference.status, 204);
  const user = await createUser({ birth_date: "1966-06-06" });
  await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin });
  await app.waitForMail(user.email);
  const sentBefore = app.mail.length;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await app.request("POST", "/api/activation", {
      body: { email: user.email, code: "3333-3333-3333", birth_date: "1966-06-06", password: PASSWORD },
    });
  }
  const listed = (await app.request("GET", "/api/notifications", { cookie: userAdmin })).json;
  assert.equal(listed.channel, "in_app");
  assert.ok(listed.unread >= 1);
  const deadline = Date.now() + 5000;
  while (!app.mail.slice(sentBefore).some((m) => m.to === DEMO.admin) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const sentSince = app.mail.slice(sentBefore);
  assert.ok(sentSince.some((m) => m.to === DEMO.admin), "the administrator who chose both got an e-mail");
  assert.ok(!sentSince.some((m) => m.to === DEMO.userAdmin), "no e-mail for an in-app-only administrator");
  assert.equal((await app.request("POST", "/api/notifications/read", { cookie: userAdmin })).status, 204);
  assert.equal((await app.request("GET", "/api/notifications", { cookie: userAdmin })).json.unread, 0);
  const bad = await app.request("PUT", "/api/notifications/preference", { cookie: userAdmin, body: { channel: "pigeon" } });
  assert.equal(bad.status, 422);
});

test("two activations racing with the same link: one wins, the other is refused", async () => {
  const user = await createUser({ cpr: "111213-1234" });
  assert.equal((await app.request("POST", `/api/users/${user.id}/activation`, { cookie: admin })).status, 200);
  const [, , token] = linkIn(await app.waitForMail(user.email, /Activate your account|Aktivér/));
  const answers = await Promise.all(
    ["first racing passphrase", "second racing passphrase"].map((password) => app.request("POST", "/api/activation", { body: { token, password } })),
  );
  assert.deepEqual(answers.map((a) => a.status).sort(), [204, 400], answers.map((a) => a.text).join(" | "));
  const activated = await app.db.prepare("SELECT count(*) AS n FROM history WHERE user_id = ?1 AND action = 'activated'").bind(user.id).first();
  assert.equal(activated.n, 1);
  const winner = answers[0].status === 204 ? "first racing passphrase" : "second racing passphrase";
  await app.signIn(user.email, winner);
});
