// The shared screen of the share-back meeting, for the projector: the finding under discussion in large type,
// what supports it (or the recommendations), and the room's reactions as they come in: counts, never names.
// A facilitator who may write can step with the arrow keys (or a presenter's clicker).

import { follow, indicator } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el, readJson } from "./lib/dom.js";
import { REACTIONS, applyShareBack, currentSlide, eyebrow, fillBar, slideFollower, st, tallyOf } from "./sb-common.js";

const root = document.getElementById("sb-screen");
const base = `/api/v1/reviews/${root.dataset.reviewId}/share-back`;
const canWrite = root.dataset.canWrite === "true";
let state = readJson("sb-state");
let qrFor = null;
const followSlide = slideFollower({ region: $("sb-live") });

function renderJoin() {
  const open = state.meeting.status === "open" && state.meeting.join_code;
  const onSuccess = currentSlide(state).index === 0;
  $("scr-join").hidden = !(open && onSuccess);
  root.classList.toggle("sb-with-join", Boolean(open && onSuccess));
  $("scr-code").textContent = state.meeting.join_code ?? "—";
  if (open && qrFor !== state.meeting.join_code) {
    qrFor = state.meeting.join_code;
    $("scr-qr").src = `${base}/qr.svg?c=${encodeURIComponent(qrFor)}`;
  }
}

function render() {
  const { slide, index, total } = currentSlide(state);
  const closed = state.meeting.status === "closed";
  $("sb-dots").replaceChildren(...(state.slides ?? []).map((s, i) =>
    el("li", { class: `sb-dot sb-dot-${s.section}${i === index ? " is-now" : ""}${i < index ? " is-done" : ""}` })));
  $("sb-section").textContent = slide ? st(`section_${slide.section}`) : "";
  $("sb-eyebrow").textContent = slide ? eyebrow(state, slide) : "";
  $("sb-title").textContent = slide?.title ?? "";
  $("sb-explanation").textContent = slide?.explanation ?? "";
  root.dataset.section = slide?.section ?? "success";
  const children = slide?.children ?? [];
  $("sb-children-title").hidden = !children.length;
  $("sb-children-title").textContent = slide ? st(`children_${slide.section}`) : "";
  $("sb-children").replaceChildren(...children.map((c) => el("li", { class: "sb-child" }, c.title)));
  const reactable = slide && slide.node_id !== null && !closed;
  $("sb-tally").hidden = !reactable;
  if (reactable) {
    const tally = tallyOf(state, slide.node_id);
    for (const reaction of REACTIONS) { $(`n-${reaction}`).textContent = String(tally[reaction]); }
    fillBar($("sb-bar"), tally);
  }
  $("sb-closed").hidden = !closed;
  document.title = `${index + 1}/${total} · ${st(`section_${slide?.section ?? "success"}`)}`;
  renderJoin();
  followSlide(state, slide);
}

follow(`${base}/stream`, {
  onStatus: indicator($("gi-conn")),
  onEvent: (name, data) => { state = applyShareBack(state, name, data); render(); },
});

$("scr-fullscreen").addEventListener("click", () => {
  if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen?.(); }
});

if (canWrite) {
  document.addEventListener("keydown", (event) => {
    const delta = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (!delta || state.meeting.status !== "open") { return; }
    event.preventDefault();
    const next = state.slides[currentSlide(state).index + delta];
    if (next) { api("POST", `${base}/show`, { node_id: next.node_id }); }
  });
}

render();
