/* intelbrief: search answers from what the reader's browser can load fastest, and only once the reader reaches for it.
   Served over HTTP by a site that brief build published, the search box asks the fragment index in pagefind/:
   Pagefind's script and the few index fragments a query needs are loaded when the search box is first focused,
   and the theme's whole index is never asked for (the published site does not hold its JSON copy).
   From file:// (or in the preview, or in a sealed edition) the theme's own search answers, and this only holds its
   request for search/search_index.json back until the search box is focused or opened. */
(function () {
  "use strict";
  var FRAGMENTS = false;  // brief build names the fragment index here (its metadata's hash) when it has written one
  var SHOWN = 10;  // pages listed for a query (Pagefind loads one fragment per page shown)
  var SECTIONS = 3;  // sections listed under a page
  var INDEX = /(^|\/)search\/search_index\.json([?#]|$)/;
  var fragments = Boolean(FRAGMENTS) && location.protocol !== "file:";
  var asked = !fragments && /[?&](q|h)=/.test(location.search);  // arriving from a theme search result
  var held = [];
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function release() {
    if (fragments) { startFragments(); return; }
    if (asked) { return; }
    asked = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.briefSearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (request.briefSearchIndex && (fragments || !asked)) {
      if (!fragments) { held.push(function () { send.apply(request, args); }); }
      return undefined;  // with the fragment index, the theme's index is never fetched: the theme's search stays idle
    }
    return send.apply(request, args);
  };

  // With the fragment index the theme's search worker would wait for an index that never comes: it is not started
  // (one script less to fetch and compile before the first answer on a slow phone).
  if (fragments && window.Worker && window.EventTarget) {
    var RealWorker = window.Worker;
    var IdleWorker = function () {
      var target = new EventTarget();
      target.postMessage = function () {};
      target.terminate = function () {};
      return target;
    };
    window.Worker = function (url, options) {
      return /\/workers\/search\.[^\/]*\.js([?#]|$)/.test(String(url)) ? IdleWorker() : new RealWorker(url, options);
    };
    window.Worker.prototype = RealWorker.prototype;
  }

  function isSearchBox(element) {
    return element && element.matches && element.matches(".md-search__input");
  }

  // ---- the fragment index (Pagefind), shown in the theme's own result list ----
  var pagefind = null;  // the promise of Pagefind's module, made once
  var asking = 0;  // the number of the latest query: an older query's answer arriving late is dropped

  function siteRoot() {
    var config = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(config.textContent).base || "."; } catch (e) { /* the theme always writes it */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function startFragments() {
    if (!pagefind) {
      var folder = new URL("pagefind/", siteRoot());
      // Pagefind asks for its entry, metadata and WebAssembly one after another once its script has run: asked for
      // now, beside the script, they come from the browser's cache then (the build names the index, which names its
      // metadata; every page is indexed as English)
      ["pagefind-entry.json?ts=" + FRAGMENTS, "pagefind." + FRAGMENTS + ".pf_meta", "wasm.en.pagefind"]
        .forEach(function (name) { fetch(new URL(name, folder)).catch(function () { /* Pagefind asks again */ }); });
      pagefind = import(new URL("pagefind.js", folder).href).then(function (module) {
        // on the main thread: a worker would be one more script to fetch before the first answer
        return module.options({ excerptLength: 24, noWorker: true, metaCacheTag: FRAGMENTS })
          .then(function () { return module; });
      });
      var box = document.querySelector(".md-search__input");
      if (box) {
        box.addEventListener("input", function () { answer(box.value); });
        box.addEventListener("keydown", function (event) {
          if (event.key !== "Enter") { return; }
          var first = document.querySelector(".md-search-result__list .md-search-result__link");
          event.preventDefault();
          if (first) { location.href = first.href; }
        });
        if (box.form) {  // the clear button empties the box without an input event
          box.form.addEventListener("reset", function () { setTimeout(function () { answer(box.value); }, 0); });
        }
        if (box.value) { answer(box.value); }
      }
      showMeta(text("search.result.placeholder", "Type to start searching"));
    }
    return pagefind;
  }

  function translations() {
    try { return JSON.parse(document.getElementById("__config").textContent).translations || {}; } catch (e) { return {}; }
  }

  function text(key, otherwise) {
    return translations()[key] || otherwise;
  }

  function showMeta(words) {
    var meta = document.querySelector(".md-search-result__meta");
    if (meta) { meta.textContent = words; }
  }

  function counted(n) {
    if (n === 0) { return text("search.result.none", "No matching documents"); }
    if (n === 1) { return text("search.result.one", "1 matching document"); }
    return text("search.result.other", "# matching documents").replace("#", String(n));
  }

  function answer(query) {
    var number = ++asking;
    var list = document.querySelector(".md-search-result__list");
    if (!query.trim()) {
      if (list) { list.textContent = ""; list.removeAttribute("data-brief-query"); }
      showMeta(text("search.result.placeholder", "Type to start searching"));
      return;
    }
    startFragments().then(function (module) {
      return module.search(query);
    }).then(function (found) {
      if (number !== asking || !found) { return null; }
      var shown = found.results.slice(0, SHOWN);
      // the first result as soon as its own fragment is in, then the others (each page shown is one fragment)
      return (shown.length ? shown[0].data() : Promise.resolve(null)).then(function (first) {
        if (number !== asking) { return null; }
        showMeta(counted(found.results.length));
        if (list) { list.replaceChildren.apply(list, first ? [resultItem(first)] : []); }
        return Promise.all(shown.slice(1).map(function (r) { return r.data(); }));
      }).then(function (rest) {
        if (number !== asking || !list) { return; }
        (rest || []).forEach(function (page) { list.appendChild(resultItem(page)); });
        list.setAttribute("data-brief-query", query);  // which query the whole list answers (tests wait for it)
      });
    }).catch(function (error) {
      if (number === asking) { showMeta(String(error && error.message || error)); }
    });
  }

  function link(url, heading, level, excerpt) {
    var a = document.createElement("a");
    a.href = new URL(String(url).replace(/^\/+/, ""), siteRoot()).href;
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var title = document.createElement(level === 1 ? "h1" : "h2");
    title.textContent = heading;
    article.appendChild(title);
    var words = document.createElement("p");
    words.appendChild(marked(excerpt));
    article.appendChild(words);
    a.appendChild(article);
    return a;
  }

  function resultItem(page) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    item.appendChild(link(page.url, (page.meta && page.meta.title) || page.url, 1, page.excerpt));
    var title = (page.meta && page.meta.title) || "";
    (page.sub_results || []).filter(function (sub) {  // the sections under the page's own heading, not that heading
      return sub.url !== page.url && sub.url.indexOf("#") > 0 && sub.title !== title;
    })
      .slice(0, SECTIONS).forEach(function (sub) { item.appendChild(link(sub.url, sub.title, 2, sub.excerpt)); });
    return item;
  }

  /* An excerpt as Pagefind gives it is the page's text, escaped, with the query's words in <mark>. It is read by an
     inert parser (nothing in it loads or runs) and rebuilt from its text and its <mark>s only: whatever a fact's
     text holds, it is shown as text. */
  function marked(excerpt) {
    var out = document.createDocumentFragment();
    var parsed = new DOMParser().parseFromString("<body>" + String(excerpt || "") + "</body>", "text/html");
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  // a reader may reach the box before this script runs (a slow page still loading): then it is focused already
  if (isSearchBox(document.activeElement)) { release(); }
  document.addEventListener("focusin", function (event) {
    if (isSearchBox(event.target)) { release(); }
  });
  document.addEventListener("input", function (event) {  // typing, even when the focus came before this script
    if (isSearchBox(event.target)) { release(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search") { release(); }  // the search toggle on small screens
  });
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("label[for='__search'], .md-search")) { release(); }
  });
})();
