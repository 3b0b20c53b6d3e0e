/* debtboard's charts: plotly figures drawn from JSON the server embeds (json_script) or serves.
   Every element with data-chart is drawn on load and after each htmx swap; nothing leaves the server. */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1b2230" };
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  // Okabe-Ito: distinguishable with every common colour-vision deficiency.
  var LINE_COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"];
  var SERIES_LABELS = {
    health: "Code health", complexity: "Complexity", violations: "Lint violations", markers: "Debt markers",
    loc: "Lines", sloc: "Source lines (SLOC)", hotspot_score: "Hotspot score", max_complexity: "Max function complexity",
    revisions: "Revisions", churn: "Churn", mi: "Maintainability index"
  };

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function fileUrl(base, path) {
    return base + path.split("/").map(encodeURIComponent).join("/");
  }

  function baseLayout(title) {
    return {
      title: title ? { text: title, font: { size: 14 }, x: 0, xanchor: "left" } : undefined,
      font: FONT, margin: { l: 52, r: 16, t: title ? 36 : 12, b: 40 }, height: 260,
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#ffffff", hoverlabel: { font: FONT },
      xaxis: { gridcolor: "#e9ecf1", zeroline: false }, yaxis: { gridcolor: "#e9ecf1", zeroline: false }
    };
  }

  function pointSymbols(data) {
    return data.backfill.map(function (backfill) { return backfill ? "circle-open" : "circle"; });
  }

  function drawTrend(el) {
    var data = readJSON(el.dataset.source);
    var key = el.dataset.series;
    var title = el.dataset.title || SERIES_LABELS[key] || key;
    var trace = {
      type: "scatter", mode: "lines+markers", x: data.x, y: data[key], customdata: data.sha, connectgaps: true,
      line: { color: LINE_COLOURS[0], width: 2 }, marker: { symbol: pointSymbols(data), size: 7, color: LINE_COLOURS[0] },
      hovertemplate: "%{x|%Y-%m-%d}<br>" + title + ": %{y:,}<br>commit %{customdata}<extra></extra>"
    };
    var layout = baseLayout(title);
    layout.xaxis.type = "date";
    layout.yaxis.rangemode = "tozero";
    if (key === "health") { layout.yaxis.range = [0, 10.2]; }
    Plotly.newPlot(el, [trace], layout, CONFIG);
  }

  function drawHistory(el) {
    var data = readJSON(el.dataset.source);
    var traces = el.dataset.series.split(",").map(function (key, index) {
      var label = SERIES_LABELS[key] || key;
      return {
        type: "scatter", mode: "lines+markers", name: label, x: data.x, y: data[key], customdata: data.sha,
        connectgaps: true, line: { color: LINE_COLOURS[index % LINE_COLOURS.length], width: 2 },
        marker: { symbol: pointSymbols(data), size: 6 },
        hovertemplate: "%{x|%Y-%m-%d}<br>" + label + ": %{y:,}<br>commit %{customdata}<extra></extra>"
      };
    });
    var layout = baseLayout(el.dataset.title);
    layout.xaxis.type = "date";
    layout.yaxis.rangemode = "tozero";
    if (el.dataset.range) {  // a figure with a fixed scale (health 0-10, hotspot score 0-100) is drawn on all of it
      layout.yaxis.range = el.dataset.range.split(",").map(Number);
    }
    layout.showlegend = traces.length > 1;
    layout.legend = { orientation: "h", y: -0.2 };
    layout.height = 300;
    Plotly.newPlot(el, traces, layout, CONFIG);
  }

  function drawScatter(el) {
    var data = readJSON(el.dataset.source);
    var base = el.dataset.fileBase;
    var trace = {
      type: "scatter", mode: "markers", x: data.churn, y: data.complexity, customdata: data.path, text: data.score,
      marker: {
        size: 8, opacity: 0.85, color: data.score, colorscale: "Viridis", reversescale: true, cmin: 0, cmax: 100,
        line: { width: 0.5, color: "#ffffff" }, colorbar: { title: { text: "Score" }, thickness: 12 }
      },
      hovertemplate: "<b>%{customdata}</b><br>churn %{x:,} lines<br>complexity %{y:,}<br>score %{text:.1f}<extra></extra>"
    };
    var layout = baseLayout("");
    layout.height = 380;
    layout.xaxis.title = { text: "Churn (lines added + deleted)" };
    layout.yaxis.title = { text: "Cyclomatic complexity" };
    var dash = { color: "#596273", width: 1, dash: "dash" };
    layout.shapes = [
      { type: "line", xref: "x", yref: "paper", x0: data.median_churn, x1: data.median_churn, y0: 0, y1: 1, line: dash },
      { type: "line", xref: "paper", yref: "y", x0: 0, x1: 1, y0: data.median_complexity, y1: data.median_complexity, line: dash }
    ];
    var corner = function (x, y, text, xanchor, yanchor) {
      return { xref: "paper", yref: "paper", x: x, y: y, text: text, showarrow: false, xanchor: xanchor, yanchor: yanchor,
               font: { size: 11, color: "#596273" } };
    };
    layout.annotations = [corner(1, 1, "<b>Hotspots</b>: complex and changing", "right", "top")];
    if (el.clientWidth >= 600) {  // on a phone the other three corners would overlap
      layout.annotations.push(corner(0, 1, "Complex but stable", "left", "top"),
                              corner(1, 0, "Simple but changing", "right", "bottom"),
                              corner(0, 0, "Healthy", "left", "bottom"));
    }
    Plotly.newPlot(el, [trace], layout, CONFIG);
    el.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && point.customdata) { window.location.href = fileUrl(base, point.customdata); }
    });
  }

  var MAP_COLOURS = {
    score: { key: "score", title: "Score", reversescale: true, cmax: 100 },
    health: { key: "health", title: "Health", reversescale: false, cmax: 10 }
  };
  var MAP_LIST_SIZE = 30;

  function baseName(id) {
    var trimmed = id.charAt(id.length - 1) === "/" ? id.slice(0, -1) : id;
    return trimmed.slice(trimmed.lastIndexOf("/") + 1);
  }

  // Each node's label is its path below its parent (a collapsed chain of folders reads "src/pkg").
  function mapLabels(data) {
    return data.ids.map(function (id, index) {
      if (index === 0) { return data.root; }
      var parent = data.ids[data.parents[index]];
      var relative = parent === "/" ? id : id.slice(parent.length);
      return relative.charAt(relative.length - 1) === "/" ? relative.slice(0, -1) : relative;
    });
  }

  // A folder's text marks its hottest file, so the hot code shows without a click.
  function mapTexts(data, leaf) {
    return data.ids.map(function (id, index) {
      var hottest = data.hottest[index];
      if (leaf[index] || hottest < 0) { return ""; }
      return "▲ " + baseName(data.ids[hottest]) + " " + data.score[hottest].toFixed(0);
    });
  }

  function mapCellItem(data, leaf, index, base, choose) {
    var item = document.createElement("li");
    var score = " — score " + data.score[index].toFixed(1) +
      (data.health[index] === null ? "" : ", health " + data.health[index].toFixed(1)) +
      ", " + data.loc[index].toLocaleString() + " lines";
    var control = document.createElement(leaf[index] ? "a" : "button");
    control.textContent = (leaf[index] ? "" : "▸ ") + data.labels[index];
    if (leaf[index]) {
      control.href = fileUrl(base, data.ids[index]);
    } else {
      control.type = "button";
      control.className = "link";
      control.addEventListener("click", function () { choose(data.ids[index]); });
    }
    item.appendChild(control);
    item.appendChild(document.createTextNode(score));
    return item;
  }

  // The keyboard way through the map: the cells of the shown folder, hottest first, as links and buttons.
  function renderMapCells(list, data, leaf, level, base, choose) {
    if (!list) { return; }
    var levelIndex = Math.max(data.ids.indexOf(level), 0);
    var children = [];
    data.parents.forEach(function (parent, index) { if (parent === levelIndex) { children.push(index); } });
    children.sort(function (a, b) { return data.score[b] - data.score[a]; });
    list.textContent = "";
    var heading = document.createElement("p");
    heading.className = "small muted";
    heading.textContent = "Cells in " + (levelIndex === 0 ? data.root : data.ids[levelIndex]) + ", hottest first:";
    list.appendChild(heading);
    if (levelIndex !== 0) {
      var up = document.createElement("button");
      up.type = "button";
      up.className = "small";
      up.textContent = "↑ Up to " + (data.parents[levelIndex] === 0 ? data.root : data.ids[data.parents[levelIndex]]);
      up.addEventListener("click", function () { choose(data.ids[data.parents[levelIndex]]); });
      list.appendChild(up);
    }
    var ol = document.createElement("ol");
    children.slice(0, MAP_LIST_SIZE).forEach(function (index) { ol.appendChild(mapCellItem(data, leaf, index, base, choose)); });
    list.appendChild(ol);
  }

  function showMapLegend(mode) {
    document.querySelectorAll("[data-map-legend]").forEach(function (legend) {
      legend.hidden = legend.dataset.mapLegend !== mode;
    });
  }

  function drawTreemap(el) {
    var base = el.dataset.fileBase;
    var list = el.dataset.cells ? document.getElementById(el.dataset.cells) : null;
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("the server answered " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (!data.files) {
          el.innerHTML = '<p class="chart-fallback">No scored files in this window.</p>';
          return;
        }
        var leaf = data.ids.map(function (id) { return id.charAt(id.length - 1) !== "/"; });
        data.labels = mapLabels(data);
        var parents = data.parents.map(function (parent) { return parent < 0 ? "" : data.ids[parent]; });
        var custom = data.ids.map(function (id, index) {
          var hottest = data.hottest[index];
          return [data.score[index], data.health[index], leaf[index] ? "file" : "folder, lines-weighted mean",
                  hottest < 0 ? "" : "<br>hottest file " + data.ids[hottest] + " (" + data.score[hottest].toFixed(1) + ")"];
        });
        var colour = MAP_COLOURS.score;
        var trace = {
          type: "treemap", ids: data.ids, labels: data.labels, parents: parents, values: data.loc,
          text: mapTexts(data, leaf), branchvalues: "total", maxdepth: 3, customdata: custom, textinfo: "label+text",
          pathbar: { visible: true },
          marker: {
            colors: data[colour.key], colorscale: "Viridis", reversescale: colour.reversescale, cmin: 0, cmax: colour.cmax,
            colorbar: { title: { text: colour.title }, thickness: 12 }, line: { width: 1, color: "#ffffff" }
          },
          hovertemplate: "<b>%{id}</b> (%{customdata[2]})<br>%{value:,} lines<br>hotspot score %{customdata[0]:.1f}" +
            "<br>health %{customdata[1]:.1f}%{customdata[3]}<extra></extra>"
        };
        var layout = { font: FONT, margin: { l: 0, r: 0, t: 28, b: 0 }, height: 540, paper_bgcolor: "rgba(0,0,0,0)" };
        el.textContent = "";
        Plotly.newPlot(el, [trace], layout, CONFIG);
        var choose = function (level) {
          Plotly.restyle(el, { level: [level] });
          renderMapCells(list, data, leaf, level, base, choose);
        };
        renderMapCells(list, data, leaf, data.ids[0], base, choose);
        // A file opens its page; a folder zooms in (plotly's own behaviour) and the cell list follows.
        // The treemapclick handler returns nothing: one returning false would also swallow plotly_click.
        el.on("plotly_treemapclick", function (event) {
          if (event.nextLevel !== undefined) { renderMapCells(list, data, leaf, event.nextLevel || data.ids[0], base, choose); }
        });
        el.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          if (point && leaf[point.pointNumber]) { window.location.href = fileUrl(base, data.ids[point.pointNumber]); }
        });
        document.querySelectorAll("[data-map-colour]").forEach(function (input) {
          input.addEventListener("change", function () {
            var chosen = MAP_COLOURS[input.value];
            showMapLegend(input.value);
            Plotly.restyle(el, {
              "marker.colors": [data[chosen.key]], "marker.reversescale": chosen.reversescale,
              "marker.cmax": chosen.cmax, "marker.colorbar.title.text": chosen.title
            });
          });
        });
        el.dataset.ready = "1";
      })
      .catch(function (error) {
        el.innerHTML = '<p class="chart-fallback"></p>';
        el.firstChild.textContent = "The hotspot map could not be loaded: " + error.message;
      });
  }

  var RENDERERS = { trend: drawTrend, history: drawHistory, scatter: drawScatter, treemap: drawTreemap };

  function renderAll(root) {
    if (!window.Plotly || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      el.dataset.rendered = "1";
      var render = RENDERERS[el.dataset.chart];
      try {
        if (render) { render(el); }
      } catch (error) {
        el.textContent = "This chart could not be drawn: " + error.message;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderAll(event.target); });
})();

/* Teams and sprints: the burn-down (ideal vs remaining), the sprint history (allocated, spent, committed,
   share of capacity spent on debt) and the team's areas over sprints. Elements with data-sprint-chart. */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1b2230" };
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  var BLUE = "#0072b2", ORANGE = "#d55e00", GREEN = "#009e73", PINK = "#cc79a7", GREY = "#596273";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function layout(title, height) {
    return {
      title: title ? { text: title, font: { size: 14 }, x: 0, xanchor: "left" } : undefined,
      font: FONT, margin: { l: 52, r: 52, t: title ? 36 : 12, b: 40 }, height: height || 280,
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#ffffff", hoverlabel: { font: FONT },
      legend: { orientation: "h", y: -0.2 },
      xaxis: { gridcolor: "#e9ecf1", zeroline: false, type: "category" },
      yaxis: { gridcolor: "#e9ecf1", zeroline: false, rangemode: "tozero", title: { text: "hours" } }
    };
  }

  function drawBurndown(el, data) {
    var traces = [
      { type: "scatter", mode: "lines", name: "Ideal", x: data.x, y: data.ideal, line: { color: GREY, dash: "dash", width: 2 },
        hovertemplate: "%{x}<br>ideal %{y:.2f} h<extra></extra>" },
      { type: "scatter", mode: "lines+markers", name: "Remaining", x: data.x, y: data.remaining, connectgaps: false,
        line: { color: ORANGE, width: 2 }, hovertemplate: "%{x}<br>remaining %{y:.2f} h<extra></extra>" }
    ];
    Plotly.newPlot(el, traces, layout("", 280), CONFIG);
  }

  function drawHistory(el, data) {
    var traces = [
      { type: "bar", name: "Allocated", x: data.x, y: data.allocated, marker: { color: "#b7c4d6" } },
      { type: "bar", name: "Spent", x: data.x, y: data.spent, marker: { color: GREEN } },
      { type: "bar", name: "Committed", x: data.x, y: data.committed, marker: { color: BLUE } },
      { type: "scatter", mode: "lines+markers", name: "Capacity spent on debt (%)", x: data.x, y: data.share, yaxis: "y2",
        line: { color: ORANGE, width: 2 }, hovertemplate: "%{x}<br>%{y:.1f} % of capacity<extra></extra>" }
    ];
    var l = layout("Allocated vs spent vs committed", 320);
    l.barmode = "group";
    l.yaxis2 = { overlaying: "y", side: "right", rangemode: "tozero", title: { text: "% of capacity" }, showgrid: false };
    Plotly.newPlot(el, traces, l, CONFIG);
  }

  function drawAreas(el, data) {
    var traces = [
      { type: "scatter", mode: "lines+markers", name: "Open principal (h)", x: data.x, y: data.principal, line: { color: PINK, width: 2 } },
      { type: "scatter", mode: "lines+markers", name: "Hotspot score (sum)", x: data.x, y: data.hotspots, yaxis: "y2", line: { color: BLUE, width: 2 } },
      { type: "scatter", mode: "lines+markers", name: "Mean health", x: data.x, y: data.health, yaxis: "y2", line: { color: GREEN, width: 2, dash: "dot" } }
    ];
    var l = layout("The team's areas at each sprint's end", 280);
    l.yaxis2 = { overlaying: "y", side: "right", rangemode: "tozero", showgrid: false };
    Plotly.newPlot(el, traces, l, CONFIG);
  }

  var RENDERERS = { burndown: drawBurndown, history: drawHistory, areas: drawAreas };

  function renderAll(root) {
    if (!window.Plotly || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-sprint-chart]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      el.dataset.rendered = "1";
      try {
        RENDERERS[el.dataset.sprintChart](el, readJSON(el.dataset.source));
        el.dataset.ready = "1";
      } catch (error) {
        el.textContent = "This chart could not be drawn: " + error.message;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderAll(event.target); });
})();

/* Refactorathons: the report's before/after complexity of the files that changed most, and what the event
   removed. Elements with data-event-chart; a button with data-print-page prints the page. */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", size: 12, color: "#1b2230" };
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"] };
  var GREY = "#596273", GREEN = "#009e73", BLUE = "#0072b2";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function layout(title, height) {
    return {
      title: { text: title, font: { size: 14 }, x: 0, xanchor: "left" }, font: FONT,
      margin: { l: 52, r: 16, t: 36, b: 90 }, height: height || 320,
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#ffffff", hoverlabel: { font: FONT },
      legend: { orientation: "h", y: 1.12 },
      xaxis: { gridcolor: "#e9ecf1", zeroline: false, type: "category", automargin: true },
      yaxis: { gridcolor: "#e9ecf1", zeroline: false, rangemode: "tozero" }
    };
  }

  function drawFiles(el, data) {
    var traces = [
      { type: "bar", name: "Before", x: data.files, y: data.before, marker: { color: GREY } },
      { type: "bar", name: "After", x: data.files, y: data.after, marker: { color: GREEN } }
    ];
    var l = layout("Complexity before and after", 320);
    l.barmode = "group";
    Plotly.newPlot(el, traces, l, CONFIG);
  }

  function drawTotals(el, data) {
    var traces = [{ type: "bar", x: data.totals.labels, y: data.totals.values, marker: { color: BLUE },
                    hovertemplate: "%{x}: %{y}<extra></extra>" }];
    Plotly.newPlot(el, traces, layout("What the event removed", 320), CONFIG);
  }

  var RENDERERS = { files: drawFiles, totals: drawTotals };

  function renderAll(root) {
    if (!window.Plotly || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-event-chart]").forEach(function (el) {
      if (el.dataset.rendered) { return; }
      el.dataset.rendered = "1";
      try {
        RENDERERS[el.dataset.eventChart](el, readJSON(el.dataset.source));
        el.dataset.ready = "1";
      } catch (error) {
        el.textContent = "This chart could not be drawn: " + error.message;
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print-page]") : null;
    if (button) { window.print(); }
  });
  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderAll(event.target); });
})();
