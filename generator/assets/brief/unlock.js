/* intelbrief restricted edition: derives the content key from the passphrase (PBKDF2-SHA256, then HKDF-SHA256),
   opens this page and the search index (AES-256-GCM, WebCrypto), strips their padding and shows the page; sealed
   images and downloads open the same way. The key, never the passphrase, is kept in sessionStorage for this
   browser tab only; "Lock" forgets it. Works served over HTTPS or localhost and from disk. The key that names
   files is never derived here: every link to a sealed file is written, under its opaque name, in a sealed page. */
(function () {
  "use strict";
  var sealed = JSON.parse(document.getElementById("brief-sealed").textContent);
  var here = document.currentScript.src.replace(/assets\/brief\/unlock\.js(\?.*)?$/, "");
  var slot = "brief-key:" + sealed.salt;
  var waiting = {};  // sealed file name → resolve, while its script loads
  var loading = {};  // sealed file name → the promise of its file, so each script is added once

  function bytes(b64) {
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function b64(buffer) {
    var raw = "", view = new Uint8Array(buffer);
    for (var i = 0; i < view.length; i += 0x8000) raw += String.fromCharCode.apply(null, view.subarray(i, i + 0x8000));
    return btoa(raw);
  }

  var CONTENT_INFO = "intelbrief/1 content key";  // as seal.py's CONTENT_INFO

  function derive(passphrase) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(passphrase), "PBKDF2", false, ["deriveBits"]).then(function (base) {
      return crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: bytes(sealed.salt),
                                       iterations: sealed.iterations}, base, 256);
    }).then(function (master) {
      return crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveBits"]);
    }).then(function (master) {
      return crypto.subtle.deriveBits({name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32),
                                       info: enc.encode(CONTENT_INFO)}, master, 256);
    });
  }

  function unpad(buffer) {  // the content without its 0x80 mark and the zeros after it (seal.py's pad)
    var view = new Uint8Array(buffer), end = view.length - 1;
    while (end >= 0 && view[end] === 0) end--;
    if (end < 0 || view[end] !== 0x80) throw new Error("sealed content without its padding mark");
    return view.subarray(0, end);
  }

  function open(rawKey, data, name) {
    var blob = bytes(data);
    return crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["decrypt"]).then(function (key) {
      return crypto.subtle.decrypt({name: "AES-GCM", iv: blob.subarray(0, 12),
                                    additionalData: new TextEncoder().encode(name)}, key, blob.subarray(12));
    }).then(unpad);
  }

  window.briefSealed = function (file) {  // called by each sealed script as it loads
    if (waiting[file.name]) waiting[file.name](file);
  };

  function load(name) {
    loading[name] = loading[name] || new Promise(function (resolve, reject) {
      waiting[name] = resolve;
      var tag = document.createElement("script");
      tag.src = here + name;
      tag.onerror = function () { delete loading[name]; reject(new Error("could not load " + name)); };
      document.head.appendChild(tag);
    });
    return loading[name];
  }

  function searchIndex(rawKey) {
    return load("search/search_index.js").then(function (file) {
      return open(rawKey, file.data, file.name);
    }).then(function (plain) {
      return JSON.parse(new TextDecoder().decode(plain));
    }, function () { return null; });  // a site without search still opens
  }

  function serveIndex(index) {
    if (!index) return;
    window.__index = index;  // where the theme reads the index when the site is opened from disk
    var local = URL.createObjectURL(new Blob([JSON.stringify(index)], {type: "application/json"}));
    var open = XMLHttpRequest.prototype.open;  // and, served, the theme asks for the JSON copy: hand it this one
    XMLHttpRequest.prototype.open = function (method, url) {
      var args = Array.prototype.slice.call(arguments);
      if (/search\/search_index\.json(\?.*)?$/.test(String(url))) args[1] = local;
      return open.apply(this, args);
    };
  }

  var TYPES = {pdf: "application/pdf", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif",
               webp: "image/webp", svg: "image/svg+xml", csv: "text/csv", json: "application/json",
               geojson: "application/geo+json", txt: "text/plain"};

  function typeOf(original) {  // the original name is in the sealed page only, as data-brief-sealed
    var extension = (original.split(".").pop() || "").toLowerCase();
    return TYPES[extension] || "application/octet-stream";
  }

  function opened(name, original) {  // a sealed file as a blob: address of its original type
    return load(name).then(function (file) {
      return open(currentKey, file.data, file.name);
    }).then(function (plain) {
      return URL.createObjectURL(new Blob([plain], {type: typeOf(original)}));
    });
  }

  function showSealedSources() {  // images and other embedded files of the page, opened in place
    var found = document.querySelectorAll("[data-brief-sealed-src]");
    Array.prototype.forEach.call(found, function (element) {
      opened(element.getAttribute("data-brief-sealed-src"), element.getAttribute("data-brief-sealed")).then(
        function (url) { element.src = url; });
    });
  }

  function download(link) {
    var original = link.getAttribute("data-brief-sealed");
    return opened(link.getAttribute("href"), original).then(function (url) {
      var save = document.createElement("a");
      save.href = url;
      save.download = original.split("/").pop();
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
  }

  var currentKey = null;

  function lockControl() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "brief-lock";
    button.textContent = "Lock";
    button.title = "Forget the passphrase in this tab";
    button.addEventListener("click", function () {
      sessionStorage.removeItem(slot);
      location.reload();
    });
    var banner = document.querySelector(".brief-banner");
    (banner || document.body).appendChild(button);
  }

  function show(rawKey, html, index) {
    currentKey = rawKey;
    serveIndex(index);
    document.open();
    document.write(html);
    document.close();
    var ready = function () {
      lockControl();
      showSealedSources();
      document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[data-brief-sealed]");
        if (link) {
          event.preventDefault();
          download(link);
        }
      });
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
    else ready();
  }

  function unlock(rawKey) {
    var index = searchIndex(rawKey);  // loads while the page decrypts; a wrong key fails on the page first
    return open(rawKey, sealed.page, sealed.name).then(function (plain) {
      return index.then(function (found) {
        sessionStorage.setItem(slot, b64(rawKey));
        show(rawKey, new TextDecoder().decode(plain), found);
      });
    });
  }

  var form = document.querySelector(".brief-unlock");
  var error = document.querySelector(".brief-unlock-error");

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  if (!window.crypto || !crypto.subtle) {
    fail("This browser cannot decrypt here: open the brief from disk, from localhost or over HTTPS.");
    return;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.hidden = true;
    var phrase = form.elements.passphrase.value;
    derive(phrase).then(function (rawKey) {
      return unlock(new Uint8Array(rawKey)).catch(function () {
        fail("That passphrase does not open this brief.");
      });
    });
  });
  var remembered = sessionStorage.getItem(slot);
  if (remembered) {
    unlock(bytes(remembered)).catch(function () { sessionStorage.removeItem(slot); });
  }
})();
