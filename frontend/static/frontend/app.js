/* debtboard's page behaviour: select-all checkboxes and drag-and-drop on the debt board.
   Everything here is an enhancement: each action also works with plain links, forms and buttons. */
(function () {
  "use strict";

  // A checkbox with data-select-all="NAME" ticks or clears every checkbox named NAME in its form.
  document.addEventListener("change", function (event) {
    var toggle = event.target.closest ? event.target.closest("[data-select-all]") : null;
    if (!toggle) { return; }
    var scope = toggle.form || document;
    scope.querySelectorAll('input[type=checkbox][name="' + toggle.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = toggle.checked;
    });
  });

  // Board: drag a card onto another column to post the same move as its "Move to" form.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest(".board-card[data-move-url]") : null;
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.item);
  });
  document.addEventListener("dragend", function () {
    dragged = null;
    document.querySelectorAll(".column.drop-target").forEach(function (column) { column.classList.remove("drop-target"); });
  });
  document.addEventListener("dragover", function (event) {
    var column = dragged && event.target.closest ? event.target.closest(".column[data-status]") : null;
    if (!column || column.dataset.status === dragged.dataset.status) { return; }
    event.preventDefault();
    column.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest ? event.target.closest(".column[data-status]") : null;
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (event) {
    var column = dragged && event.target.closest ? event.target.closest(".column[data-status]") : null;
    if (!column || !window.htmx) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    window.htmx.ajax("POST", dragged.dataset.moveUrl, {
      source: dragged, target: "#board", swap: "outerHTML",
      values: { to_status: column.dataset.status, expected_status: dragged.dataset.status }
    });
  });
})();
