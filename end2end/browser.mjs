// Debian's Chromium, headless, driven by Playwright.
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { chromium } from "playwright-core";

export function launchBrowser({ extraArgs = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...extraArgs,
    ],
  });
}

/**
 * A page in a fresh browser context at `baseURL`, in the locale
 * `contextOptions.locale` (en-US unless given: navigator.language and
 * Accept-Language follow it); uncaught page errors and
 * Content-Security-Policy violations are collected in `problems`. A
 * violation also closes the page, so that the journey fails at its next step
 * even where it does not look at `problems`.
 */
export async function newPage(browser, baseURL, contextOptions = {}) {
  const context = await browser.newContext({ baseURL, locale: "en-US", ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  const violation = (text) => {
    problems.push(text);
    page.close({ reason: text }).catch(() => {});
  };
  // Chromium reports a violation in the console of the page or of the Web
  // Worker where it happened, and fires the event in documents.
  const fromConsole = (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violation(message.text());
  };
  page.on("console", fromConsole);
  page.on("worker", (worker) => worker.on("console", fromConsole));
  await context.exposeBinding("stewardCspViolation", (_source, text) => violation(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      window.stewardCspViolation(`Content Security Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
    });
  });
  return { page, problems };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page, email, password = "steward-demo-password") {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// ---------------------------------------------------------------------------
// Accessibility and reflow checkpoints (issue #17, WCAG 2.1 AA).
//
// axe-core is read from node_modules and evaluated in the page through the
// DevTools protocol (`page.evaluate`), which the page's Content-Security-Policy
// does not govern: no inline <script> is added, so the CSP stays in force
// (and the CSP watch above stays armed) while axe runs. Each checkpoint is
// checked at desktop width and at 320 CSS px, in the locale the context was
// made with; every checked state is appended to a tally shared by the test
// files of one `node --test` run, and each file prints the run's total so far.

/** The WCAG 2.0 and 2.1 A and AA rules. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** Rules switched off, with the reason (the README lists them): none. */
export const AXE_DISABLED_RULES = {};
export const DESKTOP = { width: 1280, height: 720 };
export const NARROW = { width: 320, height: 640 };

let axeSource;
function axeScript() {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/** The tally of one run: the test runner's process, named with its start time so that a reused pid starts afresh. */
function tallyFile() {
  const runner = process.env.NODE_TEST_CONTEXT ? process.ppid : process.pid;
  let started = "";
  try {
    started = readFileSync(`/proc/${runner}/stat`, "utf8").split(") ")[1].split(" ")[19];
  } catch {
    // not Linux: the pid alone
  }
  return join(tmpdir(), `steward-axe-${runner}-${started}.jsonl`);
}

const settle = (page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

async function axeAt(page, size) {
  if (size) {
    await page.setViewportSize(size);
    await settle(page);
  }
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(axeScript());
  }
  const outcome = await page.evaluate(async ({ tags, disabled }) => {
    const rules = Object.fromEntries(disabled.map((id) => [id, { enabled: false }]));
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, rules, resultTypes: ["violations"] });
    const root = document.documentElement;
    const wide = [];
    if (root.scrollWidth > root.clientWidth) {
      // The outermost elements that reach past the right edge, to say where.
      const describe = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : "") + [...el.classList].map((c) => `.${c}`).join("");
      for (const el of document.body.querySelectorAll("*")) {
        const right = el.getBoundingClientRect().right;
        if (right > root.clientWidth + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > root.clientWidth + 0.5)) {
          wide.push(`${describe(el.parentElement)} > ${describe(el)} (right edge at ${Math.round(right)} px)`);
        }
      }
    }
    return {
      violations: result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      })),
      width: innerWidth, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 5),
      language: navigator.language, lang: root.lang, path: location.pathname,
    };
  }, { tags: AXE_TAGS, disabled: Object.keys(AXE_DISABLED_RULES) });
  return outcome;
}

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now, at desktop
 * width and at 320 × 640, and checks at both that the page is no wider than
 * the viewport; restores the viewport it found. Fails listing every
 * violation (rule, impact, elements, help) and every element past the edge.
 */
export async function checkAccessibility(page, state) {
  const found = page.viewportSize() ?? DESKTOP;
  const sizes = found.width <= NARROW.width ? [null, DESKTOP] : [null, NARROW];
  const runs = [];
  try {
    for (const size of sizes) runs.push({ size: size ?? found, ...(await axeAt(page, size)) });
  } finally {
    await page.setViewportSize(found);
  }
  const problems = [];
  for (const run of runs) {
    const where = `at ${run.size.width}×${run.size.height} (${run.language})`;
    for (const v of run.violations) {
      problems.push(`${v.id} (${v.impact}) ${where}: ${v.help}\n    ${v.nodes.map((n) => `${n.target}${n.summary ? ` — ${n.summary.split("\n").slice(1, 3).map((l) => l.trim()).join("; ")}` : ""}`).join("\n    ")}\n    ${v.helpUrl}`);
    }
    if (run.scrollWidth > run.clientWidth) {
      problems.push(`page wider than the viewport ${where}: scrollWidth ${run.scrollWidth} > ${run.clientWidth}\n    ${run.wide.join("\n    ")}`);
    }
  }
  const path = runs[0].path.replace(/\/[0-9a-f]{8}-[0-9a-f-]{27}(?=\/|$)/gi, "/:id");
  appendFileSync(tallyFile(), `${JSON.stringify({
    file: basename(process.argv[1] ?? ""), state, path, language: runs[0].language,
    widths: runs.map((run) => run.size.width), violations: runs.reduce((n, run) => n + run.violations.length, 0),
    overflow: runs.filter((run) => run.scrollWidth > run.clientWidth).length,
  })}\n`);
  if (problems.length) {
    throw new assert.AssertionError({ message: `axe: ${problems.length} problem(s) on “${state}” (${runs[0].path}):\n  ${problems.join("\n  ")}` });
  }
}

/** Prints what this file checked and what the whole run has checked so far; call it from `after`. */
export function reportAccessibility() {
  const file = tallyFile();
  if (!existsSync(file)) return;
  const all = readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const mine = all.filter((entry) => entry.file === basename(process.argv[1] ?? ""));
  const sum = (entries) => {
    const violations = entries.reduce((n, e) => n + e.violations, 0);
    const overflow = entries.reduce((n, e) => n + e.overflow, 0);
    const pages = new Set(entries.map((e) => e.path)).size;
    const languages = [...new Set(entries.map((e) => e.language))].sort().join(", ");
    return `${entries.length} page states checked (${pages} pages; ${languages}; each at 1280 and 320 px: ${2 * entries.length} axe runs), ${violations} violations, ${overflow} wider than the viewport`;
  };
  console.log(`axe (this file): ${sum(mine)}`);
  console.log(`axe: ${sum(all)}`);
}
