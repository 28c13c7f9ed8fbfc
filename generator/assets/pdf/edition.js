/* Draws the edition's charts for print: the brief's fonts first, then plotly.js, static plots. */
(function () {
  "use strict";
  function load(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }
  var plots = Array.prototype.slice.call(document.querySelectorAll(".brief-plot[data-figure]"));
  var fonts = document.fonts ? Promise.all(["400", "600", "700"].map(function (w) {
    return document.fonts.load(w + " 13px 'IBM Plex Sans'");
  })) : Promise.resolve();
  fonts.then(function () { return plots.length ? load("plotly.min.js") : null; })
    .then(function () { return plots.length ? load("world_110m.js") : null; })
    .then(function () { return plots.length ? load("maplabels.js") : null; })
    .then(function () {
      return Promise.all(plots.map(function (el) {
        var figure = JSON.parse(document.getElementById(el.getAttribute("data-figure")).textContent);
        return Plotly.newPlot(el, figure.data, figure.layout, { staticPlot: true, displayModeBar: false })
          .then(function () { return figure.layout.geo ? window.BriefMap.layout(el, "#000000", "rgba(255,255,255,0.8)", 380) : null; })
          .then(function () { el.setAttribute("data-drawn", "true"); });
      }));
    })
    .catch(function (err) {
      plots.forEach(function (el) { el.setAttribute("data-drawn", "failed"); el.textContent = err.message; });
    });
})();
/* Pages left spare carry more key judgments, then the brief's other current judgments: briefFit(n) keeps the
   first n of them in that order (n = -1: how many are offered) and says which are printed; the printer calls it
   to keep the edition within its pages. */
function briefFit(n) {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-fit-item]"));
  if (n < 0) { return items.length; }
  items.forEach(function (el, i) { el.style.display = i < n ? "" : "none"; });
  var keyed = document.querySelector("[data-fit]");
  var keyShown = 0;
  if (keyed) {
    keyShown = Math.min(n, keyed.querySelectorAll("[data-fit-item]").length);
    keyed.style.display = keyShown > 0 ? "" : "none";
    var first = Number(keyed.getAttribute("data-first"));
    keyed.querySelector("[data-fit-last]").textContent = String(first + keyShown - 1);
    restNote(keyed, Number(keyed.getAttribute("data-total")) - (first + keyShown - 1));
  }
  var others = document.querySelector("[data-fit-others]");
  if (others) {
    var shown = Math.max(0, n - keyShown);
    others.style.display = shown > 0 ? "" : "none";
    others.querySelector("[data-fit-shown]").textContent = String(shown);
    restNote(others, Number(others.getAttribute("data-total")) - shown);
  }
  var note = document.querySelector("[data-fit-note]");
  if (note) { note.style.display = keyShown > 0 ? "" : "none"; }
  return n;
}
function restNote(section, rest) {
  "use strict";
  section.querySelector("[data-fit-rest]").textContent = String(rest);
  section.querySelector("[data-fit-rest-note]").style.display = rest > 0 ? "" : "none";
}
