// What every plotly chart of ours shares: the mode bar in the page's language, without the button that would
// send the chart to plotly's cloud (nothing leaves this service), and the drawing hidden from screen readers:
// each chart sits in a <figure> whose caption points to the table or list that holds the same facts.

import { readJson } from "./lib/dom.js";

const LOCALE = readJson("plotly-locale") ?? { locale: "en", dictionary: {} };

/** plotly's config for one of our charts: `extra` adds to (or overrides) the shared settings. */
export function chartConfig(extra = {}) {
  const remove = ["sendChartToCloud", "select2d", "lasso2d", "autoScale2d", "toggleSpikelines"];
  return {
    responsive: true,
    displaylogo: false,
    scrollZoom: false,
    locale: LOCALE.locale,
    locales: { [LOCALE.locale]: { dictionary: LOCALE.dictionary, format: {} } },
    ...extra,
    modeBarButtonsToRemove: [...remove, ...(extra.modeBarButtonsToRemove ?? [])],
  };
}

/** After each drawing: the SVG layers are pictures of the table beside them, so screen readers skip them. */
export function hideDrawing(chart) {
  for (const svg of chart.querySelectorAll(".main-svg")) { svg.setAttribute("aria-hidden", "true"); }
}
