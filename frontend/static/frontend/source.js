/* The annotated source panel of the file page: after htmx loads a page of code, scroll to the line the
   address names (#L123); when that line is on another page, ask for that page (?line=123). */
(function () {
  "use strict";

  var asked = 0;

  function wantedLine() {
    var match = /^#L(\d+)$/.exec(window.location.hash);
    return match ? parseInt(match[1], 10) : 0;
  }

  function showLine() {
    var line = wantedLine();
    var box = document.getElementById("source");
    if (!line || !box) { return; }
    var row = box.querySelector("#L" + line);
    if (row) {
      row.scrollIntoView({ block: "center" });
      return;
    }
    if (asked !== line && box.querySelector("table.source") && window.htmx) {
      asked = line;
      window.htmx.ajax("GET", box.dataset.src + "&line=" + line, { target: "#source", swap: "innerHTML" });
    }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "source") { showLine(); }
  });
  window.addEventListener("hashchange", showLine);
})();
