// A file at the product's limit, end to end (issue #18, items 4 and 6): in
// one headless Chromium page signed in as the demo administrator, on
// `wrangler dev` with a fresh local D1, the import page is given a valid
// 200,000-row create file, checks it, and uploads it; printed, not asserted:
// - the page's check (its steward-check-start/-end marks), and Steward's
//   check against uDSV parsing only, on the same file, in another page;
// - the upload from the click to the last chunk answered: rows/s, chunks,
//   time per chunk in the Worker and in the page between chunks;
// - the largest chunk's D1 queries, as the Worker counts them itself
//   (x-d1-queries, which it sends when REPORT_D1_QUERIES is 1);
// - workerd's resident memory (which holds the local D1 too: an upper
//   bound on the Worker's) before, during and after the upload;
// - the page's longest main-thread task and its tasks over 50 ms while it
//   checks and uploads, its JS heap and its WebAssembly memory, and the
//   renderer processes' resident memory (page and check workers);
// - the users stored, counted in the D1.
// Usage: node bench/import-200k.mjs [rows] (default 200000; after scripts/build).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../end2end/server.mjs";
import { launchBrowser, newPage, signIn } from "../end2end/browser.mjs";
import { ROOT } from "../functions/tests/test-app.mjs";
import { bulkFile, median } from "./bulk-file.mjs";

const ROWS = Number(process.argv[2] ?? 200_000);
const RUNS = 5;
const PORT = 8797;
const LONG_TASK_MS = 50;
const EMAIL_PREFIX = "limit";

/** A valid create file: unique e-mails, none broken. */
const file = (rows) => bulkFile(rows, { badEvery: 0, prefix: EMAIL_PREFIX });

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ms = (value) => `${value.toFixed(0)} ms`;

/** Every process: pid, command name, parent, process group (those ending while read are left out). */
function allProcesses() {
  const found = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid pgrp …"
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
      found.push({ pid: Number(name), comm, ppid, pgrp });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** VmRSS and VmHWM of `pid`, in bytes (zero once it has ended). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** The pids below `root` in the process tree. */
function descendants(root) {
  const all = allProcesses();
  const found = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { pid, ppid } of all) {
      if (found.has(ppid) && !found.has(pid)) { found.add(pid); grew = true; }
    }
  }
  found.delete(root);
  return [...found];
}

const isRenderer = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer");
  } catch {
    return false;
  }
};

const server = await startServer({ port: PORT, vars: { REPORT_D1_QUERIES: "1" } });
const workerd = allProcesses().filter(({ comm, pgrp }) => pgrp === server.processGroup && comm.startsWith("workerd")).map(({ pid }) => pid);
const browser = await launchBrowser({ extraArgs: ["--enable-precise-memory-info", "--js-flags=--expose-gc"] });
try {
  const big = file(ROWS);
  console.log(`file: ${ROWS} rows × 15 columns, ${(big.length / 1e6).toFixed(1)} MB, valid (unique e-mails; ${Math.ceil(ROWS / 2)} with CPR numbers, ${Math.floor(ROWS / 2)} with birth dates)`);
  console.log(`machine: ${(await import("node:os")).cpus().length} cores, shared with other work (load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")}): figures are noisy`);

  // 1. Steward's check against uDSV parsing only, in a page of its own: the
  // parser is put in as an inline script, which the app's
  // Content-Security-Policy rightly refuses, and the import page below
  // should hold nothing but what the product holds.
  {
    const { page } = await newPage(browser, server.url, { bypassCSP: true });
    await signIn(page, "admin@demo.example");
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.goto("/import");
    await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
    await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/udsv/dist/uDSV.iife.min.js"), "utf8") });
    await page.evaluate((b64) => {
      window.benchFile = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      window.benchText = new TextDecoder().decode(window.benchFile);
    }, big.toString("base64"));
    const times = await page.evaluate(async (runs) => {
      const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
      const time = async (fn) => { window.gc(); await settle(); const started = performance.now(); const out = await fn(); return [performance.now() - started, out]; };
      const steward = () => window.wasmBindings.check_bulk_file(window.benchFile);
      const udsv = () => uDSV.initParser(uDSV.inferSchema(window.benchText)).stringArrs(window.benchText);
      await steward(); udsv();
      const result = { steward: [], udsv: [], findings: 0, udsvRows: 0, cores: navigator.hardwareConcurrency };
      for (let run = 0; run < runs; run++) {
        const [s, findings] = await time(steward);
        const [u, rows] = await time(udsv);
        result.steward.push(s); result.udsv.push(u); result.findings = findings; result.udsvRows = rows.length;
      }
      return result;
    }, RUNS);
    const [steward, udsv] = [median(times.steward), median(times.udsv)];
    console.log(`Steward check (read+decode+parse+validate)  median of ${RUNS}: ${ms(steward)}  (${times.findings} findings; ${Math.min(times.cores, 4)} Web Workers)   goal at 200,000 rows: < 60 ms`);
    console.log(`uDSV (parse only, text given)               median of ${RUNS}: ${ms(udsv)}  (${times.udsvRows} records)   uDSV / Steward: ${(udsv / steward).toFixed(2)}`);
    await page.context().close();
  }

  // 2. The import page, as an administrator uses it.
  const { page, problems } = await newPage(browser, server.url);
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
  // Long tasks and the page's memory, sampled in the page every 200 ms: the
  // JS heap, and the app's WebAssembly memory (its exports, which the
  // wasm-bindgen starter returns again once started).
  await page.evaluate(async () => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: "longtask" });
    const exports = await window.wasmBindings.default();
    window.memorySamples = [];
    const sample = () => window.memorySamples.push([performance.now(), performance.memory.usedJSHeapSize, exports.memory.buffer.byteLength]);
    sample();
    setInterval(sample, 200);
  });
  const renderers = () => descendants(process.pid).filter(isRenderer);
  const samples = [];
  const sampleProcesses = () => samples.push({
    at: Date.now(),
    workerd: workerd.reduce((sum, pid) => sum + memoryOf(pid).rss, 0),
    workerdHwm: workerd.reduce((sum, pid) => sum + memoryOf(pid).hwm, 0),
    renderers: renderers().reduce((sum, pid) => sum + memoryOf(pid).rss, 0),
  });
  sampleProcesses();
  const sampler = setInterval(sampleProcesses, 200);

  const dropped = Date.now();
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name: "limit.csv", mimeType: "text/csv", buffer: big });
  await page.getByText(`${ROWS} rows checked; 0 findings.`).waitFor({ timeout: 300_000 });
  const checkWall = Date.now() - dropped;
  const check = await page.evaluate(() => {
    const start = performance.getEntriesByName("steward-check-start").at(-1).startTime;
    const end = performance.getEntriesByName("steward-check-end").at(-1).startTime;
    return { start, end };
  });
  const afterCheck = samples.length;

  // Every chunk POST, its timing (Playwright's, on the page's clock of the
  // request) and the D1 queries the Worker says it ran for it.
  const chunks = new Map();
  const CHUNK = /\/api\/imports\/[^/]+\/chunks\/(\d+)$/;
  page.on("request", (request) => {
    const seq = request.url().match(CHUNK)?.[1];
    if (seq !== undefined && request.method() === "POST") chunks.set(request, { seq: Number(seq), sent: Date.now() });
  });
  const answered = [];
  page.on("requestfinished", async (request) => {
    const chunk = chunks.get(request);
    if (!chunk) return;
    const timing = request.timing();
    const response = await request.response();
    const body = JSON.parse(await response.text());
    answered.push({
      ...chunk,
      status: response.status(),
      startedAt: timing.startTime,
      endedAt: timing.startTime + timing.responseEnd,
      waiting: timing.responseStart - timing.requestStart,
      queries: Number((await response.allHeaders())["x-d1-queries"]),
      rows: body.outcomes?.length ?? 0,
    });
  });
  page.on("requestfailed", (request) => { if (chunks.has(request)) console.log(`chunk ${chunks.get(request).seq} failed: ${request.failure()?.errorText}`); });

  const clicked = Date.now();
  const clickedOnPage = await page.evaluate(() => performance.now());
  await page.getByRole("button", { name: `Create ${ROWS} users` }).click();
  await page.getByText(`Done: ${ROWS} created, 0 updated, 0 deleted, 0 rejected.`).waitFor({ timeout: 3_600_000 });
  const done = Date.now();
  const doneOnPage = await page.evaluate(() => performance.now());
  clearInterval(sampler);
  sampleProcesses();
  const uploadSamples = samples.slice(afterCheck);
  // Requests still being settled by Playwright's events.
  while (answered.length < chunks.size) await new Promise((resolve) => setTimeout(resolve, 50));

  const onPage = await page.evaluate(({ check, clickedOnPage, doneOnPage, limit }) => {
    const during = (from, to) => window.longTasks.filter(([at, duration]) => at + duration >= from && at <= to).map(([, d]) => d);
    const stats = (durations) => ({ longest: Math.max(0, ...durations), over: durations.filter((d) => d > limit).length });
    const samples = window.memorySamples;
    return {
      check: stats(during(check.start, check.end)),
      upload: stats(during(clickedOnPage, doneOnPage)),
      heapPeak: Math.max(...samples.map(([, heap]) => heap)),
      heapAtStart: samples[0][1],
      wasmPeak: Math.max(...samples.map(([, , wasm]) => wasm)),
    };
  }, { check, clickedOnPage, doneOnPage, limit: LONG_TASK_MS });

  const ordered = answered.sort((a, b) => a.seq - b.seq);
  const lastAnswered = Math.max(...ordered.map((c) => c.endedAt));
  const uploadMs = lastAnswered - clicked;
  const inWorker = ordered.map((c) => c.endedAt - c.startedAt);
  // Between one chunk's answer and the next chunk's request: the page's own
  // time (reading the answer, drawing the progress, cutting the next body).
  const between = ordered.slice(1).map((c, i) => c.startedAt - ordered[i].endedAt);
  const largest = ordered.reduce((a, b) => (b.queries > a.queries ? b : a));
  const tenth = Math.max(1, Math.floor(ordered.length / 10));
  const [firstTenth, lastTenth] = [inWorker.slice(0, tenth), inWorker.slice(-tenth)];

  const renderersPeak = Math.max(...samples.map((s) => s.renderers));
  const workerdBefore = samples[afterCheck - 1]?.workerd ?? samples[0].workerd;
  const workerdPeak = Math.max(...uploadSamples.map((s) => s.workerd));
  const workerdAfter = samples.at(-1).workerd;
  const steps = uploadSamples.slice(1).map((s, i) => s.workerd - uploadSamples[i].workerd);

  console.log("");
  console.log(`check in the import page: ${ms(check.end - check.start)} from reading to report (marks steward-check-start/-end; ${checkWall} ms wall clock with Playwright's hand-over of the file)`);
  console.log(`  main thread during the check: longest task ${ms(onPage.check.longest)}, ${onPage.check.over} tasks over ${LONG_TASK_MS} ms`);
  console.log(`upload, click to last chunk answered: ${(uploadMs / 1000).toFixed(1)} s, ${Math.round(ROWS / (uploadMs / 1000))} rows/s, ${ordered.length} chunks (${Math.max(...ordered.map((c) => c.rows))} rows in the largest; all answered ${[...new Set(ordered.map((c) => c.status))].join(", ")})   goal: < 60 s`);
  console.log(`  check + upload: ${((check.end - check.start + uploadMs) / 1000).toFixed(1)} s; "Done" shown ${done - lastAnswered} ms after the last answer`);
  console.log(`  per chunk, request to answer: median ${ms(median(inWorker))}, p95 ${ms(percentile(inWorker, 0.95))}, max ${ms(Math.max(...inWorker))}; first tenth median ${ms(median(firstTenth))}, last tenth ${ms(median(lastTenth))}`);
  console.log(`  waiting for the first byte: median ${ms(median(ordered.map((c) => c.waiting)))}; the page between an answer and the next request: median ${ms(median(between))}, p95 ${ms(percentile(between, 0.95))}, in all ${(between.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s of the ${(uploadMs / 1000).toFixed(1)} s`);
  console.log(`  main thread during the upload: longest task ${ms(onPage.upload.longest)}, ${onPage.upload.over} tasks over ${LONG_TASK_MS} ms   goal: none over ${LONG_TASK_MS} ms`);
  console.log(`largest chunk's D1 queries: ${largest.queries} (chunk ${largest.seq}, ${largest.rows} rows; the Worker's own count, x-d1-queries with REPORT_D1_QUERIES=1: reads and the batch's statements, before the outbox delivery after the answer, 1 query when nothing is due)   limit: 1000`);
  console.log(`workerd resident memory (wrangler dev's workerd, ${workerd.length} process${workerd.length === 1 ? "" : "es"}, which also holds the local D1: an upper bound on the Worker's): before the upload ${mb(workerdBefore)}, peak ${mb(workerdPeak)} (VmHWM ${mb(Math.max(...samples.map((s) => s.workerdHwm)))}), after ${mb(workerdAfter)}`);
  console.log(`  growth over the upload ${mb(workerdAfter - workerdBefore)}, ${((workerdAfter - workerdBefore) / ordered.length / 1024).toFixed(0)} KB per chunk on average; largest rise in 200 ms ${mb(Math.max(0, ...steps))}`);
  console.log(`page memory: JS heap peak ${mb(onPage.heapPeak)} (${mb(onPage.heapAtStart)} before the file), the app's WebAssembly memory ${mb(onPage.wasmPeak)}; renderer processes (page and check workers) resident peak ${mb(renderersPeak)}   goal: < 300 MB`);

  const stored = server.query(`SELECT count(*) AS n FROM users WHERE email_normalized LIKE '${EMAIL_PREFIX}%@example.dk' AND status = 'created'`)[0].results[0].n;
  console.log(`users stored (counted in the D1): ${stored} of ${ROWS}${stored === ROWS ? "" : "  ← not all"}`);
  if (problems.length) console.log(`page problems: ${problems.join("; ")}`);
} finally {
  await browser.close();
  await server.stop();
}
