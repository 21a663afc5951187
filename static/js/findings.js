// The findings tree (bevindingenboom): draws the plotly figure from the JSON on the page, shows a node's
// evidence beside it, and lets researchers edit the tree through the JSON API: move by keyboard (Alt+arrows)
// or drag and drop, rewrite (with the version it was based on: a conflict shows both versions), add, merge
// and undo, delete and restore, link evidence, code themes. After every change the page's regions are
// re-rendered from the server. No inline scripts (CSP): all data comes from <script type="application/json">.

import { chartConfig, hideDrawing } from "./charts.js";
import { $, $$, el as h, readJson } from "./lib/dom.js";
import { api, page } from "./lib/http.js";
import { translator } from "./lib/i18n.js";

const CONFIG = readJson("findings-config") || {};
const API = `/api/v1/reviews/${CONFIG.review}`;
const CAN_WRITE = Boolean(CONFIG.canWrite);

let tree = readJson("findings-tree");
let frameworks = readJson("findings-frameworks") || [];
let options = readJson("findings-options") || {};
let selectedId = null;

const t = translator("findings-messages");

// --- the tree as data --------------------------------------------------------------------------------------

function allNodes() {
  const found = [];
  const walk = (node, parent) => {
    found.push({ node, parent });
    for (const child of node.children || []) { walk(child, node); }
  };
  if (!tree) { return found; }
  walk(tree.root, null);
  for (const node of [...tree.hindering, ...tree.what_works]) { walk(node, null); }
  return found;
}

function findNode(id) {
  return allNodes().find((entry) => entry.node.id === id)?.node ?? null;
}

// --- talking to the API ------------------------------------------------------------------------------------

const send = (method, url, body) => api(method, `${API}${url}`, body);

function showError(message) {
  const box = $("#tree-error");
  if (!box) { return; }
  box.textContent = message || t("error");
  box.hidden = false;
}

function clearError() {
  const box = $("#tree-error");
  if (box) { box.hidden = true; box.textContent = ""; }
}

// Re-render: fetch this page again and swap in its regions and data, keeping the selection and focus.
async function refresh(focusId = selectedId) {
  const doc = await page(window.location.pathname);
  if (!doc) { showError(); return; }
  for (const id of ["findings-figure", "findings-tree", "findings-frameworks", "findings-options"]) {
    const fresh = doc.getElementById(id);
    const current = document.getElementById(id);
    if (fresh && current) { current.textContent = fresh.textContent; }
  }
  const region = $("#tree-region");
  const freshRegion = doc.getElementById("tree-region");
  if (region && freshRegion) { region.innerHTML = freshRegion.innerHTML; }
  tree = readJson("findings-tree");
  frameworks = readJson("findings-frameworks") || [];
  options = readJson("findings-options") || {};
  drawFigure();
  if (focusId !== null && focusId !== undefined && findNode(focusId)) {
    select(focusId, { focus: true });
  } else {
    selectedId = null;
    showPanels(null);
    rove(null);
  }
}

async function act(method, url, body, focusId) {
  clearError();
  const result = await send(method, url, body);
  if (!result.ok) {
    showError(result.message);
    return result;
  }
  await refresh(focusId);
  return result;
}

// --- the figure --------------------------------------------------------------------------------------------

const chart = $("#findings-chart");

function drawFigure() {
  if (!chart || !window.Plotly) { return; }
  const figure = readJson("findings-figure");
  const config = chartConfig({
    modeBarButtonsToRemove: ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "resetScale2d"],
    toImageButtonOptions: { filename: "bevindingenboom", scale: 2 },
  });
  const first = !chart.dataset.ready;
  window.Plotly.react(chart, figure.data, figure.layout, config).then(() => {
    hideDrawing(chart);
    chart.dataset.ready = "1";
  });
  if (first) {
    chart.on("plotly_click", (event) => {
      const id = event.points?.[0]?.customdata;
      if (typeof id === "number") { select(id, { scroll: false }); }
    });
  }
}

// --- showing a node ----------------------------------------------------------------------------------------

function evidenceList(node, editable = false) {
  if (!node.evidence?.length) { return h("p", { class: "muted small", text: t("noEvidence") }); }
  return h("ul", { class: "evidence-list" }, node.evidence.map((item) => h(
    "li", { class: `evidence-item evidence-${item.kind}` },
    h("span", { class: "evidence-kind", text: t(`evidence.${item.kind}`) }),
    h("span", { class: "evidence-label", text: item.label }),
    item.note ? h("span", { class: "muted small", text: item.note }) : null,
    item.exportable === false ? h("span", { class: "status-pill status-withdrawn", text: t("notConsented") }) : null,
    item.merged ? h("span", { class: "meta-chip meta-merged", text: t("merged") }) : null,
    editable && CAN_WRITE && !item.merged && node.id ? h("button", {
      type: "button", class: "btn btn-small btn-quiet evidence-remove", text: t("remove"),
      "aria-label": `${t("remove")}: ${item.label}`,
      onclick: () => act("DELETE", `/findings-tree/nodes/${node.id}/evidence/${item.id}`, undefined, node.id),
    }) : null,
  )));
}

function themeChips(node) {
  if (!node.themes?.length) { return h("p", { class: "muted small", text: t("noThemes") }); }
  return h("ul", { class: "theme-chips" }, node.themes.map((theme) => h("li", { class: "theme-chip", text: theme.title })));
}

function summary(node) {
  return [
    h("p", { class: "eyebrow", text: t(`kind.${node.kind}`) }),
    h("h3", { class: "panel-title", text: node.title }),
    node.stickers ? h("p", { class: "panel-stickers" }, h("span", { class: "meta-chip meta-stickers", text: `${node.stickers} ${t("stickers")}` })) : null,
    node.explanation ? h("p", { class: "panel-explanation", text: node.explanation }) : null,
  ];
}

function showPanels(node) {
  const panel = $("#evidence-panel");
  const inspector = $("#inspector");
  for (const box of [panel, inspector]) {
    if (!box) { continue; }
    const empty = $("[data-panel-empty], [data-inspector-empty]", box);
    const body = $("[data-panel-body], [data-inspector-body]", box);
    if (empty) { empty.hidden = Boolean(node); }
    if (body) { body.hidden = !node; body.replaceChildren(); }
  }
  if (!node) { return; }
  const panelBody = $("[data-panel-body]", panel);
  if (panelBody) {
    panelBody.append(...summary(node).filter(Boolean));
    if (node.id) {
      panelBody.append(h("h4", { text: t("evidence") }), evidenceList(node), h("h4", { text: t("themes") }), themeChips(node));
      panelBody.append(h("button", { type: "button", class: "btn btn-small", text: t("editInTree"), onclick: () => select(node.id, { focus: true }) }));
    }
  }
  const inspectorBody = $("[data-inspector-body]", inspector);
  if (inspectorBody) { inspectorBody.append(...inspect(node)); }
}

// The tree is one stop in the tab order (a "roving" tabindex): the selected row (else the first) and its merge
// box; ↑ and ↓ move between rows. Otherwise Tab would visit, and select, every node on its way to the inspector.
function rove(current) {
  const rows = visibleRows();
  const stop = current ?? rows[0];
  for (const row of rows) {
    row.tabIndex = row === stop ? 0 : -1;
    const pick = $(".merge-pick", row);
    if (pick) { pick.tabIndex = row === stop ? 0 : -1; }
  }
}

function select(id, { focus = false, scroll = true } = {}) {
  const node = findNode(id);
  if (!node) { return; }
  selectedId = id;
  for (const row of $$(".node-row.is-selected")) { row.classList.remove("is-selected"); }
  const row = document.getElementById(`node-${id}`);
  row?.classList.add("is-selected");
  rove(row);
  showPanels(node);
  if (row && focus) { row.focus({ preventScroll: !scroll }); }
  if (row && scroll && focus) { row.scrollIntoView({ block: "nearest" }); }
}

// --- the inspector: editing one node -----------------------------------------------------------------------

function field(label, control) {
  return h("div", { class: "field" }, h("label", { for: control.id, text: label }), control);
}

const KINDS_BY_BRANCH = {
  success: ["success_factor", "contributing"],
  hindering: ["hindering", "recommendation"],
  what_works: ["what_works"],
};

function editForm(node) {
  const title = h("input", { id: "ins-title", name: "title", maxlength: "300", required: true, value: node.title });
  const explanation = h("textarea", { id: "ins-explanation", name: "explanation", rows: "4", maxlength: "10000" });
  explanation.value = node.explanation || "";
  const kind = h("select", { id: "ins-kind", name: "kind" },
    (KINDS_BY_BRANCH[node.branch] || [node.kind]).map((k) => h("option", { value: k, selected: k === node.kind, text: t(`kind.${k}`) })));
  const conflict = h("div", { class: "conflict-box", hidden: true, role: "alert" });
  const state = h("p", { class: "hint", "aria-live": "polite" });
  const form = h("form", { class: "form inspector-form", "data-version": node.version },
    field(t("title"), title), field(t("explanation"), explanation), field(t("kind"), kind), conflict,
    h("div", { class: "form-actions" }, state, h("button", { class: "btn btn-primary btn-small", text: t("save") })));
  const save = async (version) => {
    const body = { version, title: title.value, explanation: explanation.value, kind: kind.value };
    clearError();
    const result = await send("PATCH", `/findings-tree/nodes/${node.id}`, body);
    if (result.status === 409) {
      const current = result.data?.conflict?.current || {};
      conflict.replaceChildren(
        h("p", { text: t("conflict") }),
        h("div", { class: "conflict-versions" },
          h("div", {}, h("h4", { text: `${t("theirs")} (${t("version")} ${current.version ?? "?"})` }),
            h("p", { class: "conflict-title", text: current.title ?? "" }), h("p", { class: "small", text: current.explanation ?? "" })),
          h("div", {}, h("h4", { text: t("yours") }),
            h("p", { class: "conflict-title", text: body.title }), h("p", { class: "small", text: body.explanation }))),
        h("div", { class: "form-actions" },
          h("button", { type: "button", class: "btn btn-small", text: t("useTheirs"), onclick: () => refresh(node.id) }),
          h("button", { type: "button", class: "btn btn-small btn-primary", text: t("useMine"), onclick: () => save(current.version) })));
      conflict.hidden = false;
      return;
    }
    if (!result.ok) { showError(result.message); return; }
    await refresh(node.id);
    const line = $("#inspector .inspector-form .hint");
    if (line) { line.textContent = t("saved"); }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); save(Number(form.dataset.version)); });
  return form;
}

function addForm(label, onAdd) {
  const input = h("input", { id: `add-${Math.random().toString(36).slice(2)}`, maxlength: "300", required: true, placeholder: t("newTitle") });
  const form = h("form", { class: "inline-add" }, h("label", { class: "sr-only", for: input.id, text: label }), input,
    h("button", { class: "btn btn-small", text: t("add") }));
  form.addEventListener("submit", (event) => { event.preventDefault(); if (input.value.trim()) { onAdd(input.value.trim()); } });
  return h("details", { class: "inspector-section" }, h("summary", { text: label }), form);
}

async function createNode(body) {
  clearError();
  const result = await send("POST", "/findings-tree/nodes", body);
  if (!result.ok) { showError(result.message); return; }
  await refresh(result.data.id);
}

function evidenceForm(node) {
  const kinds = ["event", "quote", "round", "document", "interview"];
  const kind = h("select", { id: "ev-kind" }, kinds.map((k) => h("option", { value: k, text: t(`evidence.${k}`) })));
  const item = h("select", { id: "ev-item", required: true });
  const note = h("input", { id: "ev-note", maxlength: "500" });
  const fill = () => {
    const list = options[kind.value] || [];
    item.replaceChildren(...(list.length
      ? [h("option", { value: "", text: t("choose") }), ...list.map((o) => h("option", { value: o.id, text: o.label }))]
      : [h("option", { value: "", text: t("noOptions") })]));
  };
  kind.addEventListener("change", fill);
  fill();
  const form = h("form", { class: "form" }, field(t("kind"), kind), field(t("evidence"), item), field(t("note"), note),
    h("div", { class: "form-actions" }, h("button", { class: "btn btn-small btn-primary", text: t("addEvidence") })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!item.value) { return; }
    act("POST", `/findings-tree/nodes/${node.id}/evidence`, { kind: kind.value, ref_id: Number(item.value), note: note.value }, node.id);
  });
  return h("details", { class: "inspector-section" }, h("summary", { text: t("addEvidence") }), form);
}

function themesForm(node) {
  const chosen = new Set((node.themes || []).map((theme) => theme.id));
  const groups = frameworks.map((framework) => h("details", { class: "framework", open: framework.themes.some((th) => chosen.has(th.id)) },
    h("summary", { text: framework.title }),
    h("div", { class: "checks" }, framework.themes.map((theme) => h("label", { class: "check" },
      h("input", { type: "checkbox", name: "theme", value: theme.id, checked: chosen.has(theme.id) }), theme.title)))));
  const form = h("form", { class: "themes-form" }, groups,
    h("div", { class: "form-actions" }, h("button", { class: "btn btn-small btn-primary", text: t("saveThemes") })));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = $$('input[name="theme"]:checked', form).map((box) => Number(box.value));
    act("PUT", `/findings-tree/nodes/${node.id}/themes`, { theme_ids: ids }, node.id);
  });
  const ownTitle = h("input", { id: "fw-title", maxlength: "300", required: true });
  const ownThemes = h("textarea", { id: "fw-themes", rows: "3", required: true });
  const own = h("form", { class: "form" }, field(t("frameworkTitle"), ownTitle), field(t("frameworkThemes"), ownThemes),
    h("div", { class: "form-actions" }, h("button", { class: "btn btn-small", text: t("add") })));
  own.addEventListener("submit", (event) => {
    event.preventDefault();
    const themes = ownThemes.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (!ownTitle.value.trim() || !themes.length) { return; }
    act("POST", "/frameworks", { title: ownTitle.value.trim(), themes }, node.id);
  });
  return h("details", { class: "inspector-section" }, h("summary", { text: t("themes") }), form,
    h("details", { class: "own-framework" }, h("summary", { text: t("ownFramework") }), own));
}

function historySection(node) {
  const list = h("ol", { class: "history-list" });
  const section = h("details", { class: "inspector-section" }, h("summary", { text: t("history") }), list);
  section.addEventListener("toggle", async () => {
    if (!section.open || list.dataset.loaded) { return; }
    const result = await send("GET", `/findings-tree/nodes/${node.id}/history`);
    if (!result.ok) { return; }
    list.dataset.loaded = "1";
    list.replaceChildren(...result.data.slice().reverse().map((version) => h("li", {},
      h("span", { class: "history-change", text: `${t(`change.${version.change}`)} · ${t("version")} ${version.version}` }),
      h("span", { class: "muted small", text: ` ${t("by")} ${version.changed_by_label} · ${new Date(version.changed_at).toLocaleString()}` }),
      h("span", { class: "history-title small", text: version.title }))));
  });
  return section;
}

function mergedSection(node) {
  if (!node.merged?.length) { return null; }
  const list = h("ul", { class: "plain-list" });
  for (const id of node.merged) {
    const item = h("li", {}, h("span", { text: `#${id}` }));
    if (CAN_WRITE) {
      item.append(" ", h("button", { type: "button", class: "btn btn-small", text: t("undoMerge"),
        onclick: () => act("POST", `/findings-tree/nodes/${id}/unmerge`, {}, id) }));
    }
    list.append(item);
    send("GET", `/findings-tree/nodes/${id}/history`).then((result) => {
      const last = result.ok ? result.data[result.data.length - 1] : null;
      if (last) { item.firstChild.textContent = last.title; }
    });
  }
  return h("div", { class: "inspector-section merged-here" }, h("h4", { text: t("mergedHere") }), list);
}

function inspect(node) {
  if (!node.id) { return [...summary(node), h("p", { class: "muted small", text: t("root") })].filter(Boolean); }
  const parts = [...summary(node)];
  parts.push(h("h4", { text: t("evidence") }), evidenceList(node, true), h("h4", { text: t("themes") }), themeChips(node));
  parts.push(mergedSection(node));
  if (CAN_WRITE) {
    parts.push(h("details", { class: "inspector-section", open: true }, h("summary", { text: t("edit") }), editForm(node)));
    if (node.branch === "hindering") {
      parts.push(addForm(t("addRecommendation"), (title) => createNode({ title, parent_id: node.id, kind: "recommendation" })));
    } else {
      parts.push(addForm(t("addChild"), (title) => createNode({ title, parent_id: node.id })));
    }
    parts.push(evidenceForm(node), themesForm(node));
  }
  parts.push(historySection(node));
  if (CAN_WRITE) {
    parts.push(h("div", { class: "inspector-actions" }, h("button", {
      type: "button", class: "btn btn-small btn-danger-quiet", text: t("delete"),
      onclick: () => act("DELETE", `/findings-tree/nodes/${node.id}`, undefined, null),
    })));
  }
  return parts.filter(Boolean);
}

// --- moving: keyboard and drag and drop --------------------------------------------------------------------

function rowOf(element) { return element?.closest?.(".node-row[data-node-id]"); }

function siblingsOf(row) {
  const list = row.closest("li.tree-item")?.parentElement;
  return list ? [...list.children].filter((li) => li.matches("li.tree-item")) : [];
}

function place(row) {
  const item = row.closest("li.tree-item");
  const siblings = siblingsOf(row);
  return { item, siblings, index: siblings.indexOf(item) };
}

function parentRowOf(item) {
  const parentItem = item.parentElement?.closest("li.tree-item");
  return parentItem ? $(":scope > .node-row", parentItem) : null;
}

async function move(id, parentId, position, branch) {
  const body = { parent_id: parentId, position };
  if (branch) { body.branch = branch; }
  return act("POST", `/findings-tree/nodes/${id}/move`, body, id);
}

function keyMove(row, key) {
  const id = Number(row.dataset.nodeId);
  const { item, siblings, index } = place(row);
  const parentRow = parentRowOf(item);
  const parentId = parentRow ? Number(parentRow.dataset.nodeId) : null;
  const branch = row.dataset.branch;
  if (key === "ArrowUp" && index > 0) { return move(id, parentId, index - 1, branch); }
  if (key === "ArrowDown" && index < siblings.length - 1) { return move(id, parentId, index + 1, branch); }
  if (key === "ArrowRight" && index > 0) {
    const above = $(":scope > .node-row", siblings[index - 1]);
    const count = $$(":scope > ol > li.tree-item", siblings[index - 1]).length;
    return move(id, Number(above.dataset.nodeId), count, branch);
  }
  if (key === "ArrowLeft" && parentRow) {
    const grandRow = parentRowOf(parentRow.closest("li.tree-item"));
    const parentPlace = place(parentRow);
    return move(id, grandRow ? Number(grandRow.dataset.nodeId) : null, parentPlace.index + 1, branch);
  }
  return null;
}

function visibleRows() { return $$("#tree-region .node-row[data-node-id]"); }

const region = $("#tree-region");

region?.addEventListener("keydown", (event) => {
  const row = rowOf(event.target);
  if (!row || event.target !== row) { return; }
  const id = Number(row.dataset.nodeId);
  if (event.altKey && CAN_WRITE && id && ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) {
    event.preventDefault();
    keyMove(row, event.key);
    return;
  }
  if (!event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
    event.preventDefault();
    const rows = visibleRows();
    const next = rows[rows.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)];
    next?.focus();
    return;
  }
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    select(id);
  }
});

region?.addEventListener("focusin", (event) => {
  const row = rowOf(event.target);
  if (row && event.target === row) { select(Number(row.dataset.nodeId)); }
});

region?.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (button) { handleAction(button); return; }
  const row = rowOf(event.target);
  if (row && !event.target.matches("input")) { row.focus(); select(Number(row.dataset.nodeId)); }
});

region?.addEventListener("change", (event) => {
  if (event.target.matches(".merge-pick")) { updateMergeBar(); }
});

// Drag and drop: the upper quarter of a row drops before it, the lower quarter after it, the middle beneath it.
let dragged = null;

function dropZone(row, event) {
  const box = row.getBoundingClientRect();
  const offset = (event.clientY - box.top) / box.height;
  if (Number(row.dataset.nodeId) === 0) { return "inside"; }
  return offset < 0.25 ? "before" : offset > 0.75 ? "after" : "inside";
}

function clearDropMarks() {
  for (const marked of $$(".drop-before, .drop-after, .drop-inside")) {
    marked.classList.remove("drop-before", "drop-after", "drop-inside");
  }
}

region?.addEventListener("dragstart", (event) => {
  const row = rowOf(event.target);
  if (!row || !CAN_WRITE || !Number(row.dataset.nodeId)) { return; }
  dragged = Number(row.dataset.nodeId);
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData("text/plain", String(dragged));
  row.classList.add("is-dragging");
});

region?.addEventListener("dragend", () => {
  dragged = null;
  clearDropMarks();
  for (const row of $$(".is-dragging")) { row.classList.remove("is-dragging"); }
});

region?.addEventListener("dragover", (event) => {
  if (dragged === null) { return; }
  const row = rowOf(event.target);
  const emptyBranch = event.target.closest?.("[data-drop-branch]");
  if (!row && !emptyBranch) { return; }
  event.preventDefault();
  event.dataTransfer.dropEffect = "move";
  clearDropMarks();
  if (row) { row.classList.add(`drop-${dropZone(row, event)}`); } else { emptyBranch.classList.add("drop-inside"); }
});

region?.addEventListener("dragleave", (event) => {
  if (!region.contains(event.relatedTarget)) { clearDropMarks(); }
});

region?.addEventListener("drop", (event) => {
  if (dragged === null) { return; }
  event.preventDefault();
  const id = dragged;
  clearDropMarks();
  const emptyBranch = event.target.closest?.("[data-drop-branch]");
  if (emptyBranch) { move(id, null, 0, emptyBranch.dataset.dropBranch); return; }
  const row = rowOf(event.target);
  if (!row) { return; }
  const targetId = Number(row.dataset.nodeId);
  if (targetId === id) { return; }
  const zone = dropZone(row, event);
  if (targetId === 0) { move(id, null, tree.root.children.length, "success"); return; }
  if (zone === "inside") {
    const count = $$(":scope > ol > li.tree-item", row.closest("li.tree-item")).length;
    move(id, targetId, count, row.dataset.branch);
    return;
  }
  const { item, index } = place(row);
  const parentRow = parentRowOf(item);
  const siblings = siblingsOf(row).map((li) => Number(li.dataset.nodeId));
  const from = siblings.indexOf(id);
  let position = zone === "before" ? index : index + 1;
  if (from !== -1 && from < position) { position -= 1; } // the node itself leaves the list first
  move(id, parentRow ? Number(parentRow.dataset.nodeId) : null, position, row.dataset.branch);
});

// --- buttons: propose, add at the top, merge, restore ------------------------------------------------------

function updateMergeBar() {
  const bar = $("#merge-bar");
  if (!bar) { return; }
  const picked = $$(".merge-pick:checked").map((box) => Number(box.value));
  bar.hidden = picked.length < 2;
  $("[data-merge-count]", bar).textContent = `${t("mergeCount")} ${picked.length}`;
  const into = $("#merge-into", bar);
  into.replaceChildren(...picked.map((id) => h("option", { value: id, text: findNode(id)?.title ?? `#${id}` })));
}

function handleAction(button) {
  const action = button.dataset.action;
  if (action === "propose") { act("POST", "/findings-tree/propose", {}, null); }
  else if (action === "restore") { act("POST", `/findings-tree/nodes/${button.dataset.nodeId}/restore`, {}, Number(button.dataset.nodeId)); }
  else if (action === "merge-clear") { for (const box of $$(".merge-pick:checked")) { box.checked = false; } updateMergeBar(); }
  else if (action === "merge") {
    const picked = $$(".merge-pick:checked").map((box) => Number(box.value));
    const into = Number($("#merge-into").value);
    const others = picked.filter((id) => id !== into);
    if (others.length) { act("POST", `/findings-tree/nodes/${into}/merge`, { node_ids: others }, into); }
  } else if (action === "add-top") {
    const branch = button.dataset.branch;
    const wrapper = button.parentElement;
    if ($(".inline-add", wrapper)) { $(".inline-add input", wrapper).focus(); return; }
    const input = h("input", { id: `add-top-${branch}`, maxlength: "300", required: true, placeholder: t("newTitle") });
    const form = h("form", { class: "inline-add" }, h("label", { class: "sr-only", for: input.id, text: button.textContent }), input,
      h("button", { class: "btn btn-small", text: t("add") }),
      h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("cancel"), onclick: () => form.remove() }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim()) { createNode({ title: input.value.trim(), branch }); }
    });
    button.after(form);
    input.focus();
  }
}

// --- start ----------------------------------------------------------------------------------------------------

if (window.Plotly) { drawFigure(); } else { window.addEventListener("load", drawFigure); }
const wanted = Number(new URLSearchParams(window.location.search).get("node"));
if (wanted && findNode(wanted)) { select(wanted); } else { rove(null); }
