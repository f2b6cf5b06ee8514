// Until the learner picks a time zone, preselect the browser's in the settings form.
// Without JavaScript the select shows UTC, the stored default.
(function () {
  "use strict";
  function preselect(root) {
    var field = root.querySelector("[data-time-zone-from-browser] select");
    if (!field || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (var i = 0; i < field.options.length; i++) {
      if (field.options[i].value === zone) {
        field.value = zone;
        return;
      }
    }
  }
  document.addEventListener("DOMContentLoaded", function () { preselect(document); });
  document.addEventListener("htmx:afterSwap", function (event) { preselect(event.target); });
})();
