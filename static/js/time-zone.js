// Until the learner picks a time zone, preselect the browser's in the settings form.
// Without JavaScript the select shows UTC, the stored default. A browser may name its zone by
// a legacy alias ("Asia/Calcutta"); the select's data-aliases maps each to the place listed.
(function () {
  "use strict";
  function preselect(root) {
    var field = root.querySelector("[data-time-zone-from-browser] select");
    if (!field || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var aliases = {};
    try {
      aliases = JSON.parse(field.getAttribute("data-aliases") || "{}");
    } catch (error) {
      aliases = {};
    }
    var wanted = [zone, aliases[zone]];
    for (var w = 0; w < wanted.length; w++) {
      for (var i = 0; i < field.options.length; i++) {
        if (wanted[w] && field.options[i].value === wanted[w]) {
          field.value = wanted[w];
          return;
        }
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { preselect(document); });
  document.addEventListener("htmx:afterSwap", function (event) { preselect(event.target); });
})();
