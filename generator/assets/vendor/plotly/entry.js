// The trace types the brief's charts draw (generator/site/charts.py); scatter comes with the core.
// Add a trace here, run build.sh, and commit the new bundle when a chart needs another type.
var Plotly = require("plotly.js/lib/core");

Plotly.register([
  require("plotly.js/lib/bar"),
  require("plotly.js/lib/scattergeo"),
]);

module.exports = Plotly;
