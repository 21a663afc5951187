// Report & sharing page: copy a new share link to the clipboard (no inline scripts: CSP).
for (const button of document.querySelectorAll("[data-copy]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copy);
    if (!input) return;
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      document.execCommand("copy");
    }
    const original = button.textContent;
    button.textContent = button.dataset.copied || original;
    setTimeout(() => { button.textContent = original; }, 2000);
  });
}
