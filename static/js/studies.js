// A study's page: the case × theme matrix as a plotly heat map (and the plain table beside it), switchable
// between measures, frameworks and case filters; clicking a cell (in the figure or the table) shows the factors
// behind it with their place in the tree and their evidence. Data comes from the JSON API; no inline scripts.

import { $, el as h, readJson } from "./lib/dom.js";
import { api, call } from "./lib/http.js";
import { translator } from "./lib/i18n.js";

const CONFIG = readJson("study-config") || {};
const t = translator("study-messages");
const KINDS = readJson("study-messages")?.kinds ?? {};
const API = `/api/v1/studies/${CONFIG.study}`;
let current = null;

function query() {
  const params = new URLSearchParams({ framework: $("#matrix-framework").value });
  const filter = $("#matrix-filter").value;
  if (filter) {
    const at = filter.indexOf("=");
    params.set("attribute", filter.slice(0, at));
    params.set("value", filter.slice(at + 1));
  }
  return params;
}

function valueOf(cell, measure) {
  const value = cell[measure];
  return value === null ? 0 : value;
}

function drawFigure(data, measure) {
  const target = $("#matrix-figure");
  if (!window.Plotly || !target || !data.cases.length) { return; }
  const index = new Map(data.cells.map((c) => [`${c.theme_key}|${c.review_id}`, c]));
  const { cases } = grouped(data);
  const z = data.themes.map((th) => cases.map((c) => valueOf(index.get(`${th.key}|${c.review_id}`), measure)));
  const custom = data.themes.map((th) => cases.map((c) => [th.key, c.review_id]));
  const x = cases.map((c) => c.title);
  const y = data.themes.map((th) => `${th.title} (${data.present[th.key]}/${data.cases.length})`);
  const trace = {
    type: "heatmap", z, x, y, customdata: custom, colorscale: [[0, "#f3f6f9"], [1, "#1d5b86"]], xgap: 2, ygap: 2,
    hovertemplate: "%{y}<br>%{x}: %{z}<extra></extra>",
    text: z.map((row) => row.map((v) => shownValue(v, measure))),
    texttemplate: "%{text}",
  };
  const layout = {
    margin: { l: 360, r: 20, t: 40, b: 10 }, height: 70 + 28 * data.themes.length,
    yaxis: { autorange: "reversed", automargin: true }, xaxis: { side: "top" },
  };
  window.Plotly.react(target, [trace], layout, { displayModeBar: false, responsive: true });
  target.dataset.ready = "1";
  if (!target.dataset.bound) {
    target.dataset.bound = "1";
    target.on("plotly_click", (event) => {
      const point = event.points?.[0];
      if (point) { showCell(point.customdata[0], point.customdata[1]); }
    });
  }
}

// The cases in the order the page groups them: by the chosen attribute's value (cases without it last).
function grouped(data) {
  const key = $("#matrix-group")?.value || "";
  const attrs = CONFIG.attributes || {};
  const label = (c) => (attrs[String(c.review_id)] || {})[key] ?? "";
  if (!key) { return { cases: data.cases, groups: null }; }
  const cases = [...data.cases].sort((a, b) => {
    const [x, y] = [label(a), label(b)];
    return (x === "") - (y === "") || x.localeCompare(y);
  });
  const groups = [];
  for (const c of cases) {
    const name = label(c) || "—";
    if (groups.length && groups[groups.length - 1].name === name) { groups[groups.length - 1].n += 1; }
    else { groups.push({ name, n: 1 }); }
  }
  return { cases, groups, key };
}

function shownValue(value, measure) {
  return measure === "sticker_share" ? `${Math.round(value * 100)}%` : String(value);
}

function cellLink(theme, c) {
  const params = query();
  params.set("measure", $("#matrix-measure").value);
  params.set("cell", `${c.review_id}:${theme.key}`);
  return `?${params}#cell-detail`;
}

function drawTable(data, measure) {
  const index = new Map(data.cells.map((c) => [`${c.theme_key}|${c.review_id}`, c]));
  const { cases, groups, key } = grouped(data);
  const heads = [];
  if (groups) {
    heads.push(h("tr", {}, h("th"), groups.map((g) => h("th", { colspan: String(g.n), class: "matrix-group", text: `${key}: ${g.name}` })), h("th")));
  }
  heads.push(h("tr", {}, h("th", { text: t("theme") }), cases.map((c) => h("th", { text: c.title })),
    h("th", { text: t("present") })));
  const rows = data.themes.map((th) => h("tr", {}, h("td", { text: th.title }),
    cases.map((c) => {
      const cell = index.get(`${th.key}|${c.review_id}`);
      const shown = shownValue(valueOf(cell, measure), measure);
      const dataset = { theme: th.key, review: String(c.review_id) };
      return h("td", {}, cell.factors
        ? h("a", { class: "cell-btn", href: cellLink(th, c), dataset, "aria-label": `${th.title} — ${c.title}: ${shown}`, text: shown })
        : h("span", { class: "cell-btn is-empty", dataset, text: shown }));
    }),
    h("td", { text: t("of", { n: data.present[th.key], total: data.cases.length }) })));
  const table = $("#matrix-table");
  table.replaceChildren(h("thead", {}, heads), h("tbody", {}, rows));
}

async function load() {
  const measure = $("#matrix-measure").value;
  const params = query();
  $("#matrix-csv").href = `${API}/matrix.csv?${params}&measure=${measure}`;
  $("#matrix-xlsx").href = `${API}/matrix.xlsx?${params}`;
  const data = (await call($("#matrix-status"), "GET", `${API}/matrix?${params}`))?.data;
  if (!data) { return; }
  $("#matrix-status").hidden = true;
  current = data;
  drawTable(current, measure);
  drawFigure(current, measure);
  // The address follows the view, so a reload or a shared link shows the same matrix.
  const address = new URLSearchParams(params);
  address.set("measure", measure);
  const group = $("#matrix-group")?.value;
  if (group) { address.set("group", group); }
  address.set("filter", $("#matrix-filter").value);
  for (const [name, value] of [...address]) { if (!value) { address.delete(name); } }
  if (address.get("framework") === CONFIG.defaultFramework) { address.delete("framework"); }
  if (address.get("measure") === "factors") { address.delete("measure"); }
  const search = address.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}${location.hash}`);
}

async function showCell(themeKey, reviewId) {
  const panel = $("#cell-detail");
  panel.hidden = false;
  const params = new URLSearchParams({ framework: $("#matrix-framework").value });
  const answer = await api("GET", `${API}/matrix/${reviewId}/${encodeURIComponent(themeKey)}?${params}`);
  if (!answer.ok) {
    panel.replaceChildren(h("p", { class: "alert alert-error", text: answer.message }));
    return;
  }
  const data = answer.data;
  const factors = data.factors.map((factor) => h("li", { class: "cell-factor" },
    h("h4", { text: factor.title }),
    h("p", { class: "muted small" }, `${t("path")}: `, factor.path.join(" › "), ` · ${factor.stickers} ${t("stickers")}`),
    factor.evidence.length
      ? h("ul", { class: "evidence-list" }, factor.evidence.map((e) => h("li", {},
        h("span", { class: "chip", text: KINDS[e.kind] ?? e.kind }), " ", e.label)))
      : h("p", { class: "muted small", text: t("none") })));
  panel.replaceChildren(
    h("div", { class: "cell-head" },
      h("h3", { text: `${data.theme_title} — ${data.case_title}` }),
      h("button", { type: "button", class: "btn btn-small btn-quiet", text: t("close"), onclick: () => { panel.hidden = true; } })),
    h("ul", { class: "cell-factors" }, factors));
  panel.scrollIntoView({ block: "nearest" });
}

// A cell is a link that opens the same detail without scripts (the page renders it); here it opens in place.
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a.cell-btn");
  if (link) {
    event.preventDefault();
    showCell(link.dataset.theme, Number(link.dataset.review));
  }
});

for (const id of ["#matrix-framework", "#matrix-measure", "#matrix-filter", "#matrix-group"]) {
  $(id)?.addEventListener("change", () => load());
}
$("#matrix-controls")?.addEventListener("submit", (event) => { event.preventDefault(); load(); });

// An element's factor is either support or counter-evidence: ticking one unticks the other.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !["support", "counter"].includes(box.name) || !box.checked) { return; }
  const other = box.name === "support" ? "counter" : "support";
  const twin = box.closest("li")?.querySelector(`input[name="${other}"]`);
  if (twin) { twin.checked = false; }
});

function start() {
  if ($("#matrix-table")) { load(); }
}

if (window.Plotly) { start(); } else { window.addEventListener("load", start); }

// Side-by-side trees: pointing at a theme (legend) or an overarching element lights the factors carrying it.
function light(match) {
  for (const line of document.querySelectorAll(".tree-line")) { line.classList.toggle("is-lit", match(line)); }
}
for (const chip of document.querySelectorAll("[data-light-theme]")) {
  const key = chip.dataset.lightTheme;
  const on = () => light((line) => line.dataset.themes.split(" ").includes(key));
  chip.addEventListener("mouseenter", on);
  chip.addEventListener("focus", on);
  chip.addEventListener("mouseleave", () => light(() => false));
  chip.addEventListener("blur", () => light(() => false));
}
for (const element of document.querySelectorAll("[data-light-nodes]")) {
  const nodes = new Set(element.dataset.lightNodes.split(" ").filter(Boolean));
  element.addEventListener("mouseenter", () => light((line) => nodes.has(line.dataset.node)));
  element.addEventListener("mouseleave", () => light(() => false));
}

// Blind coding: the caller's own coding per factor, with the themes of the chosen framework.
const UNITS = readJson("study-units") || [];

async function loadCoding() {
  const box = $("#coding-units");
  if (!box || !CONFIG.canWrite) { return; }
  const key = $("#matrix-framework").value;
  const framework = (CONFIG.frameworks || []).find((f) => f.key === key);
  if (!framework) { return; }
  const data = (await call($("#coding-status"), "GET", `${API}/codings?framework=${encodeURIComponent(key)}`))?.data;
  if (!data) { return; }
  const mine = new Map(data.codings.filter((c) => c.coder_id === CONFIG.me).map((c) => [c.node_id, c.theme_keys]));
  $("#coding-status").textContent = `${t("coded", { n: data.coded_by_me, total: data.units })} ${data.blind ? t("blind") : t("open")}`;
  box.replaceChildren(...UNITS.map((unitCase) => h("div", { class: "coding-case" }, h("h3", { text: unitCase.case }),
    unitCase.nodes.map(([nodeId, title]) => {
      const chosen = new Set(mine.get(nodeId) || []);
      const form = h("form", { class: "coding-unit", dataset: { node: String(nodeId), review: String(unitCase.review) } },
        h("p", { class: "coding-title" }, h("strong", { text: title }), chosen.size ? " ✓" : ""),
        h("div", { class: "coding-themes" }, framework.themes.map((theme) => h("label", { class: "check small" },
          h("input", { type: "checkbox", name: "theme", value: theme.key, checked: chosen.has(theme.key) }), ` ${theme.title}`))),
        h("button", { class: "btn btn-small", type: "submit", text: t("save") }));
      form.addEventListener("submit", (event) => { event.preventDefault(); saveCoding(form, key); });
      return h("details", {}, h("summary", {}, title, chosen.size ? " ✓" : ""), form);
    }))));
}

async function saveCoding(form, key) {
  const themes = [...form.querySelectorAll("input[name=theme]:checked")].map((i) => i.value);
  const answer = await api("PUT", `${API}/codings/${form.dataset.review}/${form.dataset.node}`, {
    framework: key, theme_keys: themes,
  });
  $("#coding-status").textContent = answer.ok ? t("saved") : answer.message;
  if (answer.ok) { loadCoding(); }
}

$("#matrix-framework")?.addEventListener("change", () => loadCoding());
loadCoding();
