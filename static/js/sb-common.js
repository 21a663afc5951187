// Shared by the share-back pages (console, shared screen, phone, tablet): their texts, the event reducer that keeps
// a page's state, and how a finding is shown. The room machinery (the live stream) is gi-live.js; calls and the
// DOM helpers are lib/.

import { translator } from "./lib/i18n.js";

/** A translated text of the share-back pages; `{name}` placeholders are filled from `values`. */
export const st = translator("sb-i18n");

export const REACTIONS = ["agree", "partly", "disagree"];

function upsertBy(list, item, key) {
  const index = list.findIndex((x) => x[key] === item[key]);
  if (index >= 0) { list[index] = { ...list[index], ...item }; } else { list.push(item); }
}

/** Apply one live event of a share-back room to a page's state. */
export function applyShareBack(state, name, data) {
  switch (name) {
    case "state": return data;
    case "share_back": Object.assign(state.meeting, data); break;
    case "slides": state.slides = data.slides; break;
    case "reactions": state.tallies = state.tallies ?? []; upsertBy(state.tallies, data, "node_id"); break;
    case "decision": state.decisions = state.decisions ?? []; upsertBy(state.decisions, data, "node_id"); break;
    case "mine": state.mine = state.mine ?? {}; state.mine[String(data.node_id)] = data; break;
    case "tablet": state.tablet_participant_id = data.participant_id; break;
    case "joined": {
      const person = (state.participants ?? []).find((p) => p.id === data.participant_id);
      if (person) { person.joined = data.joined; }
      break;
    }
    default: break;
  }
  return state;
}

/** The slide now on the screen (the success when none is chosen), and its place among the slides. */
export function currentSlide(state) {
  const slides = state.slides ?? [];
  const id = state.meeting?.current_node_id ?? null;
  const index = Math.max(0, slides.findIndex((s) => s.node_id === id));
  return { slide: slides[index] ?? null, index, total: slides.length };
}

/** The eyebrow above a finding: its section and where it stands ("Main success factor · 2 of 5"). */
export function eyebrow(state, slide) {
  if (!slide) { return ""; }
  const same = (state.slides ?? []).filter((s) => s.section === slide.section);
  const label = st(`section_${slide.section}`);
  if (slide.section === "success") { return label; }
  return `${label} · ${st("of", { n: same.indexOf(slide) + 1, total: same.length })}`;
}

/** The tally of one finding (zeros when nobody reacted yet). */
export function tallyOf(state, nodeId) {
  return (state.tallies ?? []).find((t) => t.node_id === nodeId)
    ?? { node_id: nodeId, agree: 0, partly: 0, disagree: 0, comments: [] };
}

/** Total reactions of a tally. */
export function totalOf(tally) { return tally.agree + tally.partly + tally.disagree; }

/** Size the three segments of a bar element to a tally. */
export function fillBar(bar, tally) {
  const total = Math.max(1, totalOf(tally));
  const parts = bar.children;
  REACTIONS.forEach((reaction, i) => { parts[i].style.width = `${(100 * tally[reaction]) / total}%`; });
}

/**
 * Follows the slide on the screen. When it changes (not on the first call) the finding is said in `region` (an
 * aria-live element: "Main success factor · 2 of 5: …") and, when `heading` is given, the focus moves to it
 * (tabindex -1), so someone on a keyboard or a screen reader starts again at the new finding.
 */
export function slideFollower({ region, heading = null }) {
  let last;
  return (state, slide) => {
    const key = slide ? `${slide.section}:${slide.node_id}` : null;
    if (key === last) { return; }
    const first = last === undefined;
    last = key;
    if (first || !slide) { return; }
    region.textContent = `${eyebrow(state, slide)}: ${slide.title}`;
    if (heading && document.activeElement !== heading) { heading.focus({ preventScroll: false }); }
  };
}
