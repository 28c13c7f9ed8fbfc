"""The live preview's server without a browser: a busy port, problems shown as text, pages reloaded."""
import json
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from generator import cli, disk
from generator.tools import liveserver, serve
from tests.trees import flight


def test_a_port_in_use_is_one_line_naming_it_and_exit_1(brief):
    project = brief({})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: port {port} on 127.0.0.1 is in use, expected a free port (choose another with --port)\n"


def test_the_banner_shows_problems_as_text():
    live = liveserver.Live()
    live.publish(["data/flights/x.yml:3:9: summary: '<img src=x onerror=alert(1)>' & more"])
    page = liveserver.inject(b"<html><body class='md'><p>last good</p></body></html>", live.snippet())
    text = page.decode()
    assert "<li><code>data/flights/x.yml:3:9: summary: &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27; &amp; more</code></li>" in text
    assert text.index("<body class='md'>") < text.index(liveserver.BANNER_ID) < text.index("<p>last good</p>")


def test_an_open_page_reloads_only_when_a_build_changed_it_or_the_problems():
    live = liveserver.Live()
    assert live.wait(0, "index.html", timeout=0.01) == "0"
    live.publish([], set())  # nothing rebuilt: no reload
    assert live.version == 0
    live.publish([], {"flights/2024-12.html"})
    assert live.wait(0, "index.html", timeout=0.05) == "1"  # another page changed: no reload, the build number
    assert live.wait(0, "flights/2024-12.html", timeout=0.01) == "reload"
    live.publish(["data/brief.yml:1:1: broken"])
    assert live.wait(1, "index.html", timeout=0.01) == "reload"  # the banner comes to every page
    assert "var v=2;" in live.snippet() and liveserver.BANNER_ID in live.snippet()
    assert liveserver.site_page("/") == "index.html" and liveserver.site_page("/bases/a%20b.html") == "bases/a b.html"


UNSAFE = '<img src="x.png" onerror="alert(1)">\n\nUnsafe draft.\n'
REFUSED = re.compile(r"error: the rebuilt pages failed the safety check, so the last good pages stay served:\n"
                     r"  narrative\.html:\d+: <img> has an event-handler attribute onerror")


def refreshed(preview: serve.Preview) -> str:
    return preview.refresh().split(" in ")[0]


def test_a_page_that_fails_the_safety_check_is_never_served_and_the_last_good_one_stays(brief):
    project = brief({"data/flights/f1.yml": flight("f1", "summary: First draft\n")})
    narrative, site = project.content / "narrative.md", project.work / "preview"
    good = narrative.read_text()
    preview = serve.Preview(project, say=lambda line: None)
    assert refreshed(preview) == "rebuilt the whole site"
    last_good = (site / "narrative.html").read_bytes()

    narrative.write_text(good + UNSAFE)
    assert REFUSED.fullmatch(preview.refresh())
    assert (site / "narrative.html").read_bytes() == last_good
    assert preview.live.problems == [preview.refresh().removeprefix("error: ")]  # saved again: still refused

    (project.data / "flights" / "f1.yml").write_text(flight("f1", "summary: Second draft\n"))
    assert REFUSED.fullmatch(preview.refresh())  # another save does not let the refused page through
    assert b"onerror" not in b"".join(p.read_bytes() for p in site.rglob("*.html"))

    narrative.write_text(good + "\nSafe draft.\n")
    assert refreshed(preview) == "rebuilt 2 pages"
    assert "Safe draft." in (site / "narrative.html").read_text() and preview.live.problems == []
    assert "Second draft" in (site / "flights" / "2024-12.html").read_text()
    index = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    pages = [e["location"] for e in index if e["location"].split("#")[0] == "narrative.html"]
    assert len(pages) == len(set(pages)) > 0  # the page's entries once each, not once per rebuild


def test_an_unsafe_page_at_the_start_leaves_nothing_served(brief):
    project = brief({"content/narrative.md": UNSAFE})
    preview = serve.Preview(project, say=lambda line: None)
    assert REFUSED.fullmatch(preview.refresh())
    assert not list((project.work / "preview").rglob("*.html"))
    (project.content / "narrative.md").write_text("# Narrative\n\nSafe at last.\n")
    assert refreshed(preview) == "rebuilt the whole site"


def test_a_build_while_the_preview_writes_is_refused_and_the_preview_waits_for_a_build(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1", "summary: First draft\n")})
    said: list[str] = []
    preview = serve.Preview(project, say=said.append)
    assert refreshed(preview) == "rebuilt the whole site"
    inside, go_on = threading.Event(), threading.Event()
    rebuild = preview.site.rebuild

    def slow_rebuild(files, **options):  # the preview is writing the site while brief build starts
        inside.set()
        go_on.wait(30)
        return rebuild(files, **options)

    preview.site.rebuild = slow_rebuild
    (project.data / "flights" / "f1.yml").write_text(flight("f1", "summary: Second draft\n"))
    results: list[str] = []
    worker = threading.Thread(target=lambda: results.append(refreshed(preview)))
    worker.start()
    try:
        assert inside.wait(30)
        assert cli.main(["-C", str(project.root), "build"]) == 1
    finally:
        go_on.set()
        worker.join(60)
    assert capsys.readouterr().err == ("error: another build is running in this brief (brief build, brief pdf or brief "
                                       "serve rebuilding), expected one build at a time: wait for it to finish\n")
    assert results == ["rebuilt 2 pages"] and not project.site.exists()

    (project.data / "flights" / "f1.yml").write_text(flight("f1", "summary: Third draft\n"))
    with disk.lock(project.root, "build"):  # a brief build holds the lock: the preview waits, then writes
        worker = threading.Thread(target=lambda: results.append(refreshed(preview)))
        worker.start()
        worker.join(1)
        assert worker.is_alive() and said == ["waiting for another build in this brief to finish"]
        assert "Second draft" in (project.work / "preview" / "flights" / "2024-12.html").read_text()
    worker.join(60)
    assert results[-1] == "rebuilt 2 pages"
    assert "Third draft" in (project.work / "preview" / "flights" / "2024-12.html").read_text()


def test_a_folder_without_an_index_page_is_the_missing_page_with_the_banner_never_a_listing(tmp_path):
    (tmp_path / "flights").mkdir()
    (tmp_path / "flights" / "2024-12.html").write_text("<html><body><p>a page</p></body></html>")
    live = liveserver.Live()
    live.publish(["templates/routes.md.j2:1: broken"])
    server = liveserver.bind("127.0.0.1", 0, tmp_path, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in ("/", "/flights/"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}{path}", timeout=10)
            page = missing.value.read().decode()
            assert missing.value.code == 404 and "No page has been built yet." in page and "2024-12.html" not in page
            assert "<li><code>templates/routes.md.j2:1: broken</code></li>" in page
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_asked_for_while_a_build_writes_the_site_is_sent_once_the_build_is_done(tmp_path):
    page = tmp_path / "narrative.html"
    page.write_text("<html><body><p>last good</p></body></html>")
    live = liveserver.Live()
    server = liveserver.bind("127.0.0.1", 0, tmp_path, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    got: list[str] = []
    asking = threading.Thread(target=lambda: got.append(urllib.request.urlopen(
        f"http://127.0.0.1:{server.server_address[1]}/narrative.html", timeout=30).read().decode()))
    try:
        with live.writing():  # what a whole build holds while it puts the site in place
            asking.start()
            asking.join(1)
            assert asking.is_alive() and got == []
            page.write_text("<html><body><p>checked</p></body></html>")
        asking.join(30)
        assert "<p>checked</p>" in got[0] and "last good" not in got[0]
    finally:
        server.shutdown()
        server.server_close()


def test_while_a_dirty_build_writes_some_pages_those_wait_and_the_others_are_sent_at_once(tmp_path):
    written, other = tmp_path / "timeline.html", tmp_path / "flights" / "2024-12.html"
    other.parent.mkdir()
    written.write_text("<html><body><p>last good totals</p></body></html>")
    other.write_text("<html><body><p>the edited flight</p></body></html>")
    live = liveserver.Live()
    server = liveserver.bind("127.0.0.1", 0, tmp_path, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    got: list[str] = []
    asking = threading.Thread(target=lambda: got.append(urllib.request.urlopen(url + "timeline.html",
                                                                               timeout=30).read().decode()))
    try:
        with live.writing({"timeline.html", "404.html"}):  # the pages of totals, written after the edited one
            asking.start()
            asking.join(1)
            assert asking.is_alive() and got == []
            assert "the edited flight" in urllib.request.urlopen(url + "flights/2024-12.html", timeout=5).read().decode()
            written.write_text("<html><body><p>checked totals</p></body></html>")
        asking.join(30)
        assert "checked totals" in got[0] and "last good" not in got[0]
    finally:
        server.shutdown()
        server.server_close()


def test_the_preview_takes_its_published_path_from_site_url_when_the_settings_change(brief):
    project = brief({})
    preview = serve.Preview(project, say=lambda line: None)
    assert refreshed(preview) == "rebuilt the whole site" and preview.live.base == "/"
    with open(project.config, "a", encoding="utf-8") as settings:
        settings.write("site_url: https://brief.example.org/airlift\n")
    assert preview.refresh(settings_changed=True).startswith("rebuilt the whole site")  # as the watcher says it
    assert preview.live.base == "/airlift/"


def test_under_a_published_path_the_preview_answers_there_too(tmp_path):
    """With site_url https://…/airlift/, MkDocs' 404 page asks for /airlift/assets/…: the preview serves them."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").write_text("body {}")
    (tmp_path / "index.html").write_text("<html><body><p>overview</p></body></html>")
    live = liveserver.Live()
    live.base = "/airlift/"
    server = liveserver.bind("127.0.0.1", 0, tmp_path, live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for path in ("/airlift/assets/style.css", "/assets/style.css"):
            assert urllib.request.urlopen(root + path, timeout=10).read() == b"body {}"
        for path in ("/airlift/index.html", "/index.html"):
            assert "<p>overview</p>" in urllib.request.urlopen(root + path, timeout=10).read().decode()
    finally:
        server.shutdown()
        server.server_close()
