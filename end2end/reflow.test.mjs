// Reflow on a phone and the keyboard (issue #17, WCAG 2.1 1.4.10, 2.1.1,
// 2.4.1, 2.4.7): at 320 × 640 an administrator reaches every navigation entry
// with the keyboard alone (Tab to the menu button, Enter or Space opens it,
// Tab to the link, Enter), and no page is wider than the viewport; axe checks
// each page. The same walk at desktop width, where the links are not behind
// the menu. Selectors are by address and ARIA attribute, not by text, so the
// walk runs unchanged in every language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { launchBrowser, newPage, checkAccessibility, reportAccessibility, NARROW, DESKTOP } from "./browser.mjs";

const ADMIN = "admin@demo.example";
const PASSWORD = "steward-demo-password";
/** An organization administrator's navigation. */
const ENTRIES = ["/users", "/import", "/audit", "/deputies", "/applications", "/requests", "/account", "/notifications"];

let server;
let browser;
before(async () => {
  server = await startServer({ port: 8795 });
  browser = await launchBrowser();
});
after(async () => {
  reportAccessibility();
  await browser?.close();
  await server?.stop();
});

/** What has focus: tag, id, href, aria-controls, and whether its focus is drawn. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: "body" };
  const style = getComputedStyle(el);
  const drawn = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute("href"), controls: el.getAttribute("aria-controls"),
    expanded: el.getAttribute("aria-expanded"), inMain: !!el.closest("main"), inNav: !!el.closest("#main-nav"), drawn,
    text: (el.innerText ?? "").trim().slice(0, 60),
  };
});

/** Presses `key` until `wanted(focus)` holds, at most `max` times; every control passed must show its focus. */
async function pressUntil(page, key, wanted, what, max = 40) {
  const passed = [];
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const focus = await focused(page);
    passed.push(focus);
    if (focus.tag !== "body" && focus.tag !== "main" && focus.tag !== "h1") {
      assert.ok(focus.drawn, `no visible focus on ${JSON.stringify(focus)} at ${page.url()}`);
    }
    if (wanted(focus)) return focus;
  }
  assert.fail(`${what}: not reached with ${max} × ${key} at ${page.url()}; passed ${passed.map((f) => f.href ?? f.id ?? f.tag).join(", ")}`);
}

/** Signs in by the ids of the sign-in form, in any language. */
async function signInAsAdmin(page) {
  await page.goto("/sign-in");
  await page.locator("#sign-in-email").fill(ADMIN);
  await page.locator("#sign-in-password").fill(PASSWORD);
  await page.locator("#sign-in-password").press("Enter");
  await page.waitForURL("**/users");
  await page.locator("main h1").waitFor();
}

async function assertFits(page, size) {
  const { scrollWidth, clientWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, innerWidth,
  }));
  assert.equal(innerWidth, size.width);
  assert.ok(scrollWidth <= clientWidth, `${page.url()} is ${scrollWidth} px wide at ${size.width} px`);
}

/**
 * From where focus is (the page's heading, after a change of page), Shift+Tab
 * back to the menu button (narrow screens), open it with `openWith` unless it
 * is open, Tab to the entry and press Enter; focus then lands on the new
 * page's heading.
 */
async function follow(page, href, { narrow, openWith, onOpen = async () => {} }) {
  if (narrow) {
    const button = await pressUntil(page, "Shift+Tab", (f) => f.controls === "main-nav", "the menu button");
    assert.equal(button.tag, "button");
    if (button.expanded !== "true") {
      assert.equal(button.expanded, "false", "the menu button says whether the menu is open");
      assert.equal(await page.locator("#main-nav").isVisible(), false, "a closed menu hides the navigation");
      await page.keyboard.press(openWith);
      assert.equal(await page.locator('button[aria-controls="main-nav"]').getAttribute("aria-expanded"), "true", `${JSON.stringify(openWith)} opens the menu`);
      assert.equal(await page.locator("#main-nav").isVisible(), true, "an open menu shows the navigation");
      await onOpen();
    }
    await pressUntil(page, "Tab", (f) => f.inNav && f.href === href, `the entry ${href}`, 15);
  } else {
    await pressUntil(page, "Shift+Tab", (f) => f.inNav && f.href === href, `the entry ${href}`);
  }
  await page.keyboard.press("Enter");
  await page.waitForURL(`**${href}`);
  await page.locator("main h1").waitFor();
  await page.waitForFunction(() => document.activeElement === document.querySelector("main h1"), null, { timeout: 5_000 })
    .catch(() => assert.fail(`focus is not on the heading of ${href}`));
}

async function walk(locale, size) {
  const narrow = size.width <= NARROW.width;
  const { page, problems } = await newPage(browser, server.url, { locale, viewport: size });
  await signInAsAdmin(page);
  await assertFits(page, size);

  // The skip link is the first stop of the page, is in view when focused,
  // and leads past the header into the page.
  const first = await page.evaluate(() => [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
    .find((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0)?.getAttribute("href"));
  assert.equal(first, "#main", "the first Tab stop is the skip link");
  await pressUntil(page, "Shift+Tab", (f) => f.href === "#main", "the skip link, backwards from the heading");
  const box = await page.locator('a[href="#main"]').boundingBox();
  assert.ok(box && box.y >= 0 && box.x >= 0 && box.x + box.width <= size.width, `the focused skip link is in view: ${JSON.stringify(box)}`);
  await page.keyboard.press("Enter");
  await pressUntil(page, "Tab", (f) => f.inMain, "a control in main after the skip link", 1);

  // Every entry, the users page (where signing in lands) last.
  const order = [...ENTRIES.slice(1), ENTRIES[0]];
  for (const [i, href] of order.entries()) {
    const onOpen = async () => {
      if (i > 0) return;
      const hrefs = await page.locator("#main-nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
      assert.deepEqual(hrefs, ENTRIES);
      await assertFits(page, size);
      await checkAccessibility(page, "navigation menu open");
    };
    await follow(page, href, { narrow, openWith: i % 2 ? " " : "Enter", onOpen });
    await assertFits(page, size);
    await checkAccessibility(page, `navigation: ${href}`);
  }
  if (!narrow) {
    const hrefs = await page.locator("#main-nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.deepEqual(hrefs, ENTRIES);
  }
  assert.deepEqual(problems, []);
}

for (const locale of ["en-US", "da-DK", "de-DE"]) {
  test(`at 320 × 640 (${locale}) every navigation entry is reached by keyboard through the menu, and no page is wider than the screen`, async () => {
    await walk(locale, NARROW);
  });
}

test("at desktop width every navigation entry is reached by keyboard, and axe finds nothing", async () => {
  await walk("en-US", DESKTOP);
});
