// A participant's phone: the current step and what they can do in it. Follows the participant stream (only what
// this person may see). A tap that fails is shown as failed and can be tapped again; nothing is queued silently.
// The sticker taps are gi-stickers.js (the tablet's too).

import { applyEvent, factorsOf, follow, openRound, resultBars, stepFollower, t } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el, notify, readJson } from "./lib/dom.js";
import { stickerTaps } from "./gi-stickers.js";

const root = document.getElementById("gi-phone");
const base = `/api/v1/reviews/${root.dataset.reviewId}`;
const toast = $("gi-toast");
let state = readJson("gi-state");
const events = readJson("gi-events") ?? [];
let stream = null;
let ended = false;

const say = (message, kind = "ok") => notify(toast, message, kind);
const followStep = stepFollower({ region: $("ph-step-live"), heading: $("ph-step-title") });

function endAccess() {
  ended = true;
  stream?.stop();
  for (const id of ["ph-step", "ph-propose", "ph-factor", "ph-vote", "ph-results", "ph-offline"]) { $(id).hidden = true; }
  document.querySelector(".ph-me").hidden = true;
  toast.hidden = true;
  $("ph-ended").hidden = false;
}

// --- Step 1: proposals --------------------------------------------------------------------------------------

function renderProposals() {
  const list = [...(state.proposals ?? [])].reverse();
  $("ph-proposals").replaceChildren(...list.map((p) => el("li", { class: `ph-item is-${p.status}` },
    el("span", { class: "ph-item-text" }, p.text, p.when ? ` · ${p.when}` : ""),
    el("span", { class: `gi-pill gi-pill-${p.status}` },
      p.status === "accepted" ? t("accepted") : p.status === "set_aside" ? t("set_aside_done") : t("pending")))));
}

// --- Steps 2 and 3: factors ---------------------------------------------------------------------------------

function renderFactors(kind) {
  $("fa-label").textContent = kind === "success" ? t("step_long_2") : t("step_long_3");
  const list = [...factorsOf(state, kind)].reverse();
  $("ph-factors").replaceChildren(...list.map((f) => el("li", { class: `ph-item ph-factor-${f.kind}` },
    el("span", { class: "ph-mark", "aria-hidden": "true" }, f.kind === "success" ? "▲" : "▼"),
    el("span", { class: "ph-item-text" }, f.title))));
  if (!list.length) { $("ph-factors").append(el("li", { class: "ph-empty" }, t("no_factors"))); }
}

// --- Step 4: stickers ---------------------------------------------------------------------------------------

const stickers = stickerTaps({
  base,
  stickersOf: (round) => state.mine?.[String(round.id)] ?? [],
  setStickers: (round, list) => { state.mine = { ...(state.mine ?? {}), [String(round.id)]: list }; },
  say,
  redraw: () => renderVote(),
});

function renderVote() {
  const round = openRound(state);
  stickers.draw(state, round, { note: round?.perspectives ? t("perspectives_note") : "" });
}

function renderResults() {
  const box = $("ph-results");
  const revealed = state.rounds.filter((r) => r.revealed);
  const shown = state.interview.step === 5 ? revealed : revealed.slice(-1);
  box.replaceChildren(...shown.map((round) => el("div", { class: "ph-result" },
    el("h2", { class: "ph-subtitle" }, `${t("results")}: ${t(`round_${round.kind}`)}`),
    resultBars(state, round))));
  return shown.length > 0;
}

function render() {
  if (ended) { return; }
  const { step, status } = state.interview;
  if (status !== "open") { endAccess(); return; }
  $("ph-step-no").textContent = t("step_of", { n: step });
  $("ph-step-title").textContent = t(`step_long_${step}`);
  $("ph-step-text").textContent = t(`phone_step_${step}`);
  $("ph-propose").hidden = step !== 1;
  $("ph-factor").hidden = step !== 2 && step !== 3;
  const round = openRound(state);
  $("ph-vote").hidden = step !== 4 || (!round && state.rounds.some((r) => r.revealed));
  if (step === 1) { renderProposals(); }
  if (step === 2 || step === 3) { renderFactors(step === 2 ? "success" : "hindering"); }
  if (step === 4) { renderVote(); }
  const hasResults = (step === 4 && (!round || round.revealed)) || step === 5 ? renderResults() : false;
  $("ph-results").hidden = !hasResults;
  followStep(step, t(`phone_step_${step}`)); // after the step's sections are shown: focus goes where they are
}

// --- Forms ---------------------------------------------------------------------------------------------------

function lock(form, on) { for (const control of form.elements) { control.disabled = on; } }

$("propose-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    text: $("pr-text").value.trim(), when: $("pr-when").value.trim(),
    event_id: $("pr-event").value ? Number($("pr-event").value) : null,
  };
  lock(form, true);
  const answer = await api("POST", `${base}/group-interview/proposals`, body);
  lock(form, false);
  if (!answer.ok) { say(answer.message, "error"); return; }
  form.reset();
  state.proposals = [...(state.proposals ?? []).filter((p) => p.id !== answer.data.id), answer.data];
  say(t("proposal_sent"));
  render();
});

$("factor-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const kind = state.interview.step === 3 ? "hindering" : "success";
  const body = { kind, title: $("fa-title").value.trim(), moment_text: $("fa-moment").value.trim() };
  lock(form, true);
  const answer = await api("POST", `${base}/factors`, body);
  lock(form, false);
  if (!answer.ok) { say(answer.message, "error"); return; }
  form.reset();
  if (!state.factors.some((f) => f.id === answer.data.id)) { state.factors.push(answer.data); }
  say(t("factor_sent"));
  render();
});

// --- Live ---------------------------------------------------------------------------------------------------

stream = follow("/api/v1/participant/stream", {
  onStatus(status) { if (!ended) { $("ph-offline").hidden = status !== "down"; } },
  onEvent(name, data) {
    if (name === "ended" || name === "released") { endAccess(); return; }
    state = applyEvent(state, name, data);
    render();
  },
  async onClosed() {
    const answer = await api("GET", "/api/v1/participant/state");
    if (answer.status === 401 || answer.status === 403) { endAccess(); return false; }
    if (answer.ok) { state = answer.data; render(); }
    return true;
  },
});

render();
