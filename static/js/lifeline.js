// Draws the life-line figure from the JSON block on the page (no inline script: our CSP forbids it),
// and wires the zoom form. Plotly is loaded from our own static files before this module runs.

const chart = document.getElementById("lifeline-chart");
const source = document.getElementById("lifeline-figure");

function draw() {
  if (!chart || !source || !window.Plotly) { return; }
  const figure = JSON.parse(source.textContent);
  const config = {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: { filename: "levenslijn", scale: 2 },
  };
  window.Plotly.newPlot(chart, figure.data, figure.layout, config);
  chart.on("plotly_click", (event) => {
    const id = event.points?.[0]?.customdata?.[0] ?? event.points?.[0]?.customdata;
    if (id === undefined || id === null) { return; }
    const row = document.getElementById(`event-${id}`);
    if (row) {
      row.scrollIntoView({ behavior: "smooth", block: "center" });
      row.classList.add("is-flash");
      setTimeout(() => row.classList.remove("is-flash"), 1600);
    }
  });
}

const zoom = document.getElementById("zoom-form");
zoom?.addEventListener("submit", (event) => {
  event.preventDefault();
  const from = Number(document.getElementById("zoom-from").value);
  const to = Number(document.getElementById("zoom-to").value);
  if (!from || !to || to < from) { return; }
  window.Plotly.relayout(chart, { "xaxis.range": [`${from}-01-01`, `${to}-12-31`] });
});
document.getElementById("zoom-reset")?.addEventListener("click", () => {
  window.Plotly.relayout(chart, { "xaxis.autorange": true });
});

if (window.Plotly) { draw(); } else { window.addEventListener("load", draw); }
