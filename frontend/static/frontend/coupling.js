/* Change coupling as a picture: a file-by-file heatmap of the coupled pairs (degree as colour), fetched as
   JSON from the repository's coupling.json. Loaded after charts.js; plotly is served locally. */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 11, color: "#1b2230" };

  function shortName(path) {
    var parts = path.split("/");
    return parts.length > 2 ? "…/" + parts.slice(-2).join("/") : path;
  }

  function draw(el, data) {
    if (!data.files.length) {
      el.textContent = "No files change together often enough to count.";
      el.classList.add("muted");
      return;
    }
    var labels = data.files.map(shortName);
    var trace = {
      type: "heatmap", z: data.degree, x: labels, y: labels, customdata: data.shared, zmin: 0, zmax: 1,
      colorscale: "Blues", hoverongaps: false, text: data.files.map(function (path) {
        return data.files.map(function (other) { return path + " ↔ " + other; });
      }),
      hovertemplate: "%{text}<br>degree %{z:.0%}<br>%{customdata} shared changes<extra></extra>",
      colorbar: { title: { text: "Degree" }, thickness: 12, tickformat: ".0%" }
    };
    var size = Math.max(260, Math.min(620, 80 + data.files.length * 22));
    var layout = {
      font: FONT, height: size, margin: { l: 160, r: 16, t: 10, b: 140 },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#ffffff",
      xaxis: { tickangle: -45, automargin: true }, yaxis: { automargin: true, autorange: "reversed" }
    };
    window.Plotly.newPlot(el, [trace], layout, { displaylogo: false, responsive: true });
    var base = el.dataset.fileBase.replace(/x$/, "");
    el.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point) {
        window.location.href = base + data.files[point.pointIndex[0]].split("/").map(encodeURIComponent).join("/");
      }
    });
  }

  function renderAll() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-coupling]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      el.dataset.drawn = "1";
      fetch(el.dataset.coupling, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { draw(el, data); });
    });
  }

  document.addEventListener("DOMContentLoaded", renderAll);
})();
