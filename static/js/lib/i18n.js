// The texts a page's scripts show, translated on the server into the reader's language. They come as data in
// <script type="application/json"> blocks (our CSP forbids inline scripts): every page has "js-texts"
// (templates/partials/_js_head.html: what lib/http.js says when a call fails), and a page adds its own block.

import { readJson } from "./dom.js";

const blocks = new Map();

function texts(id) {
  if (!blocks.has(id)) { blocks.set(id, readJson(id) ?? {}); }
  return blocks.get(id);
}

/** Fill `{name}` and `%(name)s` placeholders from `values` (unknown names stay as they are). */
export function fill(text, values = {}) {
  return text
    .replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole))
    .replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/**
 * A function that gives a translated text by key: from the block `id`, else from "js-texts", else the key.
 * `t("round_title", { n: 2, kind })` fills the placeholders.
 */
export function translator(id) {
  return (key, values = {}) => fill(texts(id)[key] ?? texts("js-texts")[key] ?? key, values);
}

/** The texts every page has ("js-texts"). */
export const t = translator("js-texts");
