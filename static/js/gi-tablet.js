// Pass the tablet: one device in the room, one person at a time. Shows only the stickers of the person holding
// it (never totals) and places them for that person (the taps are gi-stickers.js, as on a phone); "Done, next
// person" hands the tablet on.

import { applyEvent, follow, indicator, openRound, t } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el, keepingFocus, notify, readJson } from "./lib/dom.js";
import { stickerTaps } from "./gi-stickers.js";

const root = document.getElementById("gi-tablet");
const base = `/api/v1/reviews/${root.dataset.reviewId}`;
let state = readJson("gi-state");
let mine = [];
let mineFor = null; // "participant:round" the stickers were loaded for
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

const stickers = stickerTaps({
  base,
  stickersOf: () => mine,
  setStickers: (_round, list) => { mine = list; },
  participantId: () => state.tablet_participant_id,
  say,
  redraw: () => render(),
});

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
  if (round && mineFor !== `${holder.id}:${round.id}`) { mineFor = `${holder.id}:${round.id}`; loadMine(round); }
  stickers.draw(state, round);
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
