// Small DOM helpers every page script uses. Nothing typed by a person is ever put into innerHTML: text goes in
// with textContent (el's children and its `text`).

/** The element with this id. */
export const byId = (id) => document.getElementById(id);

/** The first element that matches `selector` (in `root`). */
export const $ = (selector, root = document) => root.querySelector(selector);

/** Every element that matches `selector` (in `root`), as an array. */
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** A JSON block rendered by the server into the page (`null` when there is none). */
export function readJson(id) {
  const block = document.getElementById(id);
  if (!block) { return null; }
  try { return JSON.parse(block.textContent || "null"); } catch { return null; }
}

/** Build an element: el("li", {class: "x", dataset: {id: 1}, onclick: f, text: "…"}, "text", child, …). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) { continue; }
    if (key === "class") { node.className = value; }
    else if (key === "dataset") { Object.assign(node.dataset, value); }
    else if (key.startsWith("on") && typeof value === "function") { node.addEventListener(key.slice(2), value); }
    else if (key === "text") { node.textContent = value; }
    else if (value === true) { node.setAttribute(key, ""); }
    else { node.setAttribute(key, String(value)); }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) { continue; }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * Show a short message in a status region (an aria-live element: screen readers say it). Errors stay until the
 * next message; other kinds fade after `fade` ms.
 */
export function notify(node, message, kind = "error", fade = 4000) {
  if (!node) { return; }
  node.textContent = message;
  node.dataset.kind = kind;
  node.hidden = !message;
  clearTimeout(node._timer);
  if (message && kind !== "error") {
    node._timer = setTimeout(() => { node.hidden = true; }, fade);
  }
}

/**
 * Keep a container's children in line with `items`, by key: an item whose signature did not change keeps its
 * element (so a half-typed field or a ticked checkbox survives live updates).
 */
export function syncList(container, items, key, signature, build) {
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child.dataset.key !== undefined) { existing.set(child.dataset.key, child); }
    else { child.remove(); }
  }
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    const sig = signature(item);
    let node = existing.get(k);
    if (node && node.dataset.sig !== sig) { node.remove(); node = undefined; }
    if (!node) {
      node = build(item);
      node.dataset.key = k;
      node.dataset.sig = sig;
    }
    existing.delete(k);
    const anchor = previous ? previous.nextSibling : container.firstChild;
    if (node !== anchor) { container.insertBefore(node, anchor); }
    previous = node;
  }
  for (const node of existing.values()) { node.remove(); }
}

/**
 * Re-render a container whose buttons are rebuilt, and give the focus back to the control that had it:
 * controls carry `data-focus-key`; when that control is gone or disabled, the first of `fallbacks(key)` that
 * is there and enabled gets it.
 */
export function keepingFocus(container, draw, fallbacks = () => []) {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.focusKey : undefined;
  draw();
  if (key === undefined) { return; }
  for (const candidate of [key, ...fallbacks(key)]) {
    const node = container.querySelector(`[data-focus-key="${CSS.escape(candidate)}"]`);
    if (node && !node.disabled) { node.focus(); return; }
  }
}
