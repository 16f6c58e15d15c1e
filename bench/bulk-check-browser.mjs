// In one headless Chromium page: Steward's in-browser bulk check (read +
// decode + parse + validate, as the import page runs it: in parts, in Web
// Workers) against Papa Parse and uDSV parsing only, on the
// same generated 100,000-row, 15-column file; medians of 5 runs and ratios,
// and the same check on one thread for reference. Then the longest main-thread task while the
// import page checks that file, and the time to import 10,000 users into the
// local D1. Printed, not asserted. Usage: node bench/bulk-check-browser.mjs
// (after scripts/build).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer } from "../end2end/server.mjs";
import { launchBrowser, newPage, signIn } from "../end2end/browser.mjs";
import { ROOT } from "../functions/tests/test-app.mjs";
import { bulkFile as file, median } from "./bulk-file.mjs";

const ROWS = Number(process.argv[2] ?? 100_000);
const RUNS = 5;

const server = await startServer({ port: 8793 });
// gc() between runs: each parser is timed from a collected heap, not while
// collecting what the one before it left.
const browser = await launchBrowser({ extraArgs: ["--js-flags=--expose-gc"] });
try {
  // The baselines' parsers are put in the page as inline scripts, which the
  // app's Content-Security-Policy rightly refuses.
  const { page } = await newPage(browser, server.url, { bypassCSP: true });
  await signIn(page, "admin@demo.example");
  await page.getByRole("heading", { name: "Users" }).waitFor();
  await page.goto("/import");
  await page.getByRole("heading", { name: "Import users from a file" }).waitFor();
  await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/papaparse/papaparse.min.js"), "utf8") });
  await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules/udsv/dist/uDSV.iife.min.js"), "utf8") });

  const big = file(ROWS);
  await page.evaluate((b64) => {
    window.benchFile = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    window.benchText = new TextDecoder().decode(window.benchFile);
  }, big.toString("base64"));
  const times = await page.evaluate(async (runs) => {
    // A pause after gc(): V8 frees what it collected on background threads,
    // which would otherwise run beside the next parser (and beside Steward's
    // workers, on this machine's other cores).
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    const time = async (fn) => { window.gc(); await settle(); const started = performance.now(); const out = await fn(); return [performance.now() - started, out]; };
    const steward = () => window.wasmBindings.check_bulk_file(window.benchFile);
    const papa = () => Papa.parse(window.benchText, { delimiter: ";" });
    const udsv = () => uDSV.initParser(uDSV.inferSchema(window.benchText)).stringArrs(window.benchText);
    const oneThread = () => window.wasmBindings.check_bulk_file_on_one_thread(window.benchFile);
    // One untimed round: the first call starts Steward's check workers (the
    // import page starts them when it opens) and every parser's code warms.
    await steward(); papa(); udsv(); oneThread();
    const result = { steward: [], papa: [], udsv: [], oneThread: [], findings: 0, papaRows: 0, udsvRows: 0, cores: navigator.hardwareConcurrency };
    for (let run = 0; run < runs; run++) {
      const [s, findings] = await time(steward);
      const [p, parsed] = await time(papa);
      const [u, rows] = await time(udsv);
      const [o, oneFindings] = await time(oneThread);
      result.steward.push(s); result.papa.push(p); result.udsv.push(u); result.oneThread.push(o);
      result.findings = findings; result.oneFindings = oneFindings; result.papaRows = parsed.data.length; result.udsvRows = rows.length;
    }
    return result;
  }, RUNS);
  const [steward, papa, udsv, oneThread] = [median(times.steward), median(times.papa), median(times.udsv), median(times.oneThread)];
  const workers = Math.min(times.cores, 4);
  console.log(`file: ${ROWS} rows × 15 columns, ${(big.length / 1e6).toFixed(1)} MB; Steward found ${times.findings} findings (${times.oneFindings} on one thread); Papa Parse read ${times.papaRows} records, uDSV ${times.udsvRows}`);
  console.log(`Steward check (read+decode+parse+validate)  median ${steward.toFixed(0)} ms   (${times.cores} cores: ${workers} Web Worker${workers === 1 ? "" : "s"})`);
  console.log(`Papa Parse (parse only, text given)         median ${papa.toFixed(0)} ms`);
  console.log(`uDSV (parse only, text given)               median ${udsv.toFixed(0)} ms`);
  console.log(`Steward's check on one thread, for reference  median ${oneThread.toFixed(0)} ms (${(oneThread / steward).toFixed(2)}× the time of the check in parts)`);
  console.log(`ratio Papa Parse / Steward: ${(papa / steward).toFixed(2)} (target ≥ 2)   uDSV / Steward: ${(udsv / steward).toFixed(2)} (target ≥ 1)`);

  // The longest main-thread task while the page itself checks the file.
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => [e.startTime, e.duration])))
      .observe({ type: "longtask" });
  });
  const started = Date.now();
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name: "big.csv", mimeType: "text/csv", buffer: big });
  await page.getByText(`${ROWS} rows checked;`).waitFor({ timeout: 300_000 });
  const pageCheck = Date.now() - started;
  // Only tasks between the page's own marks: handing the file to the page
  // (Playwright decoding 9 MB into a File) is the harness, not the check.
  const [longest, checkMs] = await page.evaluate(() => {
    const start = performance.getEntriesByName("steward-check-start").at(-1).startTime;
    const end = performance.getEntriesByName("steward-check-end").at(-1).startTime;
    const during = window.longTasks.filter(([at, duration]) => at + duration >= start && at <= end);
    return [Math.max(0, ...during.map(([, duration]) => duration)), end - start];
  });
  console.log(`import page check of the same file: ${checkMs.toFixed(0)} ms from reading to report (${pageCheck} ms wall clock with the hand-over); longest main-thread task during it ${longest ? `${longest.toFixed(0)} ms` : "under 50 ms (no long task reported)"}`);

  // Importing 10,000 users into the local D1 through the page.
  await page.goto("/import");
  await page.getByLabel("Choose a CSV file, or drop it here").setInputFiles({ name: "ten-thousand.csv", mimeType: "text/csv", buffer: file(10_000, { badEvery: 0, prefix: "tenk" }) });
  await page.getByText("10000 rows checked; 0 findings.").waitFor({ timeout: 120_000 });
  const importStarted = Date.now();
  await page.getByRole("button", { name: "Create 10000 users" }).click();
  await page.getByText("Done: 10000 created").waitFor({ timeout: 600_000 });
  const importMs = Date.now() - importStarted;
  console.log(`import of 10,000 users into the local D1: ${(importMs / 1000).toFixed(1)} s (${Math.round(10_000 / (importMs / 1000))} users/s)`);
} finally {
  await browser.close();
  await server.stop();
}
