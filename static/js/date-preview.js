// While a date is typed in the event form, shows what it will mean ("= sept.–nov. 2016", "= 2013–2014,
// derived from Sem's year of birth") by asking GET …/lifeline/parse; when the text means nothing, shows the
// service's message with examples. The texts come from the service, in the reader's language.

import { api } from "./lib/http.js";

const box = document.querySelector(".date-with-preview");
const form = box?.closest("form");
const when = box?.querySelector("input[name=when]");
const output = box?.querySelector(".date-preview");
const people = form?.querySelector("input[name=people]");
const reference = form?.querySelector("input[name=reference_date]");
const until = form?.querySelector("input[name=until]");
let timer = null;
let asked = 0;

function show(text, isError) {
  output.textContent = text;
  output.classList.toggle("is-error", isError);
  output.classList.toggle("is-shown", text !== "");
}

async function preview() {
  const text = when.value.trim();
  if (until && until.value.trim()) { show("", false); return; } // a period from two fields: checked on saving
  const query = new URLSearchParams({ when: text });
  for (const name of (people?.value || "").split(",")) {
    if (name.trim()) { query.append("people", name.trim()); }
  }
  if (reference?.value) { query.set("reference_date", reference.value); }
  const mine = ++asked;
  const answer = await api("GET", `${box.dataset.parseUrl}?${query}`);
  if (mine !== asked) { return; } // an answer to an older text
  if (answer.ok) { show(`= ${answer.data.meaning}`, false); }
  else if (answer.status === 0) { show("", false); } // no connection: the text is checked on saving
  else { show(answer.data?.detail || "", true); }
}

function later() {
  clearTimeout(timer);
  timer = setTimeout(preview, 250);
}

if (box && when && output) {
  for (const field of [when, people, reference, until]) { field?.addEventListener("input", later); }
  if (when.value) { preview(); }
}
