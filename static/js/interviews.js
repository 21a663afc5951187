// Interview notes: autosave per topic (with the version it was based on, retries with backoff, a warning
// before leaving with unsaved text) and the selection actions (life-line event, candidate factor, quote).
// Without this script the notes form still saves with its button.

import { el } from "./lib/dom.js";
import { api } from "./lib/http.js";
import { translator } from "./lib/i18n.js";

const form = document.getElementById("notes");
const stateBox = document.getElementById("save-state");
const PAUSE_MS = 1200;
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const t = translator("interview-messages"); // its texts fill in %(s)s

// --- Autosave ---------------------------------------------------------------------------------------------

class TopicSaver {
  constructor(section, api) {
    this.section = section;
    this.key = section.dataset.topic;
    this.textarea = section.querySelector("textarea.notes");
    this.versionField = section.querySelector(`input[name="version-${this.key}"]`);
    this.stateLine = section.querySelector("[data-topic-state]");
    this.conflictBox = section.querySelector("[data-conflict]");
    this.url = `${api}/notes/${encodeURIComponent(this.key)}`;
    this.version = Number(this.textarea.dataset.version || "0");
    this.saved = this.conflictBox.hidden ? this.textarea.value : null;
    this.timer = null;
    this.inflight = false;
    this.attempt = 0;
    this.conflict = !this.conflictBox.hidden;
    this.failure = null;
    this.textarea.addEventListener("input", () => this.changed());
    section.querySelector("[data-use-theirs]").addEventListener("click", () => this.useTheirs());
    section.querySelector("[data-keep-mine]").addEventListener("click", () => this.keepMine());
  }

  get dirty() { return this.textarea.value !== this.saved; }

  changed() {
    this.failure = null;
    this.attempt = 0;
    this.schedule(PAUSE_MS);
    renderState();
  }

  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), delay);
  }

  async save() {
    clearTimeout(this.timer);
    if (this.inflight || this.conflict || !this.dirty) { return; }
    const text = this.textarea.value;
    this.inflight = true;
    renderState();
    const result = await api("PATCH", this.url, { text, version: this.version });
    this.inflight = false;
    if (result.ok) {
      this.version = result.data.version;
      this.versionField.value = String(this.version);
      this.saved = text;
      this.attempt = 0;
      this.failure = null;
      const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      this.stateLine.textContent = t("saved_by_you", { s: time });
      if (this.dirty) { this.schedule(PAUSE_MS); }
    } else if (result.status === 409 && result.data?.conflict?.current) {
      this.showConflict(result.data.conflict.current);
    } else if (result.status === 0 || result.status >= 500 || result.status === 429) {
      const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
      this.attempt += 1;
      this.failure = { retryAt: Date.now() + delay };
      this.schedule(delay);
    } else if (result.status === 401) {
      this.failure = { message: t("logged_out") };
    } else {
      this.failure = { message: t("failed", { s: result.data?.detail ?? result.status }) };
    }
    renderState();
  }

  showConflict(current) {
    this.conflict = true;
    this.theirs = current;
    this.conflictBox.querySelector("[data-conflict-text]").textContent = current.notes;
    this.conflictBox.hidden = false;
    this.section.classList.add("has-conflict");
  }

  resolve() {
    this.conflict = false;
    this.conflictBox.hidden = true;
    this.section.classList.remove("has-conflict");
  }

  useTheirs() {
    const current = this.theirs ?? { notes: this.conflictBox.querySelector("[data-conflict-text]").textContent,
      version: Number(this.textarea.dataset.version || "0") };
    this.textarea.value = current.notes;
    this.version = current.version;
    this.versionField.value = String(this.version);
    this.saved = current.notes;
    this.resolve();
    renderState();
  }

  keepMine() {
    if (this.theirs) { this.version = this.theirs.version; } else { this.version = Number(this.textarea.dataset.version || "0"); }
    this.saved = null;
    this.resolve();
    this.save();
  }
}

const savers = [];

function renderState() {
  if (!stateBox) { return; }
  const text = stateBox.querySelector(".save-text");
  let state = "saved";
  let message = t("saved");
  const failed = savers.find((s) => s.failure?.message);
  const retrying = savers.filter((s) => s.failure?.retryAt);
  if (savers.some((s) => s.conflict)) {
    state = "error"; message = t("conflict");
  } else if (failed) {
    state = "error"; message = failed.failure.message;
  } else if (retrying.length) {
    const seconds = Math.max(1, Math.ceil((Math.min(...retrying.map((s) => s.failure.retryAt)) - Date.now()) / 1000));
    state = "retrying"; message = t("retrying", { s: seconds });
  } else if (savers.some((s) => s.inflight)) {
    state = "saving"; message = t("saving");
  } else if (savers.some((s) => s.dirty)) {
    state = "dirty"; message = t("unsaved");
  }
  stateBox.dataset.state = state;
  if (text.textContent !== message) { text.textContent = message; }
}

if (form && form.dataset.api) {
  for (const section of form.querySelectorAll("section.topic")) {
    savers.push(new TopicSaver(section, form.dataset.api));
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const saver of savers) { saver.attempt = 0; saver.failure = null; saver.save(); }
  });
  // Tick the retry countdown, and try again at once when the connection comes back.
  setInterval(renderState, 1000);
  window.addEventListener("online", () => {
    for (const saver of savers) { if (saver.failure?.retryAt) { saver.attempt = 0; saver.save(); } }
  });
  window.addEventListener("beforeunload", (event) => {
    if (savers.some((s) => s.dirty || s.inflight)) {
      for (const saver of savers) { saver.save(); }
      event.preventDefault();
      event.returnValue = "";
    }
  });
  renderState();
}

// --- Selection actions ------------------------------------------------------------------------------------

let selection = { text: "", saver: null };

function selectedText(textarea) {
  return textarea.value.slice(textarea.selectionStart, textarea.selectionEnd).trim();
}

function hideBars(except) {
  for (const bar of document.querySelectorAll("[data-selection-bar]")) {
    if (bar !== except) { bar.hidden = true; }
  }
}

function updateSelection(saver) {
  const bar = saver.section.querySelector("[data-selection-bar]");
  const text = selectedText(saver.textarea);
  if (!text) {
    if (document.activeElement === saver.textarea) { bar.hidden = true; }
    return;
  }
  selection = { text, saver };
  const preview = text.length > 90 ? `${text.slice(0, 90)}…` : text;
  bar.querySelector("[data-selection-preview]").textContent = `“${preview}”`;
  hideBars(bar);
  bar.hidden = false;
}

for (const saver of savers) {
  for (const type of ["select", "mouseup", "keyup"]) {
    saver.textarea.addEventListener(type, () => updateSelection(saver));
  }
  for (const button of saver.section.querySelectorAll("[data-action]")) {
    // Keep the textarea's selection when the button is pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => openDialog(button.dataset.action));
  }
}

function toast(message, link) {
  const box = document.getElementById("toast");
  if (!box) { return; }
  box.replaceChildren(message, ...(link ? [" ", el("a", { href: link.href }, link.text)] : []));
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

function firstLine(text, max) {
  const line = text.split(/\n/)[0].trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

async function openDialog(kind) {
  const dialog = document.getElementById(`dialog-${kind}`);
  if (!dialog || !selection.text) { return; }
  const dialogForm = dialog.querySelector("form");
  dialogForm.reset();
  const error = dialogForm.querySelector("[data-dialog-error]");
  error.hidden = true;
  if (kind === "event") {
    dialogForm.elements.title.value = firstLine(selection.text, 300);
    dialogForm.elements.description.value = selection.text;
    const hint = dialogForm.querySelector("[data-date-hint]");
    hint.textContent = "";
    dialog.showModal();
    const found = await api("POST", `${form.dataset.reviewApi}/date-text`, { text: selection.text.slice(0, 5000) });
    if (found.ok && found.data.date_text) {
      if (!dialogForm.elements.when.value) { dialogForm.elements.when.value = found.data.date_text; }
      hint.textContent = t("date_found");
    } else {
      hint.textContent = t("no_date");
    }
    return;
  }
  if (kind === "factor") {
    dialogForm.elements.title.value = firstLine(selection.text, 300);
  } else {
    dialogForm.elements.text.value = selection.text.replace(/^["“„']+|["”']+$/g, "");
    showConsent(dialogForm);
  }
  dialog.showModal();
}

function showConsent(dialogForm) {
  const option = dialogForm.elements.participant_id.selectedOptions[0];
  dialogForm.querySelector("[data-consent-warning]").hidden = !option || option.dataset.consent !== "no";
}

function appendItem(listName, node) {
  const list = document.querySelector(`[data-list="${listName}"]`);
  if (!list) { return; }
  list.querySelector("[data-empty]")?.remove();
  list.append(node);
}

const SUBMIT = {
  async event(dialogForm) {
    const values = Object.fromEntries(new FormData(dialogForm));
    const body = { title: values.title, when: values.when, until: values.until || null, lane: values.lane,
      description: values.description };
    const result = await api("POST", `${form.dataset.api}/events`, body);
    if (result.ok) {
      appendItem("events", el("li", {},
        el("a", { href: `${form.dataset.lifelineUrl}/events/${result.data.id}` }, result.data.title),
        el("span", { class: "muted small" }, ` ${result.data.date_text}`)));
      toast(t("event_added"), { href: `${form.dataset.lifelineUrl}#event-${result.data.id}`, text: t("view") });
    }
    return result;
  },
  async factor(dialogForm) {
    const values = Object.fromEntries(new FormData(dialogForm));
    const body = { kind: values.kind, title: values.title, passage: selection.text.slice(0, 5000),
      interview_id: Number(form.dataset.interviewId) };
    const result = await api("POST", `${form.dataset.reviewApi}/candidate-factors`, body);
    if (result.ok) {
      const list = document.querySelector(`[data-factor-list="${result.data.kind}"]`);
      if (list) {
        list.querySelector(".factor-empty")?.remove();
        list.append(el("li", { class: "factor-item" }, result.data.title));
      }
      toast(t("factor_added"));
    }
    return result;
  },
  async quote(dialogForm) {
    const values = Object.fromEntries(new FormData(dialogForm));
    const body = { text: values.text, participant_id: Number(values.participant_id),
      interview_id: Number(form.dataset.interviewId) };
    const result = await api("POST", `${form.dataset.reviewApi}/quotes`, body);
    if (result.ok) {
      let list = document.querySelector('[data-list="quotes"] .quote-list');
      if (!list) {
        list = el("ul", { class: "quote-list" });
        const holder = document.querySelector('[data-list="quotes"]');
        holder.querySelector(".quote-empty")?.remove();
        holder.append(list);
      }
      const ok = result.data.exportable;
      list.append(el("li", { class: ok ? "quote" : "quote is-flagged" },
        el("blockquote", {}, `“${result.data.text}”`),
        el("div", { class: "quote-meta" },
          el("span", { class: "quote-speaker" }, `— ${result.data.speaker}`), " ",
          el("span", { class: ok ? "badge badge-ok" : "badge badge-danger" }, ok ? t("may_quote") : t("no_consent")))));
      toast(t("quote_added"));
    }
    return result;
  },
};

for (const dialog of document.querySelectorAll(".action-dialog")) {
  const dialogForm = dialog.querySelector("form");
  const kind = dialogForm.dataset.dialogForm;
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialogForm.elements.participant_id?.addEventListener("change", () => showConsent(dialogForm));
  dialogForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = dialogForm.querySelector("[data-dialog-error]");
    const button = dialogForm.querySelector("button[value=submit]");
    button.disabled = true;
    const result = await SUBMIT[kind](dialogForm);
    button.disabled = false;
    if (result.ok) {
      dialog.close();
      hideBars(null);
    } else {
      const problems = result.data?.errors?.map((e) => e.message).join(" ") ?? "";
      error.textContent = problems || result.message;
      error.hidden = false;
    }
  });
}
