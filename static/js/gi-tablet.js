// Pass the tablet: one device in the room, one person at a time. Shows only the stickers of the person holding
// it (never totals) and places them for that person; "Done, next person" hands the tablet on.

import {
  api, applyEvent, clientKey, el, factorsOf, follow, indicator, keepingFocus, notify, openRound, readJson, t,
} from "./gi-live.js";

const root = document.getElementById("gi-tablet");
const base = `/api/v1/reviews/${root.dataset.reviewId}`;
const $ = (id) => document.getElementById(id);
let state = readJson("gi-state");
let mine = [];
let mineFor = null; // "participant:round" the stickers were loaded for
const pendingKeys = new Map();
const busy = new Set();
const say = (message, kind = "ok") => notify($("gi-toast"), message, kind);

async function loadMine(round) {
  const key = `${state.tablet_participant_id}:${round.id}`;
  const answer = await api("GET", `${base}/rounds/${round.id}/tablet`);
  if (answer.ok) { mine = answer.data; mineFor = key; render(); }
}

async function pass(participantId) {
  const answer = await api("POST", `${base}/group-interview/tablet`, { participant_id: participantId });
  if (!answer.ok) { say(answer.message, "error"); return; }
  state.tablet_participant_id = participantId;
  mine = [];
  mineFor = null;
  render();
  // the next person starts where the page now is: their name, or the question who votes now
  $(participantId === null ? "tb-pick-title" : "tb-name").focus();
}

async function place(round, factor) {
  if (busy.has(factor.id)) { return; }
  busy.add(factor.id);
  const key = pendingKeys.get(factor.id) ?? clientKey();
  pendingKeys.set(factor.id, key);
  const answer = await api("POST", `${base}/rounds/${round.id}/stickers`, {
    factor_id: factor.id, participant_id: state.tablet_participant_id, client_key: key,
  });
  busy.delete(factor.id);
  if (answer.status !== 0) { pendingKeys.delete(factor.id); }
  if (!answer.ok) { say(answer.message, "error"); render(); return; }
  if (!mine.some((s) => s.id === answer.data.id)) { mine.push(answer.data); }
  say(t("placed"));
  render();
}

async function takeBack(round, factor) {
  const on = mine.filter((s) => s.factor_id === factor.id);
  if (!on.length || busy.has(factor.id)) { return; }
  busy.add(factor.id);
  const sticker = on[on.length - 1];
  const answer = await api("DELETE", `${base}/rounds/${round.id}/stickers/${sticker.id}`);
  busy.delete(factor.id);
  if (answer.ok || answer.status === 404) { mine = mine.filter((s) => s.id !== sticker.id); }
  if (!answer.ok && answer.status !== 404) { say(answer.message, "error"); } else { say(t("taken_back")); }
  render();
}

function render() {
  const people = state.participants ?? [];
  const holder = people.find((p) => p.id === state.tablet_participant_id);
  const open = state.interview.status === "open";
  $("tb-closed").hidden = open;
  $("tb-closed-text").textContent = t("ended");
  $("tb-pick").hidden = !open || Boolean(holder);
  $("tb-vote").hidden = !open || !holder;
  if (!open) { return; }
  if (!holder) {
    // rebuilt on every live event: the focused name keeps the focus
    keepingFocus($("tb-names"), () => $("tb-names").replaceChildren(...people.map((p) =>
      el("button", { type: "button", class: "ph-name", onclick: () => pass(p.id), dataset: { focusKey: `name-${p.id}` } },
        p.pseudonym))));
    return;
  }
  $("tb-name").textContent = t("now_voting", { name: holder.pseudonym });
  const round = openRound(state);
  if (!round) {
    $("ph-dots").replaceChildren();
    $("ph-left").textContent = t("no_round_open");
    $("ph-vote-list").replaceChildren();
    return;
  }
  if (mineFor !== `${holder.id}:${round.id}`) { mineFor = `${holder.id}:${round.id}`; loadMine(round); }
  const total = round.stickers_per_person;
  const used = mine.length;
  $("ph-dots").replaceChildren(...Array.from({ length: total }, (_, i) =>
    el("span", { class: `ph-dot ph-dot-${round.kind} ${i < total - used ? "is-free" : "is-used"}` })));
  $("ph-left").textContent = t("stickers_left", { n: Math.max(0, total - used), total });
  keepingFocus($("ph-vote-list"), () => $("ph-vote-list").replaceChildren(...factorsOf(state, round.kind).map((f) => {
    const count = mine.filter((s) => s.factor_id === f.id).length;
    const plus = el("button", { type: "button", class: "ph-step-btn ph-step-plus", "aria-label": `${t("place")}: ${f.title}`, onclick: () => place(round, f), dataset: { focusKey: `plus-${f.id}` } }, "+");
    if (used >= total || count >= round.max_per_factor) { plus.classList.add("is-spent"); }
    return el("li", { class: `ph-vote ph-vote-${round.kind} ${count ? "has-mine" : ""}` },
      el("span", { class: "ph-vote-title" }, f.title),
      el("span", { class: "ph-vote-controls" },
        el("button", { type: "button", class: "ph-step-btn", "aria-label": `${t("take_back")}: ${f.title}`, disabled: count === 0, onclick: () => takeBack(round, f), dataset: { focusKey: `minus-${f.id}` } }, "−"),
        el("span", { class: "ph-vote-count", "aria-label": t("your_stickers", { n: count }) },
          ...Array.from({ length: count }, () => el("span", { class: `ph-dot ph-dot-${round.kind} is-free` })),
          count ? "" : el("span", { class: "ph-zero" }, "0")),
        plus));
  })), (key) => [key.replace(/^minus-/, "plus-"), key.replace(/^plus-/, "minus-")]);
}

$("tb-done").addEventListener("click", () => pass(null));

follow(`${base}/group-interview/stream`, {
  onStatus: indicator($("gi-conn")),
  onEvent(name, data) {
    if (name === "tally" || name === "code" || name === "lifeline") { return; } // never shown on the tablet
    const before = state.tablet_participant_id;
    state = applyEvent(state, name, data);
    if (name === "state" || before !== state.tablet_participant_id) { mineFor = null; mine = []; }
    render();
  },
});

render();
