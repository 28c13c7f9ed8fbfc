/* intelbrief map layout, shared by the site and the printed edition: fills the frame with the map (no
   empty bands), moves markers apart where they would cover each other, places every label where it
   covers no other label and no marker (with a leader line when it has to sit away from its place),
   and draws a scale bar. Everything is measured from the map as drawn, so it holds at any width. */
(function () {
  "use strict";
  var FONT_SIZE = 12, LINE = 15, PAD = 3, MIN_APART = 13, MIN_HEIGHT = 300, MAX_HEIGHT = 560;
  var canvas = document.createElement("canvas").getContext("2d");

  function mercatorY(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)); }
  function latOf(y) { return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) * 180 / Math.PI; }

  // Ranges that fill a w × h frame exactly with the given extent inside it (Mercator only; the world view keeps its own).
  function filling(range, w, h) {
    var lon = range.lon.slice(), south = mercatorY(range.lat[0]), north = mercatorY(range.lat[1]);
    var x = (lon[1] - lon[0]) * Math.PI / 180, y = north - south;
    if (y / x < h / w) {
      var grow = (x * h / w - y) / 2;
      south -= grow; north += grow;
    } else {
      var wider = (y * w / h - x) * 180 / Math.PI / 2;
      lon = [Math.max(-180, lon[0] - wider), Math.min(180, lon[1] + wider)];
    }
    return {lat: [Math.max(-85, latOf(south)), Math.min(85, latOf(north))], lon: lon};
  }

  function geoOf(el) { return el._fullLayout && el._fullLayout.geo && el._fullLayout.geo._subplot; }

  // Plot pixels of a [lon, lat] and back: Plotly's projection draws inside the map's own frame, offset in the plot.
  function toPx(geo, lonlat) {
    var xy = geo.project(lonlat);
    return [xy[0] + geo.xaxis._offset, xy[1] + geo.yaxis._offset];
  }
  function toLonLat(geo, px) { return geo.projection.invert([px[0] - geo.xaxis._offset, px[1] - geo.yaxis._offset]); }

  // The plot height a frame of this width needs for the map to fill it, between MIN_HEIGHT and MAX_HEIGHT.
  function height(range, width, most) {
    var x = (range.lon[1] - range.lon[0]) * Math.PI / 180, y = mercatorY(range.lat[1]) - mercatorY(range.lat[0]);
    return Math.max(MIN_HEIGHT, Math.min(most || MAX_HEIGHT, Math.round(width * y / x)));
  }

  var WRAP = 250;  // a label line wraps at this width (pixels) or at a third of a narrow map's, between words

  function wrap(text, width, widest) {
    var most = widest || Math.min(WRAP, Math.max(110, width / 3));
    canvas.font = FONT_SIZE + "px 'IBM Plex Sans', sans-serif";
    return String(text).split("\n").map(function (line) {
      var out = [], current = "";
      line.split(" ").forEach(function (word) {
        var next = current ? current + " " + word : word;
        if (current && canvas.measureText(unescape(next)).width > most) { out.push(current); current = word; } else { current = next; }
      });
      out.push(current);
      return out.join("<br>");
    }).join("<br>");
  }

  function lines(text) { return String(text).split("<br>"); }

  function unescape(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function measure(text) {
    canvas.font = FONT_SIZE + "px 'IBM Plex Sans', sans-serif";
    var rows = lines(text);
    var w = Math.max.apply(null, rows.map(function (r) { return canvas.measureText(unescape(r)).width; }));
    return {w: Math.ceil(w) + 2 * PAD, h: rows.length * LINE + 2 * PAD};
  }

  function overlaps(a, b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  }

  function box(cx, cy, w, h) { return {x0: cx - w / 2, x1: cx + w / 2, y0: cy - h / 2, y1: cy + h / 2}; }

  // The points to label and the markers to keep clear of, in page pixels of the plot, from the drawn figure.
  function collect(el, geo, width) {
    var points = [], areas = [], obstacles = [];
    el._fullData.forEach(function (trace, t) {
      var meta = trace.meta || {}, data = el.data[t];
      (data.lat || []).forEach(function (lat, i) {
        if (lat === null || lat === undefined) { return; }
        var xy = toPx(geo, [data.lon[i], lat]);
        var size = Array.isArray(trace.marker && trace.marker.size) ? trace.marker.size[i] : (trace.marker || {}).size;
        var marked = trace.mode.indexOf("markers") >= 0 && size > 0;
        if (meta.labels === "point") {
          // r: half a marker's width, its widest symbol (a diamond, 1.3 times its size) and its outline included
          points.push({trace: t, index: i, x: xy[0], y: xy[1], r: size * 0.65 + 1, text: wrap(data.text[i], width),
                       rank: meta.rank ? meta.rank[i] : 0, lat: lat, lon: data.lon[i]});
        } else if (meta.labels === "area") {
          areas.push({x: xy[0], y: xy[1], text: wrap(data.text[i], width)});
        } else if (marked) {
          obstacles.push(box(xy[0], xy[1], size, size));
        }
      });
    });
    return {points: points, areas: areas, obstacles: obstacles};
  }

  // Markers closer than MIN_APART pixels are pushed apart along the line joining them; each keeps a thin
  // line to where it really is. Returns the number moved.
  function separate(points) {
    var moved = 0;
    for (var pass = 0; pass < 8; pass++) {
      var changed = false;
      for (var i = 0; i < points.length; i++) {
        for (var j = i + 1; j < points.length; j++) {
          var a = points[i], b = points[j], dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy);
          var need = Math.max(MIN_APART, a.r + b.r + 2);
          if (d >= need) { continue; }
          if (d < 0.01) { dx = 0; dy = 1; d = 1; }
          var push = (need - d) / 2;
          [a, b].forEach(function (p, k) {
            var sign = k ? 1 : -1;
            if (p.tx === undefined) { p.tx = p.x; p.ty = p.y; moved += 1; }
            p.x += sign * dx / d * push;
            p.y += sign * dy / d * push;
          });
          changed = true;
        }
      }
      if (!changed) { break; }
    }
    return moved;
  }

  // Candidate places for a label around its point: beside it first, then further out with a leader line.
  function candidates(p, w, h) {
    var out = [], r = p.r + 3;
    [0, 12, 28, 48, 75, 110].forEach(function (far) {
      [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]].forEach(function (d) {
        var cx = p.x + d[0] * (r + far + w / 2), cy = p.y + d[1] * (r + far + h / 2);
        out.push({cx: cx, cy: cy, leader: far > 0});
      });
    });
    return out;
  }

  function inside(b, frame) { return b.x0 >= frame.x0 && b.x1 <= frame.x1 && b.y0 >= frame.y0 && b.y1 <= frame.y1; }

  function place(items, taken, frame) {
    var placed = [];
    items.forEach(function (item) {
      var size = measure(item.text), options = item.options || candidates(item, size.w, size.h);
      for (var k = 0; k < options.length; k++) {
        var c = options[k], b = box(c.cx, c.cy, size.w, size.h);
        if (inside(b, frame) && !taken.some(function (o) { return overlaps(b, o); })) {
          taken.push(b);
          placed.push({item: item, cx: c.cx, cy: c.cy, leader: c.leader});
          return;
        }
      }
    });
    return placed;
  }

  function annotation(size, fg, bg, p) {
    var x = (p.item.x - size.l) / size.w, y = 1 - (p.item.y - size.t) / size.h;
    var note = {text: p.item.text, xref: "paper", yref: "paper", x: x, y: y, showarrow: true, arrowhead: 0,
                arrowwidth: 1.3, arrowcolor: fg, ax: p.cx - p.item.x, ay: p.cy - p.item.y, standoff: p.item.r || 0,
                font: {size: FONT_SIZE, color: fg}, align: "left", borderpad: 1, bgcolor: bg,
                captureevents: false, name: "brief-label"};
    if (!p.leader) { note.arrowwidth = 0.1; note.arrowcolor = "rgba(0,0,0,0)"; }
    return note;
  }

  function niceKm(km) {
    var steps = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];
    for (var i = steps.length - 1; i >= 0; i--) { if (steps[i] <= km) { return steps[i]; } }
    return steps[0];
  }

  function km(a, b) {
    var rad = Math.PI / 180, dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  // A scale bar at the lower left, true along the bar's own latitude.
  function scaleBar(geo, size, fg) {
    var x0 = size.l + 12, y = size.t + size.h - 14, probe = 120;
    var a = toLonLat(geo, [x0, y]), b = toLonLat(geo, [x0 + probe, y]);
    if (!a || !b || isNaN(a[0]) || isNaN(b[0])) { return {shapes: [], annotations: []}; }
    var perPx = km(a, b) / probe, length = niceKm(perPx * probe), px = length / perPx;
    var X = function (v) { return (v - size.l) / size.w; }, Y = function (v) { return 1 - (v - size.t) / size.h; };
    var line = {color: fg, width: 1.5};
    return {
      shapes: [{type: "line", xref: "paper", yref: "paper", x0: X(x0), x1: X(x0 + px), y0: Y(y), y1: Y(y), line: line, name: "brief-scale"},
               {type: "line", xref: "paper", yref: "paper", x0: X(x0), x1: X(x0), y0: Y(y - 4), y1: Y(y + 4), line: line, name: "brief-scale"},
               {type: "line", xref: "paper", yref: "paper", x0: X(x0 + px), x1: X(x0 + px), y0: Y(y - 4), y1: Y(y + 4), line: line, name: "brief-scale"}],
      annotations: [{text: length.toLocaleString("en") + " km", xref: "paper", yref: "paper", x: X(x0), y: Y(y - 5),
                     xanchor: "left", yanchor: "bottom", showarrow: false, font: {size: 11, color: fg},
                     name: "brief-scale", captureevents: false}]
    };
  }

  // Lay the map out: call after Plotly.newPlot; resolves when done. fg and bg: the theme's text and label ground;
  // most: the tallest the map may grow (pixels) to fill its width.
  function layout(el, fg, bg, most) {
    var geo = geoOf(el), range = el.layout.geo && el.layout.geo.lataxis && el.layout.geo.lataxis.range;
    if (!geo) { return Promise.resolve(); }
    var original = el._briefRange || (range ? {lat: range.slice(), lon: el.layout.geo.lonaxis.range.slice()} : null);
    el._briefRange = original;
    var first = Promise.resolve();
    if (original && el.layout.geo.projection.type === "mercator") {
      var size = el._fullLayout._size, want = height(original, size.w, most);
      var update = {"geo.lataxis.range": null, "geo.lonaxis.range": null};
      var grow = want - size.h;
      if (Math.abs(grow) > 2) { update.height = el._fullLayout.height + grow; }
      var target = filling(original, size.w, grow ? want : size.h);
      update["geo.lataxis.range"] = target.lat;
      update["geo.lonaxis.range"] = target.lon;
      first = Plotly.relayout(el, update);
    }
    return first.then(function () {
      geo = geoOf(el);
      var size = el._fullLayout._size;
      var found = collect(el, geo, size.w);
      var moved = separate(found.points);
      var frame = {x0: size.l + 2, x1: size.l + size.w - 2, y0: size.t + 2, y1: size.t + size.h - 2};
      var bar = scaleBar(geo, size, fg);
      var taken = found.obstacles.concat(found.points.map(function (p) { return box(p.x, p.y, 2 * p.r, 2 * p.r); }));
      bar.shapes.length && taken.push({x0: size.l, x1: size.l + 150, y0: size.t + size.h - 34, y1: size.t + size.h});
      var note = wrap("A marker with a short line was moved apart from a neighbour; the line ends where it is.",
                      size.w, Math.min(size.w - 8, 420));
      if (moved) {
        var n = measure(note);
        taken.push({x0: size.l + size.w - n.w, x1: size.l + size.w, y0: size.t, y1: size.t + n.h});
      }
      var labelled = found.points.filter(function (p) { return p.rank >= 0; })
        .sort(function (a, b) { return a.rank - b.rank; });
      var areaItems = found.areas.map(function (a) {
        var s = measure(a.text);
        return {x: a.x, y: a.y, r: 0, text: a.text, options: [{cx: a.x, cy: a.y, leader: false}].concat(candidates({x: a.x, y: a.y, r: 0}, s.w, s.h))};
      });
      var placed = place(labelled.concat(areaItems), taken, frame);
      var notes = placed.map(function (p) { return annotation(size, fg, bg || "rgba(0,0,0,0)", p); });
      var shapes = [];
      found.points.filter(function (p) { return p.tx !== undefined; }).forEach(function (p) {
        shapes.push({type: "line", xref: "paper", yref: "paper", x0: (p.tx - size.l) / size.w, y0: 1 - (p.ty - size.t) / size.h,
                     x1: (p.x - size.l) / size.w, y1: 1 - (p.y - size.t) / size.h, line: {color: fg, width: 1}, name: "brief-moved"});
        var where = toLonLat(geo, [p.x, p.y]);
        el.data[p.trace].lat[p.index] = where[1];
        el.data[p.trace].lon[p.index] = where[0];
      });
      if (moved) {
        notes.push({text: note,
                    xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "top", showarrow: false,
                    font: {size: 10, color: fg}, bgcolor: bg || "rgba(0,0,0,0)", align: "right", name: "brief-moved-note",
                    captureevents: false});
      }
      el.setAttribute("data-labels", String(placed.length));
      el.setAttribute("data-moved", String(moved));
      return Plotly.react(el, el.data, Object.assign(el.layout, {
        annotations: notes.concat(bar.annotations), shapes: shapes.concat(bar.shapes),
        datarevision: (el.layout.datarevision || 0) + 1}));
    });
  }

  window.BriefMap = {layout: layout};
})();
