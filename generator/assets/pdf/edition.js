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
