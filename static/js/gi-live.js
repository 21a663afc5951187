// Shared by the group-interview pages (and the share-back room's): their translated texts, a live stream that
// reconnects by itself (and says so), the event reducer that keeps a page's state, and what the room's screens
// draw alike. JSON calls, the CSRF token and the DOM helpers are lib/ (http.js, dom.js, i18n.js).

import { el, readJson } from "./lib/dom.js";
import { translator } from "./lib/i18n.js";

/** A translated text of the group-interview pages; `{name}` placeholders are filled from `values`. */
export const t = translator("gi-i18n");

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
