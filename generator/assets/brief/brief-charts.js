/* intelbrief charts: draws each embedded Plotly figure with the site's own plotly.js,
   loaded only on pages that have a chart, and follows Material's light/dark palette. */
(function () {
  "use strict";
  var here = document.currentScript.src.replace(/brief-charts\.js(\?.*)?$/, "");
  var loading = {};

  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = here + name;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("could not load " + name)); };
        document.head.appendChild(tag);
      });
    }
    return loading[name];
  }

  // Plotly measures its labels when it draws: the site's own font must be loaded first.
  function fonts() {
    if (!document.fonts || !document.fonts.load) { return Promise.resolve(); }
    return Promise.all(["400", "600", "700"].map(function (weight) {
      return document.fonts.load(weight + " 13px 'IBM Plex Sans'");
    })).catch(function () { return null; });
  }

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function palette(isGeo) {
    var dark = scheme() === "dark";
    var fg = dark ? "#e3e6ec" : "#1f2328";
    var grid = dark ? "rgba(255,255,255,0.14)" : "rgba(0,0,0,0.10)";
    var update = {
      "font.color": fg,
      "legend.font.color": fg
    };
    if (isGeo) {
      update["geo.bgcolor"] = "rgba(0,0,0,0)";
      update["geo.landcolor"] = dark ? "#3a3f4b" : "#ecebe4";
      update["geo.oceancolor"] = dark ? "#1c2230" : "#dbe9f4";
      update["geo.countrycolor"] = dark ? "#8a91a0" : "#9a9a9a";
      update["geo.coastlinecolor"] = dark ? "#8a91a0" : "#7a7a7a";
    } else {
      update["xaxis.gridcolor"] = grid;
      update["yaxis.gridcolor"] = grid;
      update["xaxis.linecolor"] = grid;
      update["yaxis.linecolor"] = grid;
    }
    return update;
  }

  function apply(layout, update) {
    Object.keys(update).forEach(function (path) {
      var keys = path.split("."), node = layout;
      keys.slice(0, -1).forEach(function (k) { node = node[k] = node[k] || {}; });
      node[keys[keys.length - 1]] = update[path];
    });
    return layout;
  }

  // A line's hover text comes once per line (meta.text, with meta.points: how many points it covers, a gap after
  // each line) and is given to Plotly per point, as Plotly reads it. The text is escaped as data at build time.
  function hoverText(data) {
    data.forEach(function (trace) {
      var runs = trace.meta;
      if (!runs || !runs.points || !runs.text) { return; }
      var text = [];
      runs.points.forEach(function (points, i) {
        for (var k = 0; k < points; k++) { text.push(runs.text[i]); }
        text.push(null);
      });
      trace.text = text;
    });
    return data;
  }

  function draw(el) {
    var figure = JSON.parse(document.getElementById(el.getAttribute("data-figure")).textContent);
    var isGeo = el.getAttribute("data-geo") === "true";
    var layout = apply(figure.layout, palette(isGeo));
    // the drawing made at build time gives way to the interactive chart, in the same box (its height is kept)
    Array.prototype.forEach.call(el.querySelectorAll(".brief-static"), function (svg) { svg.remove(); });
    return Plotly.newPlot(el, hoverText(figure.data), layout, {
      displaylogo: false,
      responsive: !isGeo,  // a map is laid out again for its new width (labels, frame), not only stretched
      topojsonURL: here + "topojson/",
      modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"]
    }).then(function () {
      var ground = scheme() === "dark" ? "rgba(30,34,46,0.78)" : "rgba(255,255,255,0.78)";
      var printed = document.body.classList.contains("brief-print");  // on paper the map keeps to a third of a page
      return isGeo ? window.BriefMap.layout(el, palette(false)["font.color"], ground, printed ? 400 : undefined) : null;
    }).then(function () {
      el.setAttribute("data-width", String(el.clientWidth));
      el.setAttribute("data-drawn", "true");
      el.setAttribute("data-theme", scheme());
      var control = interactControl(el);
      if (control) { control.hidden = true; }
    });
  }

  // A chart's space is kept from the start (its figure's own height), so nothing below it moves when it is drawn.
  function reserve(plots) {
    plots.forEach(function (el) {
      var figure = document.getElementById(el.getAttribute("data-figure"));
      try {
        var height = JSON.parse(figure.textContent).layout.height;
        if (height > 0 && !el.style.minHeight) { el.style.minHeight = height + "px"; }
      } catch (err) { return; }  // draw() says what is wrong with the figure
    });
  }

  // Each chart is drawn when it comes near the screen: plotly.js loads with the first one (the base map with the
  // first map), so a page whose charts are further down draws nothing while it loads. Printing draws every chart at once.
  function render() {
    var plots = Array.prototype.slice.call(document.querySelectorAll(".brief-plot[data-figure]"));
    if (!plots.length) { return; }
    reserve(plots);
    var ready = null;
    function drawn(el) {
      if (el.getAttribute("data-drawn") || el.briefDrawing) { return; }
      el.briefDrawing = true;
      ready = ready || fonts().then(function () { return load("plotly.min.js"); });
      ready.then(function () {  // the base map loads with the first map, not with the first chart
        return el.getAttribute("data-geo") === "true" ? Promise.all([load("world_110m.js"), load("brief-maplabels.js")]) : null;
      }).then(function () { return draw(el); }).catch(function (err) {
        el.setAttribute("data-drawn", "failed");
        var control = interactControl(el);
        if (el.querySelector(".brief-static") && control) {  // the drawing made at build time stays
          control.textContent = "The interactive chart could not be loaded (" + err.message + ")";
          return;
        }
        el.textContent = "This chart could not be drawn (" + err.message + "); its numbers are in the table below.";
      });
    }
    var printing = document.body.classList.contains("brief-print") ||
      (window.matchMedia && window.matchMedia("print").matches);
    if (printing || !("IntersectionObserver" in window)) {
      plots.forEach(drawn);
      return;
    }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); drawn(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    plots.forEach(function (el) {
      if (el.querySelector(".brief-static")) { asked(el, drawn); } else { near.observe(el); }
    });
    window.addEventListener("beforeprint", function () { plots.forEach(drawn); });
  }

  // A chart drawn at build time stays as it is until the reader reaches for it: a tap or a click on it, the mouse
  // over it, the keyboard on its "Interactive chart" control. Only then is plotly.js loaded and the chart drawn.
  function interactControl(el) {  // the "Interactive chart" button of a chart drawn at build time, if it has one
    return (el.closest("figure") || el).querySelector(".brief-interact");
  }

  function asked(el, drawn) {
    var figure = el.closest("figure") || el;
    var control = interactControl(el);
    var once = function (event) {
      if (event.type === "pointerover" && event.pointerType !== "mouse") { return; }
      ["pointerdown", "pointerover", "focusin"].forEach(function (name) { figure.removeEventListener(name, once); });
      if (control) { control.disabled = true; control.textContent = "Loading the interactive chart…"; }
      drawn(el);
    };
    ["pointerdown", "pointerover", "focusin"].forEach(function (name) { figure.addEventListener(name, once); });
    if (control) { control.addEventListener("click", once); }
  }

  function retheme() {
    if (!window.Plotly) { return; }
    document.querySelectorAll('.brief-plot[data-drawn="true"]').forEach(function (el) {
      if (el.getAttribute("data-geo") === "true") { draw(el); return; }  // its labels take the new colour too
      Plotly.relayout(el, palette(false)).then(function () {
        el.setAttribute("data-theme", scheme());
      });
    });
  }

  // A map is drawn again when its width changes, so its frame and labels fit the new size.
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      document.querySelectorAll('.brief-plot[data-geo="true"][data-drawn="true"]').forEach(function (el) {
        if (String(el.clientWidth) !== el.getAttribute("data-width")) { draw(el); }
      });
    }, 200);
  });

  // A table wider than its column becomes a stack of cards: a card per row, each cell headed by its column's name.
  // All tables are measured first and changed after, so the page is laid out once, not once per table.
  function cards() {
    var tables = Array.prototype.slice.call(document.querySelectorAll(".md-typeset table"));
    tables.forEach(function (table) { table.classList.remove("brief-cards"); });
    tables.filter(function (table) {
      var box = table.closest(".md-typeset__table") || table.parentElement;
      return table.scrollWidth > box.clientWidth + 1;
    }).forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[i]); }
        });
      });
      table.classList.add("brief-cards");
    });
  }

  // Material's search panel is a dialog without a name; screen readers announce it as "Search".
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog && !dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", "Search"); }

  new MutationObserver(retheme).observe(document.body, {
    attributes: true, attributeFilter: ["data-md-color-scheme"]
  });
  reserve(Array.prototype.slice.call(document.querySelectorAll(".brief-plot[data-figure]")));  // before the first paint
  function ready() { cards(); render(); }
  window.addEventListener("resize", function () { clearTimeout(ready.later); ready.later = setTimeout(cards, 200); });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(ready);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
