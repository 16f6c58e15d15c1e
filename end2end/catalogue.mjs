// The app's catalogues (app/locales/<lang>/<namespace>.json), for tests that
// select by accessible name in a language and that look for text left
// untranslated.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const LOCALES = fileURLToPath(new URL("../app/locales/", import.meta.url));

function flatten(prefix, value, into) {
  if (typeof value === "string") into.set(prefix, value);
  else for (const [key, inner] of Object.entries(value)) flatten(`${prefix}.${key}`, inner, into);
  return into;
}

/** `namespace.key` → message, for one language. */
export function catalogue(lang) {
  const messages = new Map();
  for (const file of readdirSync(join(LOCALES, lang))) {
    const namespace = file.replace(/\.json$/, "");
    flatten(namespace, JSON.parse(readFileSync(join(LOCALES, lang, file), "utf8")), messages);
  }
  return messages;
}

/** A lookup that fails loudly on an unknown key; `{{ name }}` filled from `values`. */
export function translator(lang) {
  const messages = catalogue(lang);
  return (key, values = {}) => {
    const message = messages.get(key);
    if (message === undefined) throw new Error(`no message ${key} in ${lang}`);
    return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => {
      if (!(name in values)) throw new Error(`${key} needs {{ ${name} }}`);
      return String(values[name]);
    });
  };
}

/**
 * The English texts that a page in `lang` must not show: English messages
 * (their fixed parts, where they have placeholders) that `lang` does not
 * also use word for word.
 */
export function englishOnly(lang) {
  const own = new Set(catalogue(lang).values());
  const fragments = new Set();
  for (const message of catalogue("en").values()) {
    if (own.has(message)) continue;
    for (const part of message.split(/\{\{\s*\w+\s*\}\}/)) {
      const text = part.trim();
      // Short fragments ("(", "·", "of") say nothing about the language.
      if (text.length >= 4 && ![...own].some((ownMessage) => ownMessage.includes(text))) fragments.add(text);
    }
  }
  return fragments;
}

/**
 * The visible text nodes and accessible labels of the page that are English
 * where the page should speak another language.
 */
export async function untranslated(page, lang) {
  const fragments = [...englishOnly(lang)];
  const texts = await page.evaluate(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const parent = node.parentElement;
      // translate="no" marks someone's own words (a file's column names), which no page language applies to.
      if (text && parent && parent.getClientRects().length > 0 && !parent.closest("option:not(:checked), [translate=no]")) found.push(text);
    }
    for (const element of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
      for (const name of ["aria-label", "placeholder", "title"]) {
        const value = element.getAttribute(name);
        if (value) found.push(value.trim());
      }
    }
    return found;
  });
  return texts.filter((text) => fragments.some((fragment) => text === fragment || (fragment.length >= 12 && text.includes(fragment))));
}
