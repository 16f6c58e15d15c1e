// Runs the whole product as the run command does (wrangler dev serving the
// built app and Worker) on a fresh temporary D1, for the browser tests.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { demoSeed } from "../functions/tests/test-app.mjs";

// A fixed local secret: the temporary D1 is thrown away after the run.
const VAULT_SECRET = "end-to-end-vault-secret-of-at-least-32-chars";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const ENV = {
  ...process.env,
  PATH: `${join(ROOT, "node_modules/.bin")}:${process.env.PATH}`,
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};

function wrangler(args, persistTo) {
  execFileSync(WRANGLER, [...args, "--local", "--persist-to", persistTo], { cwd: ROOT, env: ENV, stdio: "pipe" });
}

/** `vars`: more variables for the Worker (e.g. `{ REPORT_D1_QUERIES: "1" }`, which makes each answer say its D1 queries). */
export async function startServer({ port = 8788, vars = {} } = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "steward-e2e-"));
  wrangler(["d1", "migrations", "apply", "DB"], persistTo);
  const seedFile = join(persistTo, "seed.sql");
  writeFileSync(seedFile, demoSeed());
  wrangler(["d1", "execute", "DB", "--file", seedFile], persistTo);

  const child = spawn(WRANGLER, [
    "dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo,
    "--show-interactive-dev-session=false",
    "--var", `VAULT_SECRET:${VAULT_SECRET}`, "--var", `PUBLIC_URL:http://127.0.0.1:${port}`,
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ], {
    cwd: ROOT, env: ENV, detached: true, stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk) => { log += chunk; });
  child.stderr.on("data", (chunk) => { log += chunk; });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/api/me`);
      if (response.status === 401) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`wrangler dev did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  /** The e-mails wrangler's `send_email` capture has written so far. */
  const mail = () => {
    const found = [];
    const plain = log.replace(/\x1b\[[0-9;]*m/g, "");
    for (const match of plain.matchAll(/To: (.+)\nSubject: (.+)\n[\s\S]*?Text: (\S+\.txt)/g)) {
      found.push({ to: match[1].trim(), subject: match[2].trim(), text: readFileSync(match[3], "utf8") });
    }
    return found;
  };
  return {
    url,
    /** The process group of wrangler and the workerd it runs (benchmarks read their memory). */
    processGroup: child.pid,
    /** Queries the temporary D1 (`wrangler d1 execute`), e.g. to count what a run stored; returns wrangler's JSON. */
    query: (sql) => JSON.parse(execFileSync(WRANGLER, ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql],
      { cwd: ROOT, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })),
    log: () => log,
    mail,
    /** Waits for the latest e-mail to `to`, beyond the first `skip` ones. */
    async waitForMail(to, { skip = 0, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mail().filter((m) => m.to === to);
        if (found.length > skip) return found.at(-1);
        if (Date.now() > deadline) throw new Error(`no e-mail to ${to}; log:\n${log.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
