// A phone (or the room's tablet) in the share-back meeting: the finding on the screen and three buttons,
// "I recognise this", "Partly", "I don't recognise this", with an optional short comment.
// Every tap gets a random client key and goes into a queue kept on the phone (localStorage) until the server
// confirms it: a tap without connection is sent when the phone is back, and a retry is counted once. Only the
// newest tap per finding is kept (a new reaction replaces the old one anyway). The tablet does not queue: who
// holds it may change before a queued tap would arrive.

import { clientKey, follow } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el, notify, readJson } from "./lib/dom.js";
import { applyShareBack, currentSlide, eyebrow, slideFollower, st } from "./sb-common.js";

const root = document.getElementById("sb-phone");
const tablet = root.dataset.mode === "tablet";
const base = `/api/v1/reviews/${root.dataset.reviewId}/share-back`;
const storeKey = `leerreview-share-back-queue-${root.dataset.meetingId}`;
const toast = $("gi-toast");
let state = readJson("sb-state");
let stream = null;
let shownNode;
let flushing = false;
let retryTimer = null;
let retryDelay = 2000;
let holder = null;
const followSlide = slideFollower({ region: $("sb-live"), heading: $("sb-title") });
state.mine = state.mine ?? {};

const say = (message, kind = "ok") => notify(toast, message, kind);

function loadQueue() {
  if (tablet) { return new Map(); }
  try {
    const stored = JSON.parse(localStorage.getItem(storeKey) ?? "[]");
    return new Map(stored.map((entry) => [entry.node_id, entry]));
  } catch { return new Map(); }
}
const queue = loadQueue();

function saveQueue() {
  if (tablet) { return; }
  try { localStorage.setItem(storeKey, JSON.stringify([...queue.values()])); } catch { /* private mode: memory only */ }
}

function endAccess() {
  stream?.stop();
  clearTimeout(retryTimer);
  for (const id of ["sb-card", "sb-react", "sb-status", "ph-offline"]) { $(id).hidden = true; }
  document.querySelector(".ph-me").hidden = true;
  $("ph-ended").hidden = false;
}

function chosen(nodeId) { return queue.get(nodeId) ?? state.mine[String(nodeId)] ?? null; }

function renderStatus() {
  const waiting = queue.size;
  const status = $("sb-status");
  status.dataset.kind = waiting ? "queued" : "";
  status.textContent = waiting ? st("queued", { n: waiting }) : "";
}

function render() {
  if (state.meeting.status === "closed") { endAccess(); return; }
  const { slide } = currentSlide(state);
  $("sb-eyebrow").textContent = eyebrow(state, slide);
  $("sb-title").textContent = slide?.title ?? "";
  $("sb-explanation").textContent = slide?.node_id === null ? st("listen") : (slide?.explanation ?? "");
  $("sb-card").dataset.section = slide?.section ?? "success";
  $("sb-children").replaceChildren(...(slide?.children ?? []).map((c) => el("li", {}, c.title)));
  const nodeId = slide?.node_id ?? null;
  const canReact = nodeId !== null && state.meeting.status === "open" && (!tablet || holder !== null);
  $("sb-react").hidden = !canReact;
  const mine = nodeId === null ? null : chosen(nodeId);
  for (const button of document.querySelectorAll(".sb-btn")) {
    const on = mine?.reaction === button.dataset.reaction;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("is-pending", on && queue.has(nodeId));
  }
  if (shownNode !== nodeId) { // a new finding: its own comment box
    shownNode = nodeId;
    $("sb-comment").value = mine?.comment ?? "";
    $("sb-comment-box").open = Boolean(mine?.comment);
  }
  if (tablet) {
    const person = (state.participants ?? []).find((p) => p.id === holder);
    $("sb-holder").textContent = person ? st("tablet_holder", { name: person.pseudonym }) : st("tablet_nobody");
  }
  renderStatus();
  if (!$("sb-card").hidden) { followSlide(state, slide); }
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flush, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 15000);
}

/** Send every queued tap, oldest first; stop at the first one without an answer and try again later. */
async function flush() {
  if (flushing) { return; }
  flushing = true;
  try {
    for (const entry of [...queue.values()]) {
      const answer = await api("POST", `${base}/reactions`, {
        node_id: entry.node_id, reaction: entry.reaction, comment: entry.comment, client_key: entry.client_key,
      });
      if (answer.status === 0 || answer.status >= 500) { $("ph-offline").hidden = false; scheduleRetry(); return; }
      if (queue.get(entry.node_id)?.client_key === entry.client_key) { queue.delete(entry.node_id); }
      saveQueue();
      if (answer.status === 401) { endAccess(); return; }
      if (!answer.ok) { say(answer.message, "error"); continue; }
      state.mine[String(entry.node_id)] = answer.data;
      retryDelay = 2000;
      say(entry.comment ? st("comment_saved") : st("sent"));
    }
  } finally {
    flushing = false;
    render();
  }
}

async function react(reaction) {
  const { slide } = currentSlide(state);
  if (!slide || slide.node_id === null) { return; }
  const entry = { node_id: slide.node_id, reaction, comment: $("sb-comment").value.trim(), client_key: clientKey() };
  if (tablet) {
    const answer = await api("POST", `${base}/reactions`, entry);
    if (!answer.ok) { say(answer.message, "error"); return; }
    state.mine[String(slide.node_id)] = answer.data;
    say(st("sent"));
    render();
    return;
  }
  queue.set(slide.node_id, entry);
  saveQueue();
  toast.hidden = true; // an earlier "sent" must not linger over a tap that is still waiting
  render();
  if (!navigator.onLine) { $("ph-offline").hidden = false; return; }
  flush();
}

for (const button of document.querySelectorAll(".sb-btn")) {
  button.addEventListener("click", () => react(button.dataset.reaction));
}
$("sb-send-comment").addEventListener("click", () => {
  const { slide } = currentSlide(state);
  const mine = slide?.node_id ? chosen(slide.node_id) : null;
  if (!mine) { say(st("choose_first"), "error"); return; }
  react(mine.reaction);
});

window.addEventListener("online", () => { retryDelay = 2000; flush(); });

function onStatus(status) {
  $("ph-offline").hidden = status !== "down";
  if (status === "live" && queue.size) { flush(); }
}

function onEvent(name, data) {
  if (name === "ended" || name === "released") { endAccess(); return; }
  if (name === "tablet") { holder = data.participant_id; state.mine = {}; }
  state = applyShareBack(state, name, data);
  state.mine = state.mine ?? {};
  if (name === "state" && tablet) { holder = state.tablet_participant_id ?? null; state.mine = {}; }
  render();
}

holder = tablet ? state.tablet_participant_id ?? null : null;
stream = follow(tablet ? `${base}/stream` : "/api/v1/participant/stream", {
  onStatus,
  onEvent,
  onClosed: async () => {
    if (tablet) { return true; }
    const answer = await api("GET", "/api/v1/participant/state");
    if (answer.status === 401) { endAccess(); return false; }
    return true;
  },
});
render();
if (queue.size) { flush(); }
