// A study's page: the case × theme matrix as a plotly heat map (and the plain table beside it), switchable
// between measures, frameworks and case filters; clicking a cell (in the figure or the table) shows the factors
// behind it with their place in the tree and their evidence. Data comes from the JSON API; no inline scripts.

import { $, el as h, notify, readJson } from "./lib/dom.js";
import { api } from "./lib/http.js";
import { translator } from "./lib/i18n.js";

const CONFIG = readJson("study-config") || {};
const t = translator("study-messages");
const KINDS = readJson("study-messages")?.kinds ?? {};
const API = `/api/v1/studies/${CONFIG.study}`;
let current = null;

/** GET from the API; a failure is said in `region` (an aria-live element) and answers null. */
async function getJson(url, region) {
  const answer = await api("GET", url);
  if (!answer.ok) { notify(region, answer.message, "error"); return null; }
  return answer.data;
}

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
  const z = data.themes.map((th) => data.cases.map((c) => valueOf(index.get(`${th.key}|${c.review_id}`), measure)));
  const custom = data.themes.map((th) => data.cases.map((c) => [th.key, c.review_id]));
  const x = [...data.cases.map((c) => c.title)];
  const y = data.themes.map((th) => `${th.title} (${data.present[th.key]}/${data.cases.length})`);
  const trace = {
    type: "heatmap", z, x, y, customdata: custom, colorscale: [[0, "#f3f6f9"], [1, "#1d5b86"]], xgap: 2, ygap: 2,
    hovertemplate: "%{y}<br>%{x}: %{z}<extra></extra>",
    text: z.map((row) => row.map((v) => (measure === "sticker_share" ? `${Math.round(v * 100)}%` : String(v)))),
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

function drawTable(data, measure) {
  const index = new Map(data.cells.map((c) => [`${c.theme_key}|${c.review_id}`, c]));
  const head = h("tr", {}, h("th", { text: t("theme") }), data.cases.map((c) => h("th", { text: c.title })),
    h("th", { text: `${data.cases.length ? "n/N" : ""}` }));
  const rows = data.themes.map((th) => h("tr", {}, h("td", { text: th.title }),
    data.cases.map((c) => {
      const cell = index.get(`${th.key}|${c.review_id}`);
      const value = valueOf(cell, measure);
      const shown = measure === "sticker_share" ? `${Math.round(value * 100)}%` : String(value);
      return h("td", {}, h("button", {
        type: "button", class: "cell-btn", disabled: cell.factors === 0,
        dataset: { theme: th.key, review: String(c.review_id) }, text: shown,
      }));
    }),
    h("td", { text: `${data.present[th.key]}/${data.cases.length}` })));
  const table = $("#matrix-table");
  table.replaceChildren(h("thead", {}, head), h("tbody", {}, rows));
}

async function load() {
  const measure = $("#matrix-measure").value;
  const params = query();
  $("#matrix-csv").href = `${API}/matrix.csv?${params}&measure=${measure}`;
  $("#matrix-xlsx").href = `${API}/matrix.xlsx?${params}`;
  const data = await getJson(`${API}/matrix?${params}`, $("#matrix-status"));
  if (!data) { return; }
  $("#matrix-status").hidden = true;
  current = data;
  drawTable(current, measure);
  drawFigure(current, measure);
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

document.addEventListener("click", (event) => {
  const button = event.target.closest?.(".cell-btn");
  if (button && !button.disabled) { showCell(button.dataset.theme, Number(button.dataset.review)); }
});

for (const id of ["#matrix-framework", "#matrix-measure", "#matrix-filter"]) {
  $(id)?.addEventListener("change", () => load());
}

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
  const data = await getJson(`${API}/codings?framework=${encodeURIComponent(key)}`, $("#coding-status"));
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
