// "Copy link" buttons: [data-copy-text] copies its text, [data-copy-status] names the element
// that announces the result. The buttons stay hidden without JavaScript (the link is shown).
document.querySelectorAll("[data-copy-text]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const status = document.getElementById(button.dataset.copyStatus);
    try {
      await navigator.clipboard.writeText(button.dataset.copyText);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Could not copy; select the link and copy it instead.";
    }
  });
});
