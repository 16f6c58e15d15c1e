// The Worker speaks the caller's language (issue #17): every error code in
// Danish, English and German by Accept-Language, handler messages, history
// and audit labels, the audit export's header row; and a person's own
// language (PUT /api/me/language) is what GET /api/me says and what the
// next e-mail to them is written in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestApp, DEMO, ORIGIN } from "./test-app.mjs";

const LANGS = ["da", "en", "de"];
// A browser's header for each language, as browsers send them.
const HEADER = { da: "da-DK,da;q=0.9,en;q=0.8", en: "en-GB,en;q=0.9", de: "de-DE,de;q=0.9,en;q=0.5" };

let app;
let admin;
let plain;
let ids;
let apps;
before(async () => {
  app = await startTestApp({ mailer: "http" });
  admin = await app.signIn(DEMO.admin);
  plain = await app.signIn(DEMO.plainUser);
  const users = (await app.request("GET", "/api/users", { cookie: admin })).json.users;
  ids = Object.fromEntries(users.map((u) => [u.email, u.id]));
  const catalog = (await app.request("GET", "/api/applications", { cookie: admin })).json.applications;
  apps = Object.fromEntries(catalog.map((a) => [a.name, a.id]));
});
after(() => app?.dispose());

const said = (lang, headers = {}) => ({ headers: { "accept-language": HEADER[lang], ...headers } });
let lockedOut = false;
const cells = (firstName, email) => ["", firstName, "Person", email, "", "01-01-1990", "", "", "", "", "", "", "", "", ""];

// Each error code: how to provoke it for real, its status, and what each
// language's message starts with or contains.
const CODES = {
  malformed_json: {
    status: 400,
    call: (h) => app.request("POST", "/api/session", { body: "{not json", ...h }),
    expect: { da: /^Forespørgslens indhold er ikke gyldig JSON: /, en: /^The request body is not valid JSON: /, de: /^Der Inhalt der Anfrage ist kein gültiges JSON: / },
  },
  invalid_body: {
    status: 422,
    call: (h) => app.request("POST", "/api/session", { body: { email: "a@b.dk", password: "x", surprise: 1 }, ...h }),
    expect: { da: /^Forespørgslens indhold har ikke de forventede felter: /, en: /^The request body does not have the expected fields: /, de: /^Der Inhalt der Anfrage hat nicht die erwarteten Felder: / },
  },
  body_too_large: {
    status: 413,
    call: (h) => app.request("POST", "/api/session", { body: JSON.stringify({ email: "a".repeat(70_000), password: "x" }), ...h }),
    expect: { da: /^Forespørgslens indhold er større end 65536 byte\.$/, en: /^The request body is larger than 65536 bytes\.$/, de: /^Der Inhalt der Anfrage ist größer als 65536 Byte\.$/ },
  },
  invalid_query: {
    status: 400,
    // The detail is a rule of ours, so it is translated too.
    call: (h) => app.request("GET", "/api/audit?format=xml", { cookie: admin, ...h }),
    expect: { da: /^Forespørgslens parametre er ikke gyldige: `format` kan kun være csv$/, en: /^The query string is not valid: `format` may only be csv$/, de: /^Die Parameter der Anfrage sind ungültig: `format` darf nur csv sein$/ },
  },
  invalid_credentials: {
    status: 401,
    call: (h) => app.request("POST", "/api/session", { body: { email: `nobody-${randomUUID()}@example.dk`, password: "wrong password" }, ...h }),
    expect: { da: /^E-mailadressen eller adgangskoden er forkert\.$/, en: /^The e-mail address or the password is wrong\.$/, de: /^Die E-Mail-Adresse oder das Passwort ist falsch\.$/ },
  },
  unauthenticated: {
    status: 401,
    call: (h) => app.request("GET", "/api/me", h),
    expect: { da: /^Log ind først\.$/, en: /^Sign in first\.$/, de: /^Bitte melden Sie sich zuerst an\.$/ },
  },
  too_many_attempts: {
    status: 429,
    // Ten failures for one typed address lock it (once; each later try is refused too).
    call: async (h) => {
      const email = "locked-out@example.dk";
      if (!lockedOut) for (let i = 0; i < 10; i += 1) await app.request("POST", "/api/session", { body: { email, password: "wrong password" } });
      lockedOut = true;
      return app.request("POST", "/api/session", { body: { email, password: "wrong password" }, ...h });
    },
    expect: { da: /^For mange forsøg på at logge ind\. Prøv igen om \d+ minutter\.$/, en: /^Too many sign-in attempts\. Try again in \d+ minutes\.$/, de: /^Zu viele Anmeldeversuche\. Versuchen Sie es in \d+ Minuten erneut\.$/ },
  },
  bad_origin: {
    status: 403,
    // Refused before any route's context exists: the language still follows the header.
    call: (h) => app.request("POST", "/api/session", { body: { email: "a@b.dk", password: "x" }, origin: "http://evil.test", ...h }),
    expect: { da: /^Forespørgslen kom ikke fra dette websted\.$/, en: /^The request did not come from this site\.$/, de: /^Die Anfrage kam nicht von dieser Website\.$/ },
  },
  forbidden: {
    status: 403,
    call: (h) => app.request("GET", "/api/users", { cookie: plain, ...h }),
    expect: { da: /^Det har du ikke lov til\.$/, en: /^You may not do this\.$/, de: /^Dazu sind Sie nicht berechtigt\.$/ },
  },
  not_found: {
    status: 404,
    call: (h) => app.request("GET", "/api/nothing-here", h),
    expect: { da: /^Der blev ikke fundet noget på denne adresse\.$/, en: /^Nothing was found at this address\.$/, de: /^Unter dieser Adresse wurde nichts gefunden\.$/ },
  },
  validation: {
    status: 422,
    call: (h) => app.request("PUT", "/api/me/language", { cookie: plain, body: { language: "fr" }, ...h }),
    expect: { da: /^Nogle felter skal rettes\.$/, en: /^Some fields need to be corrected\.$/, de: /^Einige Felder müssen korrigiert werden\.$/ },
  },
  rows_rejected: {
    status: 422,
    call: (h) =>
      app.request("POST", `/api/imports/${randomUUID()}/chunks/0`, {
        cookie: admin,
        body: { operation: "create", rows: [{ row: 2, cells: cells("", `rows-${randomUUID()}@example.dk`) }] },
        ...h,
      }),
    expect: { da: /^Rækker i denne del af filen skal rettes; intet af den er gemt\.$/, en: /^Rows of this chunk need to be corrected; nothing of it was saved\.$/, de: /^Zeilen dieses Dateiteils müssen korrigiert werden; nichts davon wurde gespeichert\.$/ },
  },
  conflict: {
    status: 409,
    call: (h) => app.request("POST", `/api/users/${ids[DEMO.plainUser]}/reactivation`, { cookie: admin, ...h }),
    expect: { da: /^En bruger med status aktiv kan ikke genaktiveres\.$/, en: /^A user who is active cannot be reactivated\.$/, de: /^Ein Benutzer mit dem Status aktiv kann nicht reaktiviert werden\.$/ },
  },
  activation_refused: {
    status: 400,
    call: (h) => app.request("POST", "/api/activation", { body: { token: "not-a-token", password: "a long enough passphrase 42" }, ...h }),
    expect: { da: /^Aktiveringslinket eller aktiveringskoden er ikke gyldig/, en: /^The activation link or code is not valid/, de: /^Der Aktivierungslink oder Aktivierungscode ist ungültig/ },
  },
  method_not_allowed: {
    status: 405,
    call: (h) => app.request("GET", "/api/session", h),
    expect: { da: /^Denne metode er ikke tilladt her\.$/, en: /^This method is not allowed here\.$/, de: /^Diese Methode ist hier nicht erlaubt\.$/ },
  },
};

test("every error code answers in da, en and de by Accept-Language", async () => {
  for (const [code, { status, call, expect }] of Object.entries(CODES)) {
    const messages = {};
    for (const lang of LANGS) {
      const response = await call(said(lang));
      assert.equal(response.status, status, `${code} in ${lang}: ${response.text}`);
      assert.equal(response.json?.error?.code, code, `${code} in ${lang}: ${response.text}`);
      assert.match(response.json.error.message, expect[lang], `${code} in ${lang}`);
      messages[lang] = response.json.error.message;
    }
    assert.equal(new Set(Object.values(messages)).size, 3, `${code}: ${JSON.stringify(messages)}`);
  }
  assert.deepEqual(
    Object.keys(CODES).sort(),
    ["activation_refused", "bad_origin", "body_too_large", "conflict", "forbidden", "invalid_body", "invalid_credentials", "invalid_query", "malformed_json", "method_not_allowed", "not_found", "rows_rejected", "too_many_attempts", "unauthenticated", "validation"],
  );
});

test("without Accept-Language, or with none of ours, the answer is English; q-values decide", async () => {
  assert.equal((await app.request("GET", "/api/me")).json.error.message, "Sign in first.");
  assert.equal((await app.request("GET", "/api/me", { headers: { "accept-language": "fr-FR,fr;q=0.9" } })).json.error.message, "Sign in first.");
  assert.equal((await app.request("GET", "/api/me", { headers: { "accept-language": "en;q=0.4,de;q=0.8,fr" } })).json.error.message, "Bitte melden Sie sich zuerst an.");
  assert.equal((await app.request("GET", "/api/me", { headers: { "accept-language": "fr, da;q=0.1" } })).json.error.message, "Log ind først.");
});

test("an internal error is said in the caller's language too, and tells nothing of its cause", async () => {
  const broken = await startTestApp();
  try {
    const cookie = await broken.signIn(DEMO.plainUser);
    await broken.db.prepare("DROP TABLE register_administrators").run();
    const messages = {};
    for (const lang of LANGS) {
      const response = await broken.request("GET", "/api/me", { cookie, ...said(lang) });
      assert.equal(response.status, 500);
      assert.equal(response.json.error.code, "internal");
      assert.doesNotMatch(response.json.error.message, /register_administrators|SQL/i);
      messages[lang] = response.json.error.message;
    }
    assert.deepEqual(messages, {
      da: "Der gik noget galt hos os. Prøv igen.",
      en: "Something went wrong on our side. Please try again.",
      de: "Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut.",
    });
  } finally {
    await broken.dispose();
  }
});

test("handler messages: a 409 and a rule's refusal in Danish, field messages of the rules too", async () => {
  const held = await app.request("DELETE", `/api/applications/${apps.Reports}`, { cookie: admin, ...said("da") });
  assert.equal(held.status, 409);
  assert.match(held.json.error.message, /^“Reports” er tildelt 2 personer og gives af \d+ brugergrupper\./);

  const self = await app.request("DELETE", `/api/users/${ids[DEMO.admin]}`, { cookie: admin, ...said("da") });
  assert.equal(self.status, 409);
  assert.equal(self.json.error.message, "Du kan ikke slette dig selv.");

  const userAdmin = await app.signIn(DEMO.userAdmin);
  const lacking = await app.request("POST", `/api/users/${ids[DEMO.plainUser]}/applications`, { cookie: userAdmin, body: { application_id: apps.Payroll }, ...said("da") });
  assert.equal(lacking.status, 403);
  assert.equal(lacking.json.error.message, "En brugeradministrator kan kun tildele rettigheder, hvis roller vedkommende selv har.");

  const bad = await app.request("POST", "/api/applications", { cookie: admin, body: { name: " ", roles: ["user_admin"] }, ...said("de") });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.error.details.map((i) => i.message), [
    "Geben Sie einen Namen ein.",
    "„user_admin“ ist das Recht, Benutzer zu verwalten, das ein Organisationsadministrator auf der Seite des Benutzers vergibt; es ist keine Rolle einer Fachanwendung.",
  ]);
});

test("history and audit labels in German, found by a German search", async () => {
  const email = `historie-${randomUUID()}@example.dk`;
  const made = await app.request("POST", "/api/users", { cookie: admin, body: { first_name: "Heike", last_name: "Historie", email, birth_date: "01-01-1990" } });
  assert.equal(made.status, 201, made.text);
  const history = await app.request("GET", `/api/users/${made.json.id}/history`, { cookie: admin, ...said("de") });
  assert.equal(history.status, 200);
  assert.deepEqual(history.json.entries.map((e) => [e.action, e.label]), [["created", "Benutzer angelegt"]]);
  const english = await app.request("GET", `/api/users/${made.json.id}/history`, { cookie: admin });
  assert.equal(english.json.entries[0].label, "User created");

  const audit = await app.request("GET", "/api/audit?q=angelegt", { cookie: admin, ...said("de") });
  assert.equal(audit.status, 200);
  const entry = audit.json.entries.find((e) => e.subject_id === made.json.id);
  assert.ok(entry, "a German search finds the German label");
  assert.equal(entry.label, "Benutzer angelegt");
  assert.ok(audit.json.entries.every((e) => e.label === "Benutzer angelegt"), JSON.stringify(audit.json.entries.map((e) => e.label)));

  await app.request("DELETE", `/api/users/${made.json.id}`, { cookie: admin });
  const deleted = (await app.request("GET", "/api/audit", { cookie: admin, ...said("de") })).json.entries.filter((e) => e.subject_id === made.json.id);
  assert.deepEqual(deleted.map((e) => [e.label, e.subject_name]), [["Gelöscht", "(gelöschter Benutzer)"], ["Benutzer angelegt", "(gelöschter Benutzer)"]]);
});

test("the audit export's header row is in Danish for a Danish reader, English otherwise", async () => {
  const danish = await app.request("GET", "/api/audit?format=csv", { cookie: admin, ...said("da") });
  assert.equal(danish.status, 200);
  const lines = danish.text.replace(/^\uFEFF/, "").split(/\r?\n/);
  assert.equal(lines[0], "tidspunkt (UTC);udført af;handling;vedrører;id;detaljer");
  assert.ok(lines.slice(1).some((line) => line.includes(";Bruger oprettet;")), lines.slice(0, 4).join("\n"));
  const english = await app.request("GET", "/api/audit?format=csv", { cookie: admin });
  assert.equal(english.text.replace(/^\uFEFF/, "").split(/\r?\n/)[0], "time (UTC);actor;action;subject;subject id;details");
});

test("PUT /api/me/language: stored, said by GET /api/me, and the next e-mail to the person is in it", async () => {
  const camilla = await app.signIn(DEMO.plainUser);
  // Before any choice: the organization's default.
  const before = await app.request("GET", "/api/me", { cookie: camilla });
  assert.equal(before.json.language, "da");
  assert.equal(before.json.chosen_language, null, "the organization's default is not the person's own choice");

  const chosen = await app.request("PUT", "/api/me/language", { cookie: camilla, body: { language: "de" } });
  assert.equal(chosen.status, 204, chosen.text);
  assert.equal(chosen.text, "");
  const after = (await app.request("GET", "/api/me", { cookie: camilla })).json;
  assert.equal(after.language, "de");
  assert.equal(after.chosen_language, "de");

  // Her request refused: the e-mail telling her is German, though the organization speaks Danish.
  const asked = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Payroll } });
  assert.equal(asked.status, 201, asked.text);
  const refused = await app.request("POST", `/api/requests/${asked.json.id}/decision`, { cookie: admin, body: { grant: false }, ...said("da") });
  assert.ok(refused.status < 300, refused.text);
  const mail = await app.waitForMail(DEMO.plainUser, /Antrag wurde abgelehnt/);
  assert.match(mail.text, /^Hallo Camilla/);

  // Back to English: the next e-mail follows.
  assert.equal((await app.request("PUT", "/api/me/language", { cookie: camilla, body: { language: "en" } })).status, 204);
  const again = await app.request("POST", "/api/me/requests", { cookie: camilla, body: { application_id: apps.Payroll } });
  assert.equal(again.status, 201, again.text);
  await app.request("POST", `/api/requests/${again.json.id}/decision`, { cookie: admin, body: { grant: false } });
  await app.waitForMail(DEMO.plainUser, /Your request was refused/);
});

test("PUT /api/me/language refuses an unknown language at its field, and asks for a session", async () => {
  const refused = await app.request("PUT", "/api/me/language", { cookie: plain, body: { language: "fr" }, ...said("da") });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.error.code, "validation");
  assert.deepEqual(refused.json.error.details, [{ field: "language", code: "unknown_language", message: "Vælg dansk (da), engelsk (en) eller tysk (de)." }]);
  for (const body of [{ language: "" }, { language: "DA-dk" }, { language: "english" }]) {
    const response = await app.request("PUT", "/api/me/language", { cookie: plain, body });
    assert.equal(response.status, 422, JSON.stringify(body));
    assert.equal(response.json.error.details[0].field, "language");
  }
  const shapeless = await app.request("PUT", "/api/me/language", { cookie: plain, body: { language: 7 } });
  assert.equal(shapeless.status, 422);
  assert.equal(shapeless.json.error.code, "invalid_body");

  const signedOut = await app.request("PUT", "/api/me/language", { body: { language: "de" } });
  assert.equal(signedOut.status, 401);
  assert.equal(signedOut.json.error.code, "unauthenticated");
  const foreign = await app.request("PUT", "/api/me/language", { cookie: plain, body: { language: "de" }, origin: "http://evil.test" });
  assert.equal(foreign.status, 403);
});

test("PUT /api/me/language 40 times at once: 40 × 204 and one consistent value, in one query each", async () => {
  const bo = await app.signIn(DEMO.userAdmin);
  const answers = await Promise.all(Array.from({ length: 40 }, () => app.request("PUT", "/api/me/language", { cookie: bo, body: { language: "de" } })));
  assert.deepEqual(answers.map((a) => a.status), Array(40).fill(204));
  // The session's read and the one update.
  assert.ok(answers.every((a) => Number(a.headers.get("x-d1-queries")) <= 2), answers.map((a) => a.headers.get("x-d1-queries")).join(","));
  assert.equal((await app.request("GET", "/api/me", { cookie: bo })).json.language, "de");
  const stored = await app.db.prepare("SELECT language FROM users WHERE id = ?1").bind(ids[DEMO.userAdmin]).first();
  assert.equal(stored.language, "de");

  // Mixed at once: every one answered 204, and what is stored is one of them.
  const mixed = await Promise.all(LANGS.flatMap((language) => Array.from({ length: 5 }, () => app.request("PUT", "/api/me/language", { cookie: bo, body: { language } }))));
  assert.deepEqual(mixed.map((a) => a.status), Array(15).fill(204));
  const now = (await app.request("GET", "/api/me", { cookie: bo })).json.language;
  assert.ok(LANGS.includes(now));
  assert.equal((await app.db.prepare("SELECT language FROM users WHERE id = ?1").bind(ids[DEMO.userAdmin]).first()).language, now);
});

test("PUT /api/me/language with a chunked body (no Content-Length) is handled like any other", async () => {
  const send = async (text) => {
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream({
      start(controller) {
        // In two pieces, so that the body arrives chunked.
        controller.enqueue(bytes.slice(0, 5));
        controller.enqueue(bytes.slice(5));
        controller.close();
      },
    });
    const response = await app.mf.dispatchFetch(`${ORIGIN}/api/me/language`, {
      method: "PUT",
      headers: { origin: ORIGIN, cookie: plain, "content-type": "application/json", "accept-language": HEADER.de },
      body,
      duplex: "half",
    });
    const answer = await response.text();
    return { status: response.status, length: response.headers.get("content-length"), json: answer ? JSON.parse(answer) : undefined };
  };
  const ok = await send(JSON.stringify({ language: "de" }));
  assert.equal(ok.status, 204);
  assert.equal((await app.request("GET", "/api/me", { cookie: plain })).json.language, "de");
  const wrong = await send(JSON.stringify({ language: "fr" }));
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.error.details[0].field, "language");
  assert.equal(wrong.json.error.details[0].message, "Wählen Sie Dänisch (da), Englisch (en) oder Deutsch (de).");
  const huge = await send(JSON.stringify({ language: "de", padding: "x".repeat(70_000) }));
  assert.equal(huge.status, 413);
  assert.equal(huge.json.error.message, "Der Inhalt der Anfrage ist größer als 65536 Byte.");
  const broken = await send("{language:");
  assert.equal(broken.status, 400);
  assert.equal(broken.json.error.code, "malformed_json");
});

test("a deleted person's row keeps no language, and answers say they vary by language and are not to be cached", async () => {
  const fresh = await startTestApp();
  try {
    const freshAdmin = await fresh.signIn(DEMO.admin);
    const camilla = await fresh.signIn(DEMO.plainUser);
    const chosen = await fresh.request("PUT", "/api/me/language", { cookie: camilla, body: { language: "de" } });
    assert.equal(chosen.status, 204);
    assert.match(chosen.headers.get("vary"), /Accept-Language/);
    assert.equal(chosen.headers.get("cache-control"), "no-store");
    const me = await fresh.request("GET", "/api/me", { cookie: camilla });
    assert.equal((await fresh.request("DELETE", `/api/users/${me.json.id}`, { cookie: freshAdmin })).status, 204);
    const row = await fresh.db.prepare("SELECT status, language FROM users WHERE id = ?1").bind(me.json.id).first();
    assert.deepEqual({ ...row }, { status: "deleted", language: null });
    // Nor can a request that outlived the deletion write one back.
    assert.equal((await fresh.request("PUT", "/api/me/language", { cookie: camilla, body: { language: "da" } })).status, 401);
    assert.equal((await fresh.db.prepare("SELECT language FROM users WHERE id = ?1").bind(me.json.id).first()).language, null);
  } finally {
    await fresh.dispose();
  }
});

test("PUT /api/me/language sets only the caller's own: another administrator's or another organization's id in the body or path changes nothing", async () => {
  const bo = await app.signIn(DEMO.userAdmin);
  const before = (await app.db.prepare("SELECT language FROM users WHERE id = ?1").bind(ids[DEMO.admin]).first()).language;
  const withId = await app.request("PUT", "/api/me/language", { cookie: bo, body: { language: "de", user_id: ids[DEMO.admin] } });
  assert.equal(withId.status, 422, withId.text);
  const inPath = await app.request("PUT", `/api/users/${ids[DEMO.admin]}/language`, { cookie: bo, body: { language: "de" } });
  assert.equal(inPath.status, 404);
  const other = await app.signIn(DEMO.otherAdmin);
  const fromElsewhere = await app.request("PUT", `/api/me/language/${ids[DEMO.admin]}`, { cookie: other, body: { language: "de" } });
  assert.equal(fromElsewhere.status, 404);
  assert.equal((await app.db.prepare("SELECT language FROM users WHERE id = ?1").bind(ids[DEMO.admin]).first()).language, before);
});
