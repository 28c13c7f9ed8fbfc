/* intelbrief: replays a web archive capture (WACZ or WARC) inside the Sources page with ReplayWeb.page, served by
   the site itself. Nothing loads until the reader asks: the viewer is about 2 MB, and it needs a service worker,
   which a browser starts only for pages served over HTTP. From file:// the page keeps its note and download link. */
(function () {
  "use strict";
  var here = document.currentScript.src.replace(/brief-replay\.js(\?.*)?$/, "");
  var loaded = null;

  function viewer() {
    if (!loaded) {
      loaded = new Promise(function (resolve, reject) {
        // The viewer registers its service worker on the window's load event, which has long passed when the
        // reader asks for it: while its script runs, a load listener is called at once instead of never.
        var add = window.addEventListener;
        window.addEventListener = function (type, listener) {
          if (type === "load" && document.readyState === "complete") {
            setTimeout(function () { listener.call(window, new Event("load")); }, 0);
            return undefined;
          }
          return add.apply(this, arguments);
        };
        var tag = document.createElement("script");
        tag.src = here + "replay/ui.js";
        tag.onload = function () { window.addEventListener = add; resolve(); };
        tag.onerror = function () {
          window.addEventListener = add;
          reject(new Error("could not load the archive viewer"));
        };
        document.head.appendChild(tag);
      });
    }
    return loaded;
  }

  function start(box, button) {
    button.disabled = true;
    button.textContent = "Opening the capture…";
    viewer().then(function () {
      var replay = document.createElement("replay-web-page");
      replay.setAttribute("source", new URL(box.getAttribute("data-source"), location.href).href);
      replay.setAttribute("url", box.getAttribute("data-url"));
      replay.setAttribute("replaybase", here + "replay/");
      replay.setAttribute("embed", "replayonly");
      replay.className = "brief-replay-frame";
      button.replaceWith(replay);
    }).catch(function (err) {
      button.textContent = err.message;
    });
  }

  function prepare() {
    var served = location.protocol === "http:" || location.protocol === "https:";
    document.querySelectorAll(".brief-replay:not([data-ready])").forEach(function (box) {
      box.setAttribute("data-ready", "true");
      if (!served || !("serviceWorker" in navigator)) { return; }
      var note = box.querySelector(".brief-replay-offline");
      if (note) { note.hidden = true; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button brief-replay-open";
      button.textContent = "Replay this capture here";
      button.addEventListener("click", function () { start(box, button); });
      box.appendChild(button);
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(prepare);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepare);
  } else {
    prepare();
  }
}());
