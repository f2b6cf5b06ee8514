// Keeps keyboard users in place when htmx replaces the part of the page that holds the focus
// (a resource card, a milestone): without this, focus falls back to <body> and Tab starts
// again from the top. Focus goes to the same control in the replacement (matched by its
// text), else to the first form control of the replacement.
(() => {
  const CONTROLS = "button, summary, input:not([type=hidden]), select, textarea";
  let pending = null;

  const label = (element) => `${element.tagName} ${element.textContent.trim()}`;

  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    const active = document.activeElement;
    pending = target && target.id && active && target.contains(active)
      ? { id: target.id, label: label(active) }
      : null;
  });

  document.addEventListener("htmx:afterSettle", () => {
    if (!pending) return;
    const { id, label: wanted } = pending;
    pending = null;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const replacement = document.getElementById(id);
    if (!replacement) return;
    const controls = [...replacement.querySelectorAll(CONTROLS)].filter(
      (control) => control.offsetParent !== null,
    );
    const control = controls.find((candidate) => label(candidate) === wanted) || controls[0];
    if (control) control.focus();
  });
})();
