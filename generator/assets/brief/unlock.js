/* intelbrief restricted edition: derives the key from the passphrase (PBKDF2-SHA256), opens this page and the
   search index (AES-256-GCM, WebCrypto) and shows the page. The key, never the passphrase, is kept in
   sessionStorage for this browser tab only; "Lock" forgets it. Works served over HTTPS or localhost and from disk. */
(function () {
  "use strict";
  var sealed = JSON.parse(document.getElementById("brief-sealed").textContent);
  var here = document.currentScript.src.replace(/assets\/brief\/unlock\.js(\?.*)?$/, "");
  var slot = "brief-key:" + sealed.salt;
  var waiting = {};  // sealed file name → resolve, while its script loads

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

  function derive(passphrase) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(passphrase), "PBKDF2", false, ["deriveBits"]).then(function (base) {
      return crypto.subtle.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: bytes(sealed.salt),
                                       iterations: sealed.iterations}, base, 256);
    });
  }

  function open(rawKey, data, name) {
    var blob = bytes(data);
    return crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["decrypt"]).then(function (key) {
      return crypto.subtle.decrypt({name: "AES-GCM", iv: blob.subarray(0, 12),
                                    additionalData: new TextEncoder().encode(name)}, key, blob.subarray(12));
    });
  }

  window.briefSealed = function (file) {  // called by each sealed script as it loads
    if (waiting[file.name]) waiting[file.name](file);
  };

  function load(name) {
    return new Promise(function (resolve, reject) {
      waiting[name] = resolve;
      var tag = document.createElement("script");
      tag.src = here + name;
      tag.onerror = function () { reject(new Error("could not load " + name)); };
      document.head.appendChild(tag);
    });
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

  function download(link) {
    var name = link.getAttribute("href");
    return load(name).then(function (file) {
      return open(currentKey, file.data, file.name).then(function (plain) {
        var type = /\.pdf$/.test(file.file) ? "application/pdf" : "application/octet-stream";
        var url = URL.createObjectURL(new Blob([plain], {type: type}));
        var save = document.createElement("a");
        save.href = url;
        save.download = file.file;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      });
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
