// An answer to a status change also updates, out of band, parts of the page that show it (the
// topic's progress bar). A page without such a part (a degree page, search results) gets the
// same answer: the pieces it has no place for are left out before htmx swaps, as htmx would
// otherwise log an error for each.
document.addEventListener("htmx:beforeSwap", (event) => {
  const answer = event.detail.serverResponse;
  if (typeof answer !== "string" || !answer.includes("hx-swap-oob")) return;
  const template = document.createElement("template");
  template.innerHTML = answer;
  const homeless = [...template.content.querySelectorAll("[hx-swap-oob]")].filter(
    (piece) => piece.id && !document.getElementById(piece.id),
  );
  if (!homeless.length) return;
  homeless.forEach((piece) => piece.remove());
  event.detail.serverResponse = template.innerHTML;
});
