// Shared by the group-interview pages: translated texts, JSON calls with the CSRF token, a live stream that
// reconnects by itself (and says so), the event reducer that keeps a page's state, and small DOM helpers.
// Nothing typed by a person is ever put into innerHTML: text goes in with textContent.

const i18nBlock = document.getElementById("gi-i18n");
const TEXTS = i18nBlock ? JSON.parse(i18nBlock.textContent) : {};

/** A translated text; `{name}` placeholders are filled from `values`. */
export function t(key, values = {}) {
  const text = TEXTS[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Read a JSON block rendered by the server into the page. */
export function readJson(id) {
  const block = document.getElementById(id);
  return block ? JSON.parse(block.textContent) : null;
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** A fetch() of our JSON API. Answers {ok, status, data, message}; a network failure answers status 0. */
export async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json", "x-csrf-token": csrfToken() },
  };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    return { ok: false, status: 0, data: null, message: t("network") };
  }
  let data = null;
  if (response.status !== 204) {
    try { data = await response.json(); } catch { data = null; }
  }
  const message = response.ok ? "" : (data && typeof data.detail === "string" ? data.detail : t("failed"));
  return { ok: response.ok, status: response.status, data, message };
}

/** Build an element: el("li", {class: "x", dataset: {id: 1}, onclick: f}, "text", child, …). */
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

/** A random key for one tap, so that a retried request never places a second sticker. */
export function clientKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}


function upsert(list, item) {
  const index = list.findIndex((x) => x.id === item.id);
  if (index >= 0) { list[index] = { ...list[index], ...item }; } else { list.push(item); }
}

/** Apply one live event to a page's state (the same reducer for console, screen, tablet and phone). */
export function applyEvent(state, name, data) {
  switch (name) {
    case "state": return data;
    case "interview": Object.assign(state.interview, data); break;
    case "joined": {
      const person = (state.participants ?? []).find((p) => p.id === data.participant_id);
      if (person) { person.joined = data.joined; }
      break;
    }
    case "tablet": state.tablet_participant_id = data.participant_id; break;
    case "proposal": state.proposals = state.proposals ?? []; upsert(state.proposals, data); break;
    case "factor":
      if (data.merged_into_id) { state.factors = state.factors.filter((f) => f.id !== data.id); }
      else { upsert(state.factors, data); }
      break;
    case "factor_removed": state.factors = state.factors.filter((f) => f.id !== data.id); break;
    case "round": upsert(state.rounds, data); break;
    case "tally": state.tallies = state.tallies ?? {}; state.tallies[String(data.round_id)] = data.results; break;
    case "mine": state.mine = state.mine ?? {}; state.mine[String(data.round_id)] = data.stickers; break;
    default: break;
  }
  return state;
}

/**
 * Follow a live stream. The browser's EventSource reconnects by itself and sends Last-Event-ID; when the server
 * refused the connection (the browser then gives up), we open a new one ourselves from the last seen id.
 * `onStatus("live" | "connecting" | "down")` drives the page's connection indicator.
 */
export function follow(url, { onEvent, onStatus, onClosed }) {
  let lastId = null;
  let source = null;
  let stopped = false;
  let retry = null;

  function open() {
    if (stopped) { return; }
    onStatus?.("connecting");
    const target = lastId ? `${url}${url.includes("?") ? "&" : "?"}last_event_id=${lastId}` : url;
    source = new EventSource(target);
    source.addEventListener("open", () => onStatus?.("live"));
    source.addEventListener("error", () => {
      if (stopped) { return; }
      onStatus?.("down");
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        clearTimeout(retry);
        retry = setTimeout(async () => {
          if (onClosed && (await onClosed()) === false) { stop(); return; }
          open();
        }, 3000);
      }
    });
    for (const name of readJson("gi-live-kinds") ?? []) {
      source.addEventListener(name, (event) => {
        if (event.lastEventId) { lastId = event.lastEventId; }
        let data = {};
        try { data = JSON.parse(event.data || "{}"); } catch { data = {}; }
        onStatus?.("live");
        onEvent(name, data);
      });
    }
  }

  function stop() {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  }

  open();
  return { stop };
}

/** Show the state of the live connection in a small indicator element. */
export function indicator(node) {
  return (status) => {
    if (!node) { return; }
    node.dataset.status = status;
    node.textContent = t(`conn_${status}`);
  };
}

/** Show a short message in a status region (polite for screen readers); it fades after a while. */
export function notify(node, message, kind = "error") {
  if (!node) { return; }
  node.textContent = message;
  node.dataset.kind = kind;
  node.hidden = !message;
  clearTimeout(node._timer);
  if (message && kind !== "error") {
    node._timer = setTimeout(() => { node.hidden = true; }, 4000);
  }
}

/** The factors of one kind, in the order they were named. */
export function factorsOf(state, kind) {
  return state.factors.filter((f) => f.kind === kind && !f.merged_into_id);
}

/** The open sticker round, if any. */
export function openRound(state) {
  return state.rounds.find((r) => r.status === "open") ?? null;
}

/** Bars of a round's results: sorted, most stickers first, as a list element. */
export function resultBars(state, round, { names } = {}) {
  const results = state.tallies?.[String(round.id)] ?? [];
  const titles = new Map(state.factors.map((f) => [f.id, f.title]));
  const max = Math.max(1, ...results.map((r) => r.stickers));
  const list = el("ol", { class: `gi-bars gi-bars-${round.kind}` });
  const sorted = [...results].sort((a, b) => b.stickers - a.stickers || a.factor_id - b.factor_id);
  for (const row of sorted) {
    if (!titles.has(row.factor_id)) { continue; }
    const bar = el("span", { class: "gi-bar-fill" });
    bar.style.width = `${(100 * row.stickers) / max}%`;
    const by = names?.get(row.factor_id);
    list.append(
      el("li", { class: "gi-bar" },
        el("span", { class: "gi-bar-label" }, titles.get(row.factor_id),
          by ? el("span", { class: "gi-bar-by" }, by) : null),
        el("span", { class: "gi-bar-track" }, bar),
        el("span", { class: "gi-bar-count" }, String(row.stickers))),
    );
  }
  return list;
}

/** The text that says which step the room is in: "Step 3 of 5: What did not help? …". */
export function stepAnnouncement(step, detail = "") {
  return [`${t("step_of", { n: step })}: ${t(`step_long_${step}`)}`, detail].filter(Boolean).join(" ");
}

// A field that a person is typing in and that stays on screen keeps the focus when the room moves on.
function typingIn(node) {
  return node instanceof HTMLElement && node.matches("input, textarea, select") && node.value !== "" &&
    node.offsetParent !== null;
}

/**
 * Follows the room's step. When it changes (not on the first call): the step is said in `region` (an
 * aria-live element) and, when `heading` is given, the focus moves to it (tabindex -1), unless the person is
 * typing in a field that is still on screen.
 */
export function stepFollower({ region, heading = null }) {
  let last = null;
  return (step, detail = "") => {
    if (step === last) { return; }
    const first = last === null;
    last = step;
    if (first) { return; }
    if (region) { region.textContent = stepAnnouncement(step, detail); }
    if (heading && !typingIn(document.activeElement)) { heading.focus({ preventScroll: false }); }
  };
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
