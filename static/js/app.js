// Small progressive enhancements shared by every page. Pages work without it.

// Ask before leaving a page with a form that has unsaved changes.
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); }
  });
}

// Confirm destructive buttons that carry data-confirm.
for (const button of document.querySelectorAll("[data-confirm]")) {
  button.addEventListener("click", (event) => {
    if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
}
