// Sticker taps of the group interview, the same on a phone and on the tablet: the dots still free, and per factor
// "−" (take one back) and "+" (place one). Taps on one factor are sent one after another, in the order they were
// made: a "−" pressed while the "+" before it is still on its way waits for that answer (the room's live update
// can show the new sticker before the phone has its answer), and the factor's buttons look busy meanwhile. A tap
// that fails is shown as failed and can be tapped again. Each "+" carries a random client key, reused when the same
// tap is retried after a lost answer (status 0), so a retry never places a second sticker.

import { api } from "./lib/http.js";
import { byId, el, keepingFocus } from "./lib/dom.js";
import { clientKey, factorsOf, t } from "./gi-live.js";

/**
 * The sticker list of one device. `stickersOf(round)` and `setStickers(round, list)` keep whose stickers are shown
 * (the phone's own, or the person holding the tablet: then `participantId()` says who), `say(message, kind)`
 * speaks in the page's status region and `redraw()` draws the page again after a tap.
 */
export function stickerTaps({ base, stickersOf, setStickers, say, redraw, participantId = () => undefined }) {
  const pendingKeys = new Map(); // factor id -> the client key of a tap not yet confirmed (reused on retry)
  const inFlight = new Map(); // factor id -> the last tap on it not yet answered (the next one waits for it)

  function tap(factor, button, send) {
    button?.classList.add("is-busy");
    const before = inFlight.get(factor.id) ?? Promise.resolve();
    // `api` never throws: a rejection here is a bug, logged, and the next tap on the factor still runs
    const done = before.then(send).catch((error) => console.error(error)).finally(() => {
      if (inFlight.get(factor.id) === done) { inFlight.delete(factor.id); }
      redraw();
    });
    inFlight.set(factor.id, done);
    return done;
  }

  const place = (round, factor, button) => tap(factor, button, async () => {
    const key = pendingKeys.get(factor.id) ?? clientKey();
    pendingKeys.set(factor.id, key);
    const body = { factor_id: factor.id, client_key: key };
    if (participantId() !== undefined) { body.participant_id = participantId(); }
    const answer = await api("POST", `${base}/rounds/${round.id}/stickers`, body);
    if (answer.status === 0) { say(answer.message, "error"); return; } // keep the key: a retry is safe
    pendingKeys.delete(factor.id);
    if (!answer.ok) { say(answer.message, "error"); return; }
    const stickers = stickersOf(round);
    if (!stickers.some((s) => s.id === answer.data.id)) {
      setStickers(round, [...stickers, { id: answer.data.id, factor_id: factor.id }]);
    }
    say(t("placed"));
  });

  // The newest sticker on the factor when the tap's turn comes (after the taps on it before this one).
  const takeBack = (round, factor, button) => tap(factor, button, async () => {
    const on = stickersOf(round).filter((s) => s.factor_id === factor.id);
    if (!on.length) { return; }
    const sticker = on[on.length - 1];
    const answer = await api("DELETE", `${base}/rounds/${round.id}/stickers/${sticker.id}`);
    if (answer.ok || answer.status === 404) { // 404: it was gone already
      setStickers(round, stickersOf(round).filter((s) => s.id !== sticker.id));
      if (answer.ok) { say(t("taken_back")); }
    } else {
      say(answer.message, "error");
    }
  });

  /** Draw the round's dots, what is left and the factors' buttons (`note` follows what is left). */
  function draw(state, round, { note = "" } = {}) {
    const list = byId("ph-vote-list");
    if (!round) {
      byId("ph-dots").replaceChildren();
      byId("ph-left").textContent = t("no_round_open");
      list.replaceChildren();
      return;
    }
    const mine = stickersOf(round);
    const used = mine.length;
    const total = round.stickers_per_person;
    byId("ph-dots").replaceChildren(...Array.from({ length: total }, (_, i) =>
      el("span", { class: `ph-dot ph-dot-${round.kind} ${i < total - used ? "is-free" : "is-used"}` })));
    byId("ph-left").textContent = t("stickers_left", { n: Math.max(0, total - used), total }) + (note ? ` ${note}` : "");
    keepingFocus(list, () => list.replaceChildren(...factorsOf(state, round.kind).map((f) => {
      const count = mine.filter((s) => s.factor_id === f.id).length;
      const minus = el("button", {
        type: "button", class: "ph-step-btn", "aria-label": `${t("take_back")}: ${f.title}`,
        disabled: count === 0, onclick: (e) => takeBack(round, f, e.currentTarget), dataset: { focusKey: `minus-${f.id}` },
      }, "−");
      const plus = el("button", {
        type: "button", class: "ph-step-btn ph-step-plus", "aria-label": `${t("place")}: ${f.title}`,
        onclick: (e) => place(round, f, e.currentTarget), dataset: { focusKey: `plus-${f.id}` },
      }, "+");
      if (used >= total || count >= round.max_per_factor) { plus.classList.add("is-spent"); }
      if (inFlight.has(f.id)) { minus.classList.add("is-busy"); plus.classList.add("is-busy"); }
      return el("li", { class: `ph-vote ph-vote-${round.kind} ${count ? "has-mine" : ""}` },
        el("span", { class: "ph-vote-title" }, f.title),
        el("span", { class: "ph-vote-controls" },
          minus,
          el("span", { class: "ph-vote-count", "aria-label": t("your_stickers", { n: count }) },
            ...Array.from({ length: count }, () => el("span", { class: `ph-dot ph-dot-${round.kind} is-free` })),
            count ? "" : el("span", { class: "ph-zero" }, "0")),
          plus));
    })), (key) => [key.replace(/^minus-/, "plus-"), key.replace(/^plus-/, "minus-")]);
  }

  return { draw };
}
