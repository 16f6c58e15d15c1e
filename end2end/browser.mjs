// Debian's Chromium, headless, driven by Playwright.
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
 * A page in a fresh browser context at `baseURL`; uncaught page errors and
 * Content-Security-Policy violations are collected in `problems`. A
 * violation also closes the page, so that the journey fails at its next step
 * even where it does not look at `problems`.
 */
export async function newPage(browser, baseURL, contextOptions = {}) {
  const context = await browser.newContext({ baseURL, ...contextOptions });
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
