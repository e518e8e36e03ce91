// Stakeholders: selecting words in an interview note copies them into that note's excerpt
// field, so coding is quick. Everything works without this script (type or paste instead).
(function () {
  "use strict";
  function onSelect(event) {
    var block = event.target.closest ? event.target.closest("[data-excerpt-target]") : null;
    if (!block) return;
    var text = String(window.getSelection ? window.getSelection() : "").trim();
    if (!text) return;
    var field = document.getElementById("id_" + block.getAttribute("data-excerpt-target"));
    if (field) {
      field.value = text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  document.addEventListener("mouseup", onSelect);
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey) onSelect(event);
  });
})();
