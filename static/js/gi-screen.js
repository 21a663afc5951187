// The shared screen on the projector: the life-line with its pins, the factors of the step as cards, the join
// code and QR code while joining is open, and sticker results only after the facilitator revealed them.
// No controls: it follows the members' live stream.

import { applyEvent, factorsOf, follow, indicator, openRound, resultBars, stepFollower, t } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el, readJson } from "./lib/dom.js";

const root = document.getElementById("gi-screen");
const base = `/api/v1/reviews/${root.dataset.reviewId}`;
let state = readJson("gi-state");
let figureTimer = null;
let figureShown = false;
const followStep = stepFollower({ region: $("scr-step-live") });
let drawnHeight = 0;
let drawnWidth = 0;
let lastCode = null;
const seen = new Set(state.factors.map((f) => f.id));

async function drawFigure() {
  const box = $("scr-figure");
  if (box.hidden || !window.Plotly) { return; }
  const height = Math.max(320, Math.round(box.getBoundingClientRect().height));
  drawnHeight = height;
  // Labels are packed server-side for the width they are drawn at: ask for exactly this box.
  const width = Math.max(320, Math.round(box.getBoundingClientRect().width));
  drawnWidth = width;
  const answer = await api("GET", `${base}/group-interview/figure?height=${height}&width=${width}`);
  if (!answer.ok) { return; }
  const figure = answer.data;
  figure.layout.title = { text: "" };
  figure.layout.margin = { ...figure.layout.margin, t: 56 };
  figure.layout.legend = { ...figure.layout.legend, font: { size: 20 } };
  const config = { responsive: true, displaylogo: false, displayModeBar: false, staticPlot: false };
  window.Plotly.react(box, figure.data, figure.layout, config);
  figureShown = true;
}

function scheduleFigure() {
  clearTimeout(figureTimer);
  figureTimer = setTimeout(drawFigure, 250);
}

function renderJoin() {
  const { join_code: code, joining_open: joining, status } = state.interview;
  const on = Boolean(code) && joining && status === "open";
  $("scr-join").hidden = !on;
  root.classList.toggle("has-join", on);
  if (on) {
    $("scr-code").textContent = code;
    if (code !== lastCode) {
      $("scr-qr").src = `${base}/group-interview/qr.svg?c=${encodeURIComponent(code)}`;
      lastCode = code;
    }
  }
}

function card(f, fresh) {
  return el("li", {
    class: `scr-card scr-card-${f.kind} ${fresh ? "is-new" : ""}`,
    onanimationend: (event) => event.currentTarget.classList.remove("is-new"),
  },
    el("span", { class: "scr-card-mark", "aria-hidden": "true" }, f.kind === "success" ? "▲" : "▼"),
    el("span", { class: "scr-card-title" }, f.title));
}

function renderCards(factors) {
  const list = $("scr-cards");
  list.replaceChildren(...factors.map((f) => {
    const fresh = !seen.has(f.id);
    seen.add(f.id);
    return card(f, fresh);
  }));
  list.dataset.count = String(factors.length);
  list.hidden = !factors.length;
}

function resultBlock(round) {
  const index = state.rounds.indexOf(round);
  return el("section", { class: `scr-result scr-result-${round.kind}` },
    el("h2", {}, t("round_title", { n: index + 1, kind: t(`round_${round.kind}`) })),
    resultBars(state, round));
}

function render() {
  const { status, step } = state.interview;
  root.dataset.step = String(step);
  root.dataset.status = status;
  $("scr-step").textContent = status === "open" ? t(`step_long_${step}`) : status === "closed" ? t("step_long_5") : t("status_draft");
  if (status === "open") { followStep(step); }
  for (const item of document.querySelectorAll("#scr-steps li")) {
    const n = Number(item.dataset.step);
    item.classList.toggle("is-current", status === "open" && n === step);
    item.classList.toggle("is-done", status === "closed" || (status === "open" && n < step));
    item.title = t(`step_${n}`);
  }
  renderJoin();

  const round = openRound(state);
  const revealed = state.rounds.filter((r) => r.revealed);
  const lastRevealed = [...revealed].reverse().find((r) => r.status === "closed" || r.status === "open") ?? null;
  const message = $("scr-message");
  let showFigure = false;
  let cards = [];
  let results = [];
  let title = "";
  message.hidden = true;
  if (status === "draft") {
    message.hidden = false;
    message.textContent = t("step_long_1");
    showFigure = true;
  } else if (step === 1) {
    showFigure = true;
  } else if (step === 2 || step === 3) {
    showFigure = true;
    const kind = step === 2 ? "success" : "hindering";
    cards = factorsOf(state, kind);
    title = t(`${kind}_plural`);
  } else if (step === 4) {
    if (round && round.revealed) { results = [round]; }
    else if (round) {
      cards = factorsOf(state, round.kind);
      title = `${t(`round_${round.kind}`)} · ${t("round_settings", { stickers: round.stickers_per_person, cap: round.max_per_factor })}`;
    } else if (lastRevealed) { results = [lastRevealed]; }
    else { message.hidden = false; message.textContent = t("results_after_reveal"); }
  } else {
    results = revealed;
    if (!results.length) { showFigure = true; }
  }
  $("scr-figure").hidden = !showFigure;
  root.classList.toggle("has-figure", showFigure);
  root.classList.toggle("has-cards", cards.length > 0);
  $("scr-cards-title").hidden = !cards.length;
  $("scr-cards-title").textContent = title;
  renderCards(cards);
  $("scr-results").replaceChildren(...results.map(resultBlock));
  $("scr-results").dataset.count = String(results.length);
  if (showFigure) {
    if (!figureShown) { scheduleFigure(); }
  } else { figureShown = false; }
}

async function refreshState() {
  const answer = await api("GET", `${base}/group-interview/state`);
  if (answer.ok) { state = answer.data; render(); }
}

follow(`${base}/group-interview/stream`, {
  onStatus: indicator($("gi-conn")),
  onEvent(name, data) {
    if (name === "code") { refreshState(); return; }
    if (name === "lifeline") { scheduleFigure(); return; }
    const before = state.interview.step;
    state = applyEvent(state, name, data);
    render();
    if (name === "factor" || name === "factor_removed" || name === "state" || (name === "interview" && before !== state.interview.step)) {
      scheduleFigure();
    }
  },
});

$("scr-fullscreen").addEventListener("click", () => {
  if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen?.(); }
});
document.addEventListener("fullscreenchange", () => {
  $("scr-fullscreen").hidden = Boolean(document.fullscreenElement);
  scheduleFigure();
});
new ResizeObserver(() => {
  const box = $("scr-figure");
  const { height, width } = box.getBoundingClientRect();
  const moved = Math.abs(height - drawnHeight) > 30 || Math.abs(width - drawnWidth) > 30;
  if (!box.hidden && height > 0 && moved) { scheduleFigure(); }
}).observe($("scr-figure"));

render();
if (window.Plotly) { scheduleFigure(); } else { window.addEventListener("load", scheduleFigure); }
