"""The preview's web server: serves a built site, tells open pages to reload, and shows current problems.

Every HTML page it sends gets a few lines added: a script that waits for the next build and shows the page's new
text (LIVE_SCRIPT), and, while the sources have problems, a banner listing them (as text) above the last good page.
"""
from __future__ import annotations

import errno
import html
import http.server
import ipaddress
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from generator.errors import BriefError
from generator.facts.text import visible
from generator.site import engine

CHANGES = "/.brief-preview/changes"  # long-polled by open pages: answers "reload" once a build changed the page
WAIT_SECONDS = 20
BANNER_ID = "brief-preview-problems"


SCRIPT_ID = "brief-preview-live"

# The script every served page runs: it waits for a build that changed the page, then fetches the page again and puts
# its new article in place of the old one, without loading the page's styles, scripts and fonts again, when nothing
# else the reader sees differs: the same title, the same outline beside it, the same banner, and no script or chart
# in either article (those are set up when a page loads). The theme is then told the document changed, as its own
# instant navigation does, so it wraps the new tables. Anything else, or any failure, reloads the page.
LIVE_SCRIPT = """<script id="%(id)s" data-version="%(version)d">(function(){
var v=%(version)d;
function outline(d){return Array.prototype.map.call(d.querySelectorAll('.md-sidebar--secondary a'),
  function(a){return a.getAttribute('href')+' '+a.textContent}).join('\\n')}
function banner(d){var b=d.getElementById('%(banner)s');return b?b.outerHTML:''}
function still(a){return a&&!a.querySelector('script,iframe,object,embed,.brief-plot,.brief-replay')}
function swap(){return fetch(location.href,{cache:'no-store'}).then(function(r){if(!r.ok){throw r.status}return r.text()})
.then(function(t){
  var d=new DOMParser().parseFromString(t,'text/html'),a=document.querySelectorAll('article'),
      b=d.querySelectorAll('article'),n=d.getElementById('%(id)s');
  if(a.length!==1||b.length!==1||!still(a[0])||!still(b[0])||!n||d.title!==document.title
     ||outline(d)!==outline(document)||banner(d)!==banner(document)){throw 'reload'}
  a[0].replaceWith(document.adoptNode(b[0]));v=+n.getAttribute('data-version')||v;
  if(window.document$&&typeof window.document$.next==='function'){window.document$.next(document)}})}
function poll(){fetch('%(changes)s?since='+v+'&page='+encodeURIComponent(location.pathname),{cache:'no-store'})
.then(function(r){return r.text()})
.then(function(t){if(t==='reload'){swap().then(poll,function(){location.reload()})}else{v=+t||v;poll()}})
.catch(function(){setTimeout(poll,1000)})}
poll()})();</script>"""

ALL = "*"  # every page
KEPT_BUILDS = 200  # a page that waited through more builds than are kept simply reloads
REFUSALS_SHOWN = 20  # Host names reported in the terminal, each once; requests for more are refused without a word


class Live:
    """What the server adds to the site's files: which pages each build changed, and the current problems."""

    def __init__(self):
        self._changed = threading.Condition()
        self.version = 0
        self.problems: list[str] = []
        self._log: list[tuple[int, object]] = []  # (build number, the pages it changed or ALL)
        self._held = threading.Condition()  # taken to read a page, and to begin or end writing some
        self._writing: list = []  # the pages each build under way writes into the served site (a set, or ALL)
        self.base = "/"  # the path the site is published under (site_url's); the preview answers there too

    def publish(self, problems: list[str], pages=()) -> None:
        """Record a finished attempt: the site paths of the pages it rebuilt (or ALL) and its problems, if any."""
        with self._changed:
            if problems != self.problems:
                pages = ALL  # the banner appears on, or leaves, every page
            if not pages:
                return
            self.version += 1
            self.problems = list(problems)
            self._log = [*self._log[-KEPT_BUILDS:], (self.version, pages if pages == ALL else set(pages))]
            self._changed.notify_all()

    @contextmanager
    def writing(self, pages=ALL):
        """Held while a build writes these pages of the served site (site paths; ALL: any of them): a request for one of
        them waits until the build has written and checked them, and the build begins only once no page is being
        read. Other pages are sent meanwhile (the pages of totals written after a save do not hold back the page the
        reader is looking at)."""
        pages = pages if pages == ALL else frozenset(pages)
        with self._held:
            self._writing.append(pages)
        try:
            yield
        finally:
            with self._held:
                self._writing.remove(pages)
                self._held.notify_all()

    def read(self, path: Path, page: str) -> bytes:
        """A page's bytes (empty when it is missing) once no build under way writes it; page is its site path."""
        with self._held:
            self._held.wait_for(lambda: not any(w == ALL or page in w for w in self._writing))
            return path.read_bytes() if path.is_file() else b""

    def wait(self, since: int, page: str, timeout: float = WAIT_SECONDS) -> str:
        """'reload' once a build after since changed this page; else, when the wait times out, the build number."""
        def changed():
            forgotten = not self._log or self._log[0][0] > since + 1
            return since < self.version and (forgotten or any(
                version > since and (pages == ALL or page in pages) for version, pages in self._log))

        with self._changed:
            return "reload" if self._changed.wait_for(changed, timeout) else str(self.version)

    def snippet(self) -> str:
        """The banner (if any) and the reload script, to place at the start of a page's body."""
        with self._changed:
            version, problems = self.version, list(self.problems)
        banner = ""
        if problems:
            items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
            banner = (f'<div id="{BANNER_ID}" role="alert" style="position:relative;z-index:10;padding:.8em 1.2em;'
                      'background:#b71c1c;color:#fff;font:14px/1.5 monospace;white-space:pre-wrap">'
                      "<strong>The preview is not up to date: fix these problems and save (the last good pages are "
                      f'shown below)</strong><ul style="margin:.4em 0 0 1.2em">{items}</ul></div>')
        return banner + LIVE_SCRIPT % {"version": version, "changes": CHANGES, "banner": BANNER_ID, "id": SCRIPT_ID}


def inject(page: bytes, snippet: str) -> bytes:
    """The page with the snippet right after its <body> tag (or at its start when it has none)."""
    text = page.decode("utf-8", errors="replace")
    start = text.find("<body")
    end = text.find(">", start) + 1 if start >= 0 else 0
    return (text[:end] + snippet + text[end:]).encode("utf-8")


def site_page(path: str) -> str:
    """The site path of the page a browser shows at path ('/' → 'index.html')."""
    return engine.site_file(unquote(path).lstrip("/"))


EMPTY = b"<!doctype html><html><head><meta charset=utf-8><title>Preview</title></head><body><p>No page has been built yet.</p></body></html>"


def handler_for(root: Path, live: Live, say=lambda line: None):
    """A request handler serving root's files, with the snippet in every HTML page, to requests for its own address."""
    refused: set[str] = set()  # Host values already reported, so that a page asking again and again fills no terminal

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def do_HEAD(self):
            if self._for_us():
                super().do_HEAD()

        def do_GET(self):
            if not self._for_us():
                return
            url = urlsplit(self.path)
            if live.base != "/" and url.path.startswith(live.base):  # as published: 404.html asks for /base/assets/…
                self.path = "/" + self.path[len(live.base):]
                url = urlsplit(self.path)
            if url.path == CHANGES:
                query = parse_qs(url.query)
                since, page = query.get("since", ["0"])[0], site_page(query.get("page", ["/"])[0])
                return self._send(200, live.wait(int(since) if since.isdigit() else 0, page).encode(), "text/plain")
            target = self._target(unquote(url.path))
            if target is None or target.suffix != ".html":
                return super().do_GET()
            return self._send(200, inject(_read(target), live.snippet()), "text/html; charset=utf-8")

        def send_error(self, code, message=None, explain=None):
            if code != 404 or self.command != "GET":
                return super().send_error(code, message, explain)
            return self._send(404, inject(_read(root / "404.html") or EMPTY, live.snippet()), "text/html; charset=utf-8")

        def list_directory(self, path):  # a folder without its index page is a missing page, never a listing
            self.send_error(404)

        def _for_us(self) -> bool:
            """Whether the request names this server's address in its Host header; else it is refused with 421.

            A web page on another name that resolves to this address (DNS rebinding) sends its own name."""
            host = self.headers.get("Host", "")
            if self.server.answers(host):
                return True
            if host not in refused and len(refused) < REFUSALS_SHOWN:
                refused.add(host)
                say(f"refused a request for Host '{visible(host)}' with 421: the preview answers only requests for "
                    f"{self.server.url()} (or another name of its own address)")
            self._send(421, b"This preview answers only requests for its own address.\n", "text/plain; charset=utf-8")
            return False

        def _target(self, path: str) -> Path | None:
            """The file a site path names (a folder's index.html), if it is inside the site."""
            found = (root / path.lstrip("/")).resolve()
            if not found.is_relative_to(root.resolve()):
                return None
            found = found / "index.html" if found.is_dir() else found
            return found if found.is_file() else None

        def _send(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")  # a preview is always fetched fresh
            super().end_headers()

        def log_message(self, format, *args):  # the terminal shows builds, not requests
            pass

    def _read(path: Path) -> bytes:
        """A page's bytes once no build is writing it (empty when it is missing)."""
        return live.read(path, path.resolve().relative_to(root.resolve()).as_posix())

    return Handler


class Server(http.server.ThreadingHTTPServer):
    """The preview's server: it answers requests for its own address only, and a browser tab closed while it was
    answered is normal, not an error to print."""

    daemon_threads = True
    given = "127.0.0.1"  # the address or name it was asked to listen on (--host)

    def answers(self, host: str) -> bool:
        return for_address(host, self.given, *self.server_address[:2])

    def url(self) -> str:
        name = f"[{self.given}]" if ":" in self.given else self.given
        return f"http://{name}:{self.server_address[1]}/"

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, reset or aborted connection
            super().handle_error(request, client_address)


def bind(host: str, port: int, root: Path, live: Live, say=lambda line: None) -> Server:
    """A server listening on host:port (not yet answering); a port in use is a one-line error."""
    root.mkdir(parents=True, exist_ok=True)
    try:
        server = Server((host, port), handler_for(root, live, say))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise BriefError(f"port {port} on {host} is in use, expected a free port (choose another with --port)") from None
        raise BriefError(f"{host}:{port}: cannot listen there ({err.strerror}), expected a local address and free port") from None
    server.given = host
    return server


LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def for_address(host: str, given: str, address: str, port: int) -> bool:
    """Whether a request's Host header names a server listening on address:port, asked for as given (--host).

    Its name must be the one given, the address, a loopback name when the address is a loopback one, or any address
    (never a name) when it listens on every address (0.0.0.0 or ::); its port the port (none means 80). Any other
    name is refused, even one that resolves to the address: that is how a web page reaches it by DNS rebinding.
    """
    try:
        asked = urlsplit(f"//{host}")
        name, asked_port = asked.hostname, asked.port or 80
    except ValueError:
        return False
    if not name or asked_port != port:
        return False
    listening = ipaddress.ip_address(address)
    if name in (given.lower().strip("[]"), address) or (listening.is_loopback and name in LOOPBACK_NAMES):
        return True
    return listening.is_unspecified and _is_address(name)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
