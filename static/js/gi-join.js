// Joining from a phone, without page loads: check the code, show the names still free, join with one tap.
// The same forms also work without JavaScript (they post to /join).

import { t } from "./gi-live.js";
import { api } from "./lib/http.js";
import { byId as $, el } from "./lib/dom.js";

const codeForm = $("join-code-form");
const nameForm = $("join-name-form");
const error = $("join-error");
let code = "";

function fail(message) {
  error.textContent = message;
  error.hidden = !message;
  if (message) { error.scrollIntoView({ block: "center", behavior: "smooth" }); }
}

function busy(button, on) {
  if (!button) { return; }
  button.disabled = on;
  button.classList.toggle("is-busy", on);
}

async function join(participantId, button) {
  busy(button, true);
  const answer = await api("POST", "/api/v1/join", { code, participant_id: participantId });
  if (answer.ok) { window.location.assign("/p"); return; }
  busy(button, false);
  fail(answer.message);
  if (answer.status === 409) { await showNames(); }
}

async function showNames() {
  const answer = await api("POST", "/api/v1/join/check", { code });
  if (!answer.ok) { fail(answer.message); return false; }
  const people = answer.data.participants;
  $("join-names").replaceChildren(...people.map((p) => el("button", {
    type: "button", class: "ph-name", value: p.id,
    onclick: (event) => join(p.id, event.currentTarget),
  }, p.pseudonym)));
  $("join-nobody").hidden = people.length > 0;
  $("join-name-code").value = code;
  codeForm.hidden = true;
  nameForm.hidden = false;
  return true;
}

codeForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  code = $("join-code").value.trim();
  if (code.replace(/[^0-9a-z]/gi, "").length < 4) { fail(t("type_code")); return; }
  fail("");
  const button = $("join-next");
  busy(button, true);
  await showNames();
  busy(button, false);
});

nameForm.addEventListener("submit", (event) => {
  // a name button of the server-rendered list (after a form post): join without a page load
  event.preventDefault();
  const button = event.submitter;
  if (button?.value) {
    code = $("join-name-code").value;
    join(Number(button.value), button);
  }
});

$("join-back").addEventListener("click", (event) => {
  event.preventDefault();
  nameForm.hidden = true;
  codeForm.hidden = false;
  fail("");
  $("join-code").focus();
});

// Tidy what people type: upper case, a dash in the middle.
$("join-code").addEventListener("input", (event) => {
  const input = event.target;
  const raw = input.value.toUpperCase().replace(/[^0-9A-Z]/g, "");
  input.value = raw.length > 4 ? `${raw.slice(0, 4)}-${raw.slice(4, 12)}` : raw;
});
