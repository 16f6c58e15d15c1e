// Starts the built Worker in Miniflare on a fresh in-memory D1 with the
// migrations applied and the demo data loaded: the test app of every
// integration test.
import { Miniflare } from "miniflare";
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ORIGIN = "http://steward.test";
export const DEMO_PASSWORD = "steward-demo-password";
export const DEMO = {
  admin: "admin@demo.example",
  userAdmin: "bo.berg@demo.example",
  plainUser: "camilla.dahl@demo.example",
  pendingUser: "soren.aero@demo.example",
  deactivatedUser: "mette.oneill@demo.example",
  otherAdmin: "admin@anden.example",
  otherUser: "pia.poulsen@anden.example",
  operator: "operator@steward.example",
  registerAdmin: "register@steward.example",
};

const compatibilityDate = readFileSync(join(ROOT, "wrangler.toml"), "utf8").match(
  /^compatibility_date\s*=\s*"([^"]+)"/m,
)[1];

/** The statements of a SQL file, for D1 (which runs one at a time). */
export function sqlStatements(text) {
  return text
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}

let seedSql;
/** The demo data's SQL, as `steward demo-seed` writes it (made once per process). */
export function demoSeed() {
  seedSql ??= execFileSync("cargo", ["run", "--quiet", "-p", "steward-cli", "--", "demo-seed"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return seedSql;
}

export const VAULT_SECRET = "test-vault-secret-of-at-least-32-characters";
const MAIL_API = "http://mail.test/send";

/**
 * Starts the Worker on a fresh D1. E-mail goes either through the HTTP
 * e-mail API adapter to an in-memory capture (`mailer: "http"`, the default:
 * it can also be told to fail), or through the `send_email` binding, whose
 * local capture writes each message's text to a file and logs its path
 * (`mailer: "binding"`). Either way `app.mail` lists what was sent.
 */
export async function startTestApp({ seed = true, mailer = "http", bindings: extra = {} } = {}) {
  const mail = [];
  let failures = 0;
  let interceptor;
  // REPORT_D1_QUERIES: each answer says how many D1 queries it ran (x-d1-queries).
  const base = { VAULT_SECRET, PUBLIC_URL: ORIGIN, EMAIL_FROM: "no-reply@steward.test", REPORT_D1_QUERIES: "1" };
  if (mailer === "http") base.EMAIL_API_URL = MAIL_API;
  const bindings = { ...base, ...extra };
  const options = {
    modulesRoot: join(ROOT, "functions/build"),
    modules: [
      { type: "ESModule", path: join(ROOT, "functions/build/index.js") },
      { type: "CompiledWasm", path: join(ROOT, "functions/build/index_bg.wasm") },
    ],
    compatibilityDate,
    d1Databases: { DB: "steward-test" },
    bindings,
    email: { send_email: [{ name: "EMAIL" }] },
    async outboundService(request) {
      if (request.url !== MAIL_API) return new Response("no network in tests", { status: 502 });
      if (failures > 0) {
        failures -= 1;
        return new Response("temporarily unavailable", { status: 503 });
      }
      const message = await request.json();
      const answer = await interceptor?.(message);
      if (answer) return answer;
      mail.push({ to: message.to, subject: message.subject, text: message.text, authorization: request.headers.get("authorization") });
      return new Response(JSON.stringify({ id: String(mail.length) }), { status: 202 });
    },
    handleRuntimeStdio(stdout, stderr) {
      let pending = "";
      stdout.on("data", (chunk) => {
        pending += chunk;
        // The binding's capture logs "To: <address>", "Subject: ..." and "Text: <file>".
        const match = pending.match(/To: (.+)\nSubject: (.+)\n[\s\S]*?Text: (\S+\.txt)/);
        if (match) {
          mail.push({ to: match[1].trim(), subject: match[2].trim(), text: readFileSync(match[3], "utf8") });
          pending = pending.slice(match.index + match[0].length);
        }
      });
      stderr.resume();
      // STEWARD_WORKER_LOG=1 shows the Worker's own log, to debug a test.
      if (process.env.STEWARD_WORKER_LOG) for (const stream of [stdout, stderr]) stream.on("data", (chunk) => process.stderr.write(chunk));
    },
  };
  const mf = new Miniflare(options);
  const db = await mf.getD1Database("DB");
  const migrations = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).sort();
  for (const file of migrations) {
    for (const statement of sqlStatements(readFileSync(join(ROOT, "migrations", file), "utf8"))) {
      await db.prepare(statement).run();
    }
  }
  if (seed) {
    await db.batch(sqlStatements(demoSeed()).map((statement) => db.prepare(statement)));
  }

  const app = {
    mf,
    db,
    /** A request as the browser would send it: same-origin, JSON. */
    async request(method, path, { body, cookie, origin = ORIGIN, headers = {} } = {}) {
      const init = { method, headers: { ...headers }, redirect: "manual" };
      if (origin) init.headers.origin = origin;
      if (cookie) init.headers.cookie = cookie;
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        init.headers["content-type"] ??= "application/json";
      }
      const response = await mf.dispatchFetch(ORIGIN + path, init);
      const text = await response.text();
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    /** Signs in and returns the `Cookie` header value for later requests. */
    async signIn(email, password = DEMO_PASSWORD) {
      const response = await app.request("POST", "/api/session", { body: { email, password } });
      if (response.status !== 200) throw new Error(`sign-in as ${email} answered ${response.status}: ${response.text}`);
      return response.headers.get("set-cookie").split(";")[0];
    },
    /** Every e-mail sent so far, oldest first. */
    mail,
    /** Makes the next `count` sends through the HTTP e-mail API fail. */
    failNextMail(count = 1) {
      failures = count;
    },
    /**
     * Hands every later send through the HTTP e-mail API to `handler(message)`
     * first: it may wait, and may return a Response to answer with instead
     * of accepting the message.
     */
    interceptMail(handler) {
      interceptor = handler;
    },
    /** Waits until an e-mail to `to` matching `subject` has arrived. */
    async waitForMail(to, subject = /./, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mail.filter((m) => m.to === to && subject.test(m.subject));
        if (found.length) return found.at(-1);
        if (Date.now() > deadline) throw new Error(`no e-mail to ${to} matching ${subject}; sent: ${JSON.stringify(mail.map((m) => [m.to, m.subject]))}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** Runs the scheduled handler as if the cron fired at `at` (a Date or ms). */
    async scheduled(at = Date.now()) {
      const worker = await mf.getWorker();
      await worker.scheduled({ scheduledTime: new Date(at), cron: "* * * * *" });
    },
    /**
     * Restarts the Worker with the test bindings and `extra` (replacing what
     * an earlier call added), as a deploy with changed secrets would; D1 keeps its data.
     */
    async rebind(extra) {
      await mf.setOptions({ ...options, bindings: { ...base, ...extra } });
      app.db = await mf.getD1Database("DB");
    },
    dispose: () => mf.dispose(),
  };
  return app;
}
