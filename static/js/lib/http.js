// Every call a page script makes to the service goes through here: JSON in and out, the session's CSRF token
// in X-CSRF-Token (templates/partials/_js_head.html puts it in the page), and one failure behaviour: the answer
// says {ok, status, data, message}, never throws, and `message` is what to show the reader, in their language
// (the service's own `detail`, or "No connection…" when the network failed, status 0). `call` shows it in an
// aria-live region.

import { notify } from "./dom.js";
import { t } from "./i18n.js";

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/** A fetch() of our JSON API. Answers {ok, status, data, message}; a network failure answers status 0. */
export async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { accept: "application/json", "x-csrf-token": csrfToken() },
  };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    return { ok: false, status: 0, data: null, message: t("network") };
  }
  let data = null;
  if (response.status !== 204) {
    try { data = await response.json(); } catch { data = null; }
  }
  const message = response.ok ? "" : (data && typeof data.detail === "string" ? data.detail : t("failed"));
  return { ok: response.ok, status: response.status, data, message };
}

/**
 * `api`, and what came of it said in `region` (an aria-live element): the failure's message, or `done` when it
 * worked. Answers the answer when it worked, else null.
 */
export async function call(region, method, url, body, done) {
  const answer = await api(method, url, body);
  if (!answer.ok) { notify(region, answer.message, "error"); return null; }
  if (done) { notify(region, done, "ok"); }
  return answer;
}

/** This service's page at `url` as a document (to take fresh regions from), or null when it could not be had. */
export async function page(url) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", headers: { accept: "text/html" } });
  } catch {
    return null;
  }
  if (!response.ok) { return null; }
  return new DOMParser().parseFromString(await response.text(), "text/html");
}
