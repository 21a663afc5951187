// The facilitator's console of the share-back meeting: step through the findings, watch the reactions and comments
// come in (counts and comments, never who), and decide per finding: kept, rephrased, removed; or add a new one.

import { follow, indicator } from "./gi-live.js";
import { call as callIn } from "./lib/http.js";
import { byId as $, el, notify, readJson } from "./lib/dom.js";
import { REACTIONS, applyShareBack, currentSlide, eyebrow, fillBar, st, tallyOf, totalOf } from "./sb-common.js";

const root = document.getElementById("sb-console");
const base = `/api/v1/reviews/${root.dataset.reviewId}/share-back`;
const canWrite = root.dataset.canWrite === "true";
const toast = $("gi-toast");
let state = readJson("sb-state");

const say = (message, kind = "ok") => notify(toast, message, kind);

const call = (method, url, body, done) => callIn(toast, method, url, body, done);

function decisionOf(nodeId) { return (state.decisions ?? []).find((d) => d.node_id === nodeId) ?? null; }

function tallyView(tally) {
  const bar = el("div", { class: "sb-bar sb-bar-small", "aria-hidden": "true" },
    el("span", { class: "sb-bar-agree" }), el("span", { class: "sb-bar-partly" }), el("span", { class: "sb-bar-disagree" }));
  fillBar(bar, tally);
  return el("div", { class: "sb-mini-tally" },
    el("ul", { class: "sb-mini-counts" },
      REACTIONS.map((r) => el("li", { class: `sb-mini sb-mini-${r}` },
        el("strong", {}, String(tally[r])), " ", st(`${r}_short`)))),
    bar,
    el("span", { class: "small muted" }, totalOf(tally) === 1 ? st("reaction_one")
      : totalOf(tally) ? st("reactions", { n: totalOf(tally) }) : st("no_reactions")));
}

const drafts = new Map(); // node id -> what was typed in its decision form and not sent yet (survives redraws)
let redrawLater = false;

function decisionForm(slide) {
  const draft = drafts.get(slide.node_id);
  const current = draft ?? decisionOf(slide.node_id);
  const form = el("form", { class: "sb-decide", dataset: { nodeId: slide.node_id } });
  const choices = el("div", { class: "sb-choices", role: "radiogroup", "aria-label": st("decide") });
  for (const choice of ["kept", "rephrased", "removed"]) {
    const id = `d-${slide.node_id}-${choice}`;
    choices.append(el("label", { class: `sb-choice sb-choice-${choice}`, for: id },
      el("input", { type: "radio", name: "decision", value: choice, id,
        checked: current?.decision === choice || undefined }),
      st(`decision_${choice}`)));
  }
  const wording = el("div", { class: "field sb-wording", hidden: current?.decision !== "rephrased" || undefined },
    el("label", { for: `w-${slide.node_id}` }, st("new_wording")),
    el("input", { id: `w-${slide.node_id}`, name: "title", maxlength: "300", value: draft?.title ?? slide.title }));
  const note = el("div", { class: "field" },
    el("label", { for: `n-${slide.node_id}` }, st("note")),
    el("input", { id: `n-${slide.node_id}`, name: "note", maxlength: "2000", value: current?.note ?? "" }));
  form.append(choices, note, wording, el("div", { class: "form-actions" },
    el("button", { class: "btn btn-small btn-primary" }, st("decide"))));
  choices.addEventListener("change", () => { wording.hidden = form.elements.decision.value !== "rephrased"; });
  form.addEventListener("input", () => {
    drafts.set(slide.node_id, {
      decision: form.elements.decision.value, title: form.elements.title.value, note: form.elements.note.value,
    });
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const decision = form.elements.decision.value;
    if (!decision) { say(st("decide"), "error"); return; }
    const body = { decision, note: form.elements.note.value.trim() };
    if (decision === "rephrased") { body.title = form.elements.title.value.trim(); }
    if (await call("POST", `${base}/nodes/${slide.node_id}/decision`, body, st("decided"))) {
      drafts.delete(slide.node_id);
      document.activeElement?.blur?.();
      renderFindings();
    }
  });
  return form;
}

function findingCard(slide, index, currentIndex) {
  const isCurrent = index === currentIndex && state.meeting.status === "open";
  const card = el("li", { class: `card sb-finding-card sb-section-${slide.section}${isCurrent ? " is-current" : ""}` });
  const head = el("div", { class: "sb-finding-head" },
    el("span", { class: "eyebrow" }, eyebrow(state, slide)),
    isCurrent ? el("span", { class: "gi-pill sb-pill-now" }, st("on_screen")) : null);
  card.append(head, el("h3", { class: "sb-finding-title" }, slide.title));
  if (slide.explanation) { card.append(el("p", { class: "small muted" }, slide.explanation)); }
  if (slide.children.length) {
    card.append(el("ul", { class: "sb-child-list" }, slide.children.map((c) => el("li", {}, c.title))));
  }
  if (canWrite && state.meeting.status === "open" && !isCurrent) {
    card.append(el("button", { type: "button", class: "btn btn-small btn-quiet sb-show",
      onclick: () => show(slide.node_id) }, st("show")));
  }
  if (slide.node_id === null) { return card; }
  const tally = tallyOf(state, slide.node_id);
  const decided = decisionOf(slide.node_id);
  const body = el("div", { class: "sb-finding-body" }, tallyView(tally));
  const comments = el("div", { class: "sb-comments" }, el("h4", {}, st("comments")));
  comments.append(tally.comments.length
    ? el("ul", { class: "sb-comment-list" }, tally.comments.map((c) => el("li", {}, c)))
    : el("p", { class: "small muted" }, st("no_comments")));
  body.append(comments);
  card.append(body);
  if (decided) {
    card.append(el("p", { class: `sb-decided sb-decided-${decided.decision}` },
      el("strong", {}, st(`decision_${decided.decision}`)),
      decided.decision === "rephrased" ? ` · ${st("was", { title: decided.title_before })}` : "",
      decided.note ? ` — ${decided.note}` : ""));
  }
  if (canWrite && state.meeting.status !== "prepared") { card.append(decisionForm(slide)); }
  return card;
}

function renderFindings() {
  const { index } = currentSlide(state);
  const focused = document.activeElement?.closest?.(".sb-decide");
  if (focused) { redrawLater = true; return; } // never rebuild a form while someone is in it
  redrawLater = false;
  $("sb-findings").replaceChildren(...state.slides.map((slide, i) => findingCard(slide, i, index)));
  const shown = new Set(state.slides.map((s) => s.node_id));
  const removed = (state.decisions ?? []).filter((d) => !shown.has(d.node_id) && d.decision === "removed");
  $("sb-removed").hidden = !removed.length;
  $("sb-removed-list").replaceChildren(...removed.map((d) => el("li", { class: "gi-item" },
    el("strong", {}, d.title_after), d.note ? ` — ${d.note}` : "", " ",
    el("button", { type: "button", class: "btn btn-small btn-quiet",
      onclick: () => call("POST", `${base}/nodes/${d.node_id}/decision`, { decision: "kept", note: d.note }, st("decided")) },
      st("decision_kept")))));
}

function renderStatus() {
  const status = state.meeting.status;
  $("sb-status").dataset.status = status;
  $("sb-status").textContent = st(`status_${status}`);
  const { index, total } = currentSlide(state);
  $("sb-progress").textContent = status === "open" ? st("of", { n: index + 1, total }) : "";
  if (canWrite) {
    $("sb-open").hidden = status !== "prepared";
    $("sb-close").hidden = status !== "open";
    $("sb-prev").hidden = status !== "open" || index === 0;
    $("sb-next").hidden = status !== "open" || index >= total - 1;
  }
  $("sb-draft").hidden = status !== "prepared";
  $("join-code").textContent = state.meeting.join_code ?? "—";
  $("join-card").hidden = status === "closed";
}

function renderPeople() {
  const closed = state.meeting.status === "closed";
  const tookPart = new Set(state.took_part ?? []);
  const people = (state.participants ?? []).map((p) => ({ ...p, here: closed ? tookPart.has(p.id) : p.joined }));
  $("joined-count").textContent = `${people.filter((p) => p.here).length} / ${people.length}`;
  $("people-list").replaceChildren(...people.map((p) => el("li", { class: `gi-person${p.here ? " is-joined" : ""}` },
    el("span", { class: "gi-dot" }),
    el("span", { class: "gi-person-name" }, p.pseudonym),
    el("span", { class: "small muted gi-person-state" },
      closed ? (p.here ? st("took_part") : st("absent")) : (p.here ? st("joined") : st("not_joined"))))));
  const select = $("tablet-select");
  if (select && document.activeElement !== select) {
    select.replaceChildren(el("option", { value: "" }, st("nobody")),
      ...people.map((p) => el("option", { value: p.id, selected: p.id === state.tablet_participant_id || undefined }, p.pseudonym)));
  }
}

function render() {
  renderStatus();
  renderFindings();
  renderPeople();
}

function step(delta) {
  const { index } = currentSlide(state);
  const next = state.slides[index + delta];
  if (next) { show(next.node_id); }
}

/** Put a finding on the screen; the console moves at once (the stream confirms it a moment later). */
async function show(nodeId) {
  const answer = await call("POST", `${base}/show`, { node_id: nodeId });
  if (answer) { state.meeting.current_node_id = answer.data.current_node_id; render(); }
}

follow(`${base}/stream`, {
  onStatus: indicator($("gi-conn")),
  onEvent: (name, data) => { state = applyShareBack(state, name, data); render(); },
});

if (canWrite) {
  $("sb-open").addEventListener("click", () => call("POST", `${base}/open`, undefined, st("opened")));
  $("sb-close").addEventListener("click", () => {
    if (window.confirm(st("confirm_close"))) { call("POST", `${base}/close`, undefined, st("closed")); }
  });
  $("sb-next").addEventListener("click", () => step(1));
  $("sb-prev").addEventListener("click", () => step(-1));
  $("tablet-pass").addEventListener("click", () => {
    const value = $("tablet-select").value;
    call("POST", `${base}/tablet`, { participant_id: value ? Number(value) : null });
  });
  $("new-finding").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = { title: form.elements.title.value.trim(), branch: form.elements.branch.value, note: form.elements.note.value.trim() };
    if (await call("POST", `${base}/findings`, body, st("added"))) { form.reset(); }
  });
  document.addEventListener("focusout", () => setTimeout(() => {
    if (redrawLater && !document.activeElement?.closest?.(".sb-decide")) { renderFindings(); }
  }, 0));
}

render();
