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

/** A page in a fresh browser context at `baseURL`; uncaught page errors are collected in `problems`. */
export async function newPage(browser, baseURL) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, problems };
}

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page, email, password = "steward-demo-password") {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
