// Draws the life-line figure from the JSON block on the page (no inline script: our CSP forbids it),
// wires the zoom form, and scrolls to an event's table row when its bar or marker is clicked.
// Plotly is loaded (deferred, from our own static files) before this module runs.

import { chartConfig, hideDrawing } from "./charts.js";
import { readJson } from "./lib/dom.js";
import { api } from "./lib/http.js";

const chart = document.getElementById("lifeline-chart");
const source = document.getElementById("lifeline-figure");
const zoom = document.getElementById("zoom-form");
const zoomFrom = document.getElementById("zoom-from");
const zoomUntil = document.getElementById("zoom-to");
let wholeRange = null;
let wholeDtick = null;
const YEAR_MS = 365.25 * 24 * 3600 * 1000;
const config = chartConfig({ toImageButtonOptions: { filename: "levenslijn", scale: 2 } });

// One tick per year when zoomed in to at most 24 years (the whole life-line may use one per 2 or 5 years).
function dtickFor(range) {
  const years = (new Date(range[1]) - new Date(range[0])) / YEAR_MS;
  return years <= 24 ? "M12" : wholeDtick;
}

function showRow(id) {
  const row = document.getElementById(`event-${id}`);
  if (!row) { return; }
  row.scrollIntoView({ behavior: "smooth", block: "center" });
  row.classList.add("is-flash");
  setTimeout(() => row.classList.remove("is-flash"), 1600);
  row.querySelector("a")?.focus({ preventScroll: true });
}

function draw() {
  if (!chart || !source || !window.Plotly) { return; }
  const figure = readJson("lifeline-figure");
  wholeRange = figure.layout?.xaxis?.range ?? null;
  wholeDtick = figure.layout?.xaxis?.dtick ?? null;
  window.Plotly.newPlot(chart, figure.data, figure.layout, config).then(() => {
    chart.dataset.ready = "1"; // for tests and for the zoom form below
    fit();
  });
  chart.on("plotly_afterplot", () => hideDrawing(chart));
  chart.on("plotly_relayout", (change) => {
    // zooming with the mouse or the mode bar: keep the year ticks readable
    const range = change["xaxis.range"] ?? (change["xaxis.range[0]"] && [change["xaxis.range[0]"], change["xaxis.range[1]"]]);
    if (!range) { return; }
    const dtick = dtickFor(range);
    if (dtick && dtick !== chart.layout.xaxis.dtick) { window.Plotly.relayout(chart, { "xaxis.dtick": dtick }); }
  });
  chart.on("plotly_click", (event) => {
    const id = event.points?.[0]?.customdata;
    if (id !== undefined && id !== null) { showRow(id); }
  });
}

// The labels are packed on the server for one width (the page's first figure: the library's nominal width).
// When the chart is drawn much narrower or wider, ask for the figure packed for its real width, so that labels
// do not overlap on a laptop and do not leave gaps on a wall screen; again after the window is resized.
let drawnWidth = Number(chart?.dataset.drawnWidth) || 0;
let fitting = null;

async function fit() {
  const url = chart?.dataset.figureUrl;
  if (!url || !chart.dataset.ready) { return; }
  const width = Math.max(320, Math.round(chart.getBoundingClientRect().width));
  if (Math.abs(width - drawnWidth) < 40) { return; }
  drawnWidth = width;
  const answer = await api("GET", `${url}${url.includes("?") ? "&" : "?"}width=${width}`);
  if (!answer.ok) { return; } // the figure already shown stays: packed for another width, but complete
  const figure = answer.data;
  delete figure.layout.width; // drawn responsive, packed for this width
  const zoomed = chart.layout?.xaxis?.range;
  const whole = JSON.stringify(zoomed) === JSON.stringify(wholeRange);
  wholeRange = figure.layout?.xaxis?.range ?? wholeRange;
  if (zoomed && !whole) { // keep the reader's zoom
    figure.layout.xaxis = { ...figure.layout.xaxis, range: zoomed, dtick: dtickFor(zoomed) };
  }
  await window.Plotly.react(chart, figure.data, figure.layout, config);
  chart.dataset.fittedWidth = String(width); // for tests
}

window.addEventListener("resize", () => {
  clearTimeout(fitting);
  fitting = setTimeout(fit, 250); // once the window has settled
});

function zoomToYears(from, to) {
  if (!chart || !window.Plotly) { return; }
  const range = [`${from}-01-01`, `${to}-12-31`];
  window.Plotly.relayout(chart, { "xaxis.range": range, "xaxis.dtick": dtickFor(range) });
}

zoom?.addEventListener("submit", (event) => {
  event.preventDefault();
  const first = Number(zoomFrom.value);
  const second = Number(zoomUntil.value || zoomFrom.value);
  if (!Number.isInteger(first) || !Number.isInteger(second)) { return; }
  zoomToYears(Math.min(first, second), Math.max(first, second)); // "2020 to 2014" means the same years
});
document.getElementById("zoom-reset")?.addEventListener("click", () => {
  if (!chart || !window.Plotly) { return; }
  if (zoomFrom) { zoomFrom.value = ""; }
  if (zoomUntil) { zoomUntil.value = ""; }
  // back to the figure's own range (autorange would cut off the labels that stick out to the right)
  window.Plotly.relayout(
    chart, wholeRange ? { "xaxis.range": wholeRange, "xaxis.dtick": wholeDtick } : { "xaxis.autorange": true },
  );
});

if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }
