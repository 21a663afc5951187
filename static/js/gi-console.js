// The facilitator's console: draws the group interview from the live stream and sends the facilitator's
// actions to the JSON API. Every change comes back over the stream (one update path), so two facilitators'
// laptops stay in step.

import { applyEvent, factorsOf, follow, indicator, resultBars, stepFollower, t } from "./gi-live.js";
import { api, call as callIn } from "./lib/http.js";
import { byId as $, el, notify, readJson, syncList } from "./lib/dom.js";

const root = document.getElementById("gi-console");
const reviewId = root.dataset.reviewId;
const canWrite = root.dataset.canWrite === "true";
const base = `/api/v1/reviews/${reviewId}`;
const toast = $("gi-toast");
const followStep = stepFollower({ region: $("gi-step-live") }); // the facilitator keeps the focus on the controls

let state = readJson("gi-state");
let events = readJson("gi-events") ?? [];
let chosenKind = null; // the factor list's kind when the facilitator switched it by hand
const named = new Map(); // round id -> Map(factor id -> "Moeder 2, Noor 1") for named rounds
const paperBuilt = new Map(); // round id -> signature of its paper grid

function show(message, kind = "ok") { notify(toast, message, kind); }
const call = (method, url, body, done) => callIn(toast, method, url, body, done);

const eventTitle = (id) => events.find((e) => e.id === id)?.title ?? "";
const person = (id) => (state.participants ?? []).find((p) => p.id === id);

// --- Status, steps and the panels that go with them --------------------------------------------------------

function currentKind() {
  if (chosenKind) { return chosenKind; }
  return state.interview.step === 3 ? "hindering" : "success";
}

function renderStatus() {
  const { status, step } = state.interview;
  const pill = $("gi-status");
  pill.dataset.status = status;
  pill.textContent = t(`status_${status}`);
  if (status === "open") { followStep(step); }
  for (const button of document.querySelectorAll(".gi-step")) {
    const n = Number(button.dataset.step);
    button.setAttribute("aria-pressed", String(n === step && status !== "draft"));
    button.disabled = !canWrite || status !== "open";
  }
  if ($("gi-open")) { $("gi-open").hidden = status !== "draft"; }
  if ($("gi-close")) { $("gi-close").hidden = status !== "open"; }
  const closed = status === "closed";
  root.classList.toggle("is-closed", closed);
  const visible = {
    "panel-draft": status === "draft",
    "panel-proposals": status === "open" && step === 1,
    "panel-factors": status === "open" && (step === 2 || step === 3),
    "panel-rounds": status === "open" && step === 4,
    "panel-results": (status === "open" && step === 5) || closed,
  };
  for (const [id, on] of Object.entries(visible)) { $(id).hidden = !on; }
  for (const form of root.querySelectorAll("#factor-form, #proposal-form, #round-add, #merge-bar")) {
    if (closed) { form.hidden = true; }
  }
}

// --- Joining and the people in the room --------------------------------------------------------------------

function renderJoin() {
  const { join_code: code, joining_open: joining, status } = state.interview;
  $("join-code").textContent = code ?? "—";
  $("join-code").classList.toggle("is-off", !code);
  $("join-hint").textContent = status === "draft" ? t("join_after_open")
    : status === "open" && joining ? t("join_open") : t("join_closed");
  const toggle = $("joining-toggle");
  if (toggle) {
    toggle.checked = joining;
    toggle.disabled = status !== "open";
    $("new-code").disabled = status === "closed";
  }
}

function renderPeople() {
  const people = state.participants ?? [];
  $("joined-count").textContent = `${people.filter((p) => p.joined).length} / ${people.length}`;
  syncList($("people-list"), people, (p) => p.id, (p) => `${p.pseudonym}|${p.joined}|${state.interview.status}`, (p) =>
    el("li", { class: `gi-person ${p.joined ? "is-joined" : ""}` },
      el("span", { class: "gi-dot", "aria-hidden": "true" }),
      el("span", { class: "gi-person-name" }, p.pseudonym),
      el("span", { class: "sr-only" }, p.joined ? t("joined") : t("not_joined")),
      canWrite && p.joined && state.interview.status === "open"
        ? el("button", {
          type: "button", class: "btn btn-small btn-quiet", text: t("release"),
          onclick: () => {
            if (window.confirm(t("confirm_release"))) {
              call("POST", `${base}/group-interview/participants/${p.id}/release`);
            }
          },
        })
        : el("span", { class: "gi-person-state small muted" }, p.joined ? t("joined") : t("not_joined"))));
  for (const select of document.querySelectorAll(".gi-people-select")) {
    const keep = select.id === "tablet-select" ? String(state.tablet_participant_id ?? "") : select.value;
    select.replaceChildren(
      el("option", { value: "" }, t("nobody")),
      ...people.map((p) => el("option", { value: p.id }, p.pseudonym)),
    );
    select.value = keep;
  }
}

function renderEventSelects() {
  for (const select of document.querySelectorAll(".gi-event-select")) {
    const keep = select.value;
    select.replaceChildren(
      el("option", { value: "" }, t("no_pin")),
      ...events.map((e) => el("option", { value: e.id }, `${e.when} · ${e.title}`)),
    );
    select.value = keep;
  }
}

// --- Step 1: proposals ------------------------------------------------------------------------------------

function proposalItem(p) {
  const who = p.participant_id ? person(p.participant_id)?.pseudonym ?? "?" : t("facilitator");
  const head = el("div", { class: "gi-item-head" },
    el("strong", {}, p.event_id ? t("proposal_for", { title: eventTitle(p.event_id) }) : t("proposal_new")),
    el("span", { class: `gi-pill gi-pill-${p.status}` },
      p.status === "accepted" ? t("accepted") : p.status === "set_aside" ? t("set_aside_done") : t("pending")));
  const body = el("p", { class: "gi-item-text" }, p.text, p.when ? el("span", { class: "gi-when" }, ` · ${p.when}`) : null);
  const meta = el("p", { class: "small muted" }, t("by", { name: who }));
  const item = el("li", { class: `gi-item gi-proposal is-${p.status}` }, head, body, meta);
  if (canWrite && p.status === "pending" && state.interview.status === "open") {
    const title = el("input", { name: "title", maxlength: 300, value: p.event_id ? eventTitle(p.event_id) : p.text.slice(0, 300) });
    const when = el("input", { name: "when", maxlength: 100, value: p.when });
    const lane = el("select", { name: "lane" },
      ...["family", "care", "safety", "school"].map((l) => el("option", { value: l }, l)));
    const decide = async (accept) => {
      const body = accept ? { accept, title: title.value, when: when.value, lane: lane.value } : { accept };
      await call("POST", `${base}/group-interview/proposals/${p.id}/decide`, body, t("saved"));
    };
    item.append(el("div", { class: "gi-decide" },
      el("label", {}, t("title"), title),
      el("label", {}, t("when"), when),
      p.event_id ? null : el("label", {}, t("lane"), lane),
      el("div", { class: "gi-decide-actions" },
        el("button", { type: "button", class: "btn btn-small btn-primary", text: t("accept"), onclick: () => decide(true) }),
        el("button", { type: "button", class: "btn btn-small", text: t("set_aside"), onclick: () => decide(false) }))));
  }
  return item;
}

function renderProposals() {
  const list = [...(state.proposals ?? [])].sort((a, b) =>
    (a.status === "pending" ? 0 : 1) - (b.status === "pending" ? 0 : 1) || a.id - b.id);
  $("proposal-count").textContent = String(list.filter((p) => p.status === "pending").length || "");
  syncList($("proposal-list"), list, (p) => p.id, (p) => JSON.stringify([p, state.interview.status]), proposalItem);
  if (!list.length) { $("proposal-list").append(el("li", { class: "gi-empty" }, t("no_proposals"))); }
}

// --- Steps 2 and 3: factors -------------------------------------------------------------------------------

function pinText(f) {
  if (f.event_id) { return t("pinned_event", { title: eventTitle(f.event_id) }); }
  if (f.moment_text) { return t("pinned_moment", { moment: f.moment_text }); }
  return t("not_pinned");
}

function factorItem(f) {
  const item = el("li", { class: `gi-item gi-factor gi-factor-${f.kind}` });
  if (canWrite && state.interview.status !== "closed") {
    item.append(el("input", {
      type: "checkbox", class: "gi-merge-check", value: f.id, "aria-label": f.title, onchange: renderMerge,
    }));
  }
  item.append(el("div", { class: "gi-factor-body" },
    el("strong", { class: "gi-factor-title" }, f.title),
    f.description ? el("p", { class: "gi-factor-desc" }, f.description) : null,
    el("p", { class: "small muted gi-pin" }, pinText(f))));
  if (canWrite && state.interview.status !== "closed") {
    item.append(el("div", { class: "gi-item-actions" },
      el("button", { type: "button", class: "btn btn-small btn-quiet", text: t("edit"), onclick: () => editFactor(f) }),
      el("button", {
        type: "button", class: "btn btn-small btn-quiet gi-danger", text: t("delete"),
        onclick: () => {
          if (window.confirm(t("confirm_delete"))) { call("DELETE", `${base}/factors/${f.id}`, undefined, t("saved")); }
        },
      })));
  }
  return item;
}

function renderFactors() {
  const kind = currentKind();
  for (const button of document.querySelectorAll(".gi-kind-switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.kind === kind));
  }
  $("factors-heading").textContent = t(`${kind}_plural`);
  const list = factorsOf(state, kind);
  syncList($("factor-list"), list, (f) => f.id,
    (f) => JSON.stringify([f, eventTitle(f.event_id), state.interview.status]), factorItem);
  if (!list.length) { $("factor-list").append(el("li", { class: "gi-empty" }, t("empty_factor_hint"))); }
  renderMerge();
}

function renderMerge() {
  const bar = $("merge-bar");
  if (!bar) { return; }
  const ticked = [...document.querySelectorAll(".gi-merge-check:checked")].map((c) => Number(c.value));
  bar.hidden = ticked.length < 2 || state.interview.status === "closed";
  const select = $("merge-into");
  const keep = select.value;
  select.replaceChildren(...ticked.map((id) =>
    el("option", { value: id }, state.factors.find((f) => f.id === id)?.title ?? id)));
  if (ticked.includes(Number(keep))) { select.value = keep; }
}

function editFactor(f) {
  const dialog = $("factor-dialog");
  $("fe-title").value = f.title;
  $("fe-description").value = f.description;
  $("fe-event").value = f.event_id ?? "";
  $("fe-moment").value = f.moment_text;
  $("factor-dialog-error").hidden = true;
  dialog.dataset.factorId = f.id;
  dialog.showModal();
}

// --- Step 4: sticker rounds -------------------------------------------------------------------------------

async function loadNamed(round) {
  const answer = await api("GET", `${base}/rounds/${round.id}/named-results`);
  if (!answer.ok) { return; }
  const by = new Map(answer.data.map((row) => [row.factor_id,
    Object.entries(row.by).map(([name, n]) => `${name} ${n}`).join(", ")]));
  named.set(round.id, by);
  renderRounds();
}

function roundTitle(round, index) {
  return t("round_title", { n: index + 1, kind: t(`round_${round.kind}`) });
}

function roundActions(round) {
  if (!canWrite || state.interview.status !== "open") { return null; }
  const act = (action) => call("POST", `${base}/rounds/${round.id}/${action}`, undefined, t("saved"));
  const buttons = [];
  if (round.status === "draft") { buttons.push(el("button", { type: "button", class: "btn btn-small btn-primary", dataset: { action: "open" }, text: t("open"), onclick: () => act("open") })); }
  if (round.status === "open") { buttons.push(el("button", { type: "button", class: "btn btn-small", dataset: { action: "close" }, text: t("close"), onclick: () => act("close") })); }
  if (round.status !== "draft" && !round.revealed) { buttons.push(el("button", { type: "button", class: "btn btn-small btn-primary", dataset: { action: "reveal" }, text: t("reveal"), onclick: () => act("reveal") })); }
  return el("div", { class: "gi-round-actions" }, buttons);
}

function paperGrid(round) {
  const factors = factorsOf(state, round.kind);
  const people = state.participants ?? [];
  const input = (factorId, participantId, max) => el("input", {
    type: "number", min: 0, max, inputmode: "numeric", class: "gi-paper-input",
    dataset: { factor: factorId, participant: participantId ?? "" },
    "aria-label": `${state.factors.find((f) => f.id === factorId)?.title} · ${participantId ? person(participantId)?.pseudonym : t("unnamed")}`,
  });
  const table = el("table", { class: "table gi-paper" },
    el("thead", {}, el("tr", {}, el("th", {}, ""), ...people.map((p) => el("th", { scope: "col" }, p.pseudonym)),
      el("th", { scope: "col" }, t("unnamed")))),
    el("tbody", {}, ...factors.map((f) => el("tr", {},
      el("th", { scope: "row" }, f.title),
      ...people.map((p) => el("td", {}, input(f.id, p.id, round.max_per_factor))),
      el("td", {}, input(f.id, null, 100))))));
  const save = el("button", {
    type: "button", class: "btn btn-small btn-primary", text: t("paper_save"),
    onclick: async () => {
      const counts = [...details.querySelectorAll(".gi-paper-input")]
        .filter((i) => i.value !== "")
        .map((i) => ({
          factor_id: Number(i.dataset.factor),
          participant_id: i.dataset.participant ? Number(i.dataset.participant) : null,
          stickers: Number(i.value),
        }));
      if (!counts.length) { show(t("nothing_to_save"), "error"); return; }
      const answer = await call("POST", `${base}/rounds/${round.id}/paper`, { counts }, t("paper_saved"));
      if (answer) { for (const i of details.querySelectorAll(".gi-paper-input")) { i.value = ""; } }
    },
  });
  const details = el("details", { class: "gi-paper-box" },
    el("summary", {}, t("paper_summary")),
    el("p", { class: "small muted" }, t("paper_hint")),
    el("div", { class: "table-wrap" }, table), el("div", { class: "form-actions" }, save));
  return details;
}

function roundCard(round, index) {
  let card = document.querySelector(`.gi-round[data-round="${round.id}"]`);
  if (!card) {
    card = el("article", { class: "gi-round", dataset: { round: round.id } },
      el("header", { class: "gi-round-head" }, el("h3", {}), el("span", { class: "gi-pill" })),
      el("p", { class: "small muted gi-round-settings" }),
      el("div", { class: "gi-round-actions-box" }),
      el("div", { class: "gi-round-tally" }),
      el("div", { class: "gi-round-paper" }));
  }
  card.dataset.kind = round.kind;
  card.querySelector("h3").textContent = roundTitle(round, index);
  const pill = card.querySelector(".gi-pill");
  pill.className = `gi-pill gi-pill-${round.status}`;
  pill.textContent = `${t(`status_${round.status}`)}${round.revealed ? ` · ${t("revealed")}` : ""}`;
  card.querySelector(".gi-round-settings").textContent =
    `${t("round_settings", { stickers: round.stickers_per_person, cap: round.max_per_factor })} · ${round.anonymous ? t("anonymous") : t("named")}${round.perspectives ? ` · ${t("per_side")}` : ""}`;
  const actionsSig = `${round.status}|${round.revealed}|${state.interview.status}`;
  const actionsBox = card.querySelector(".gi-round-actions-box");
  if (actionsBox.dataset.sig !== actionsSig) {
    actionsBox.replaceChildren(roundActions(round) ?? "");
    actionsBox.dataset.sig = actionsSig;
  }
  const tally = card.querySelector(".gi-round-tally");
  if (round.status === "draft") {
    tally.replaceChildren();
  } else {
    tally.replaceChildren(
      round.revealed ? "" : el("p", { class: "gi-private small" }, t("hidden_results")),
      resultBars(state, round, { names: named.get(round.id) }));
  }
  const paperBox = card.querySelector(".gi-round-paper");
  const paperSig = JSON.stringify([round.status, factorsOf(state, round.kind).map((f) => [f.id, f.title]),
    (state.participants ?? []).map((p) => p.id), state.interview.status]);
  const open = paperBox.querySelector("details[open]");
  if (paperBuilt.get(round.id) !== paperSig && !open) {
    paperBox.replaceChildren(canWrite && round.status !== "draft" && state.interview.status === "open" ? paperGrid(round) : "");
    paperBuilt.set(round.id, paperSig);
  }
  return card;
}

function renderRounds(target = $("round-list"), only = null) {
  const rounds = state.rounds.filter((r) => (only ? only(r) : true));
  const cards = rounds.map((r) => roundCard(r, state.rounds.indexOf(r)));
  target.replaceChildren(...cards);
  if (!rounds.length && !only) { target.append(el("p", { class: "gi-empty" }, t("no_rounds"))); }
}

// --- Step 5 and a closed group interview: the summary ---------------------------------------------------------

function renderSummary() {
  for (const kind of ["success", "hindering"]) {
    const list = factorsOf(state, kind);
    syncList($(`summary-${kind}`), list, (f) => f.id, (f) => JSON.stringify([f, eventTitle(f.event_id)]), (f) =>
      el("li", { class: `gi-summary-factor gi-factor-${kind}` },
        el("strong", {}, f.title), f.description ? el("span", { class: "small muted" }, ` — ${f.description}`) : null));
    if (!list.length) { $(`summary-${kind}`).append(el("li", { class: "gi-empty" }, t("no_factors"))); }
  }
}

function render() {
  renderStatus();
  renderJoin();
  renderPeople();
  renderProposals();
  renderFactors();
  const step = state.interview.step;
  const summaryMode = state.interview.status === "closed" || step === 5;
  if (summaryMode) {
    renderRounds($("summary-rounds"), (r) => r.status !== "draft");
  } else {
    renderRounds();
  }
  renderSummary();
  for (const round of state.rounds) {
    if (!round.anonymous && round.status !== "draft" && !named.has(round.id)) {
      named.set(round.id, new Map());
      loadNamed(round);
    }
  }
}

// --- Live ---------------------------------------------------------------------------------------------------

async function refreshState() {
  const answer = await api("GET", `${base}/group-interview/state`);
  if (answer.ok) { state = answer.data; render(); }
}

async function refreshEvents() {
  const answer = await api("GET", `${base}/lifeline/events`);
  if (answer.ok) {
    events = answer.data.map((e) => ({ id: e.id, title: e.title, when: e.date_text }));
    renderEventSelects();
    render();
  }
}

const namedRefresh = new Map();
follow(`${base}/group-interview/stream`, {
  onStatus: indicator($("gi-conn")),
  onEvent(name, data) {
    if (name === "code") { refreshState(); return; }
    if (name === "lifeline") { refreshEvents(); return; }
    state = applyEvent(state, name, data);
    if (name === "tally") {
      const round = state.rounds.find((r) => r.id === data.round_id);
      if (round && !round.anonymous) {
        clearTimeout(namedRefresh.get(round.id));
        namedRefresh.set(round.id, setTimeout(() => loadNamed(round), 300));
      }
    }
    if (name === "interview" && data.step) { chosenKind = null; }
    render();
  },
});

// --- The facilitator's actions --------------------------------------------------------------------------------

function formValues(form) {
  const data = {};
  for (const [key, value] of new FormData(form).entries()) { data[key] = typeof value === "string" ? value.trim() : value; }
  return data;
}

if (canWrite) {
  $("gi-open")?.addEventListener("click", () => call("POST", `${base}/group-interview/open`));
  $("gi-close")?.addEventListener("click", () => {
    if (window.confirm(t("confirm_close"))) { call("POST", `${base}/group-interview/close`); }
  });
  $("gi-steps").addEventListener("click", (event) => {
    const button = event.target.closest(".gi-step");
    if (button && !button.disabled) {
      call("POST", `${base}/group-interview/step`, { step: Number(button.dataset.step) });
    }
  });
  $("joining-toggle")?.addEventListener("change", (event) => {
    call("POST", `${base}/group-interview/joining`, { joining_open: event.target.checked });
  });
  $("new-code")?.addEventListener("click", async () => {
    const answer = await call("POST", `${base}/group-interview/code`, undefined, t("new_code_done"));
    if (answer) { state.interview = { ...state.interview, ...answer.data }; renderJoin(); }
  });
  $("tablet-pass")?.addEventListener("click", () => {
    const value = $("tablet-select").value;
    call("POST", `${base}/group-interview/tablet`, { participant_id: value ? Number(value) : null }, t("saved"));
  });
  $("proposal-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formValues(event.target);
    const body = { text: data.text, when: data.when, event_id: data.event_id ? Number(data.event_id) : null };
    if (await call("POST", `${base}/group-interview/proposals`, body, t("saved"))) { event.target.reset(); }
  });
  $("factor-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formValues(event.target);
    const body = {
      kind: currentKind(), title: data.title, description: data.description, moment_text: data.moment_text,
      event_id: data.event_id ? Number(data.event_id) : null,
      participant_id: data.participant_id ? Number(data.participant_id) : null,
    };
    if (await call("POST", `${base}/factors`, body, t("saved"))) {
      event.target.reset();
      $("fa-title").focus();
    }
  });
  $("merge-button")?.addEventListener("click", async () => {
    const ticked = [...document.querySelectorAll(".gi-merge-check:checked")].map((c) => Number(c.value));
    const into = Number($("merge-into").value);
    if (ticked.length < 2) { show(t("choose_two"), "error"); return; }
    if (await call("POST", `${base}/factors/merge`, { into_id: into, factor_ids: ticked }, t("merged"))) {
      await refreshState();
    }
  });
  $("round-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formValues(event.target);
    const body = {
      kind: data.kind, stickers_per_person: Number(data.stickers_per_person),
      max_per_factor: Number(data.max_per_factor), anonymous: $("r-anonymous").checked,
      perspectives: Boolean($("r-perspectives")?.checked),
    };
    if (await call("POST", `${base}/rounds`, body, t("saved"))) { $("round-add").open = false; }
  });
  const dialog = $("factor-dialog");
  $("factor-dialog-cancel")?.addEventListener("click", () => dialog.close());
  $("factor-edit-form")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = formValues(event.target);
    const eventId = data.event_id ? Number(data.event_id) : null;
    const body = { title: data.title, description: data.description, moment_text: data.moment_text, event_id: eventId };
    if (!eventId && !data.moment_text) { body.unpin = true; }
    const answer = await api("PATCH", `${base}/factors/${dialog.dataset.factorId}`, body);
    if (!answer.ok) {
      $("factor-dialog-error").textContent = answer.message;
      $("factor-dialog-error").hidden = false;
      return;
    }
    dialog.close();
    show(t("saved"));
  });
}

for (const button of document.querySelectorAll(".gi-kind-switch button")) {
  button.addEventListener("click", () => { chosenKind = button.dataset.kind; renderFactors(); });
}

renderEventSelects();
render();
