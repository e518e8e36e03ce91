// SWOT board: drag and drop to order the items of a quadrant or move them to another one.
// Without JavaScript (or with the keyboard), the move up / move down buttons do the same.
(function () {
  "use strict";
  var lists = document.querySelectorAll(".swot-list[data-url]");
  if (!lists.length) { return; }
  var dragged = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) { return ""; }
  }

  function save(list) {
    var ids = Array.prototype.map.call(list.querySelectorAll(".swot-item"), function (item) {
      return item.getAttribute("data-id");
    });
    var body = new URLSearchParams();
    body.set("quadrant", list.getAttribute("data-quadrant"));
    body.set("ids", ids.join(","));
    return fetch(list.getAttribute("data-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    });
  }

  function itemAfter(list, y) {
    var items = Array.prototype.slice.call(list.querySelectorAll(".swot-item:not(.dragging)"));
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) { return items[i]; }
    }
    return null;
  }

  document.querySelectorAll(".swot-item[draggable]").forEach(function (item) {
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("dragging");
      dragged = null;
    });
  });

  lists.forEach(function (list) {
    list.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      list.classList.add("drop-target");
      var after = itemAfter(list, event.clientY);
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      if (after) { list.insertBefore(dragged, after); } else { list.appendChild(dragged); }
    });
    list.addEventListener("dragleave", function () { list.classList.remove("drop-target"); });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      list.classList.remove("drop-target");
      save(list).then(function (response) {
        if (!response.ok) { window.location.reload(); }
      });
    });
  });
})();
