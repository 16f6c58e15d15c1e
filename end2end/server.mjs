// Runs the whole product as the run command does (wrangler dev serving the
// built app and Worker) on a fresh temporary D1, for the browser tests.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { demoSeed } from "../functions/tests/test-app.mjs";

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

export async function startServer({ port = 8788 } = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), "steward-e2e-"));
  wrangler(["d1", "migrations", "apply", "DB"], persistTo);
  const seedFile = join(persistTo, "seed.sql");
  writeFileSync(seedFile, demoSeed());
  wrangler(["d1", "execute", "DB", "--file", seedFile], persistTo);

  const child = spawn(WRANGLER, ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistTo, "--show-interactive-dev-session=false"], {
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
  return {
    url,
    log: () => log,
    async stop() {
      try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
