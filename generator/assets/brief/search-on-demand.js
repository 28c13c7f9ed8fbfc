/* intelbrief: the search index is downloaded when the reader first reaches for search, not with every page.
   The theme asks for search/search_index.json as soon as a page loads; on a large brief that is most of
   what a page would weigh. This holds that one request back until the search box is focused or opened.
   From file:// the theme reads the index as a script instead, from disk, and nothing is held back. */
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json([?#]|$)/;
  var asked = /[?&](q|h)=/.test(location.search);  // arriving from a search result: the index is wanted now
  var held = [];
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function release() {
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
    if (request.briefSearchIndex && !asked) {
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(request, args);
  };

  function isSearchBox(element) {
    return element && element.matches && element.matches(".md-search__input");
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
