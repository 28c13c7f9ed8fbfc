"""The live preview's server without a browser: a busy port, problems shown as text, pages reloaded."""
import socket
import subprocess
import sys
import threading

from generator.tools import liveserver


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
    threading.Timer(0.05, lambda: live.publish([], {"flights/2024-12.html"})).start()
    assert live.wait(0, "index.html", timeout=0.5) == "1"  # another page changed
    assert live.wait(0, "flights/2024-12.html", timeout=0.01) == "reload"
    live.publish(["data/brief.yml:1:1: broken"])
    assert live.wait(1, "index.html", timeout=0.01) == "reload"  # the banner comes to every page
    assert "var v=2;" in live.snippet() and liveserver.BANNER_ID in live.snippet()
    assert liveserver.site_page("/") == "index.html" and liveserver.site_page("/bases/a%20b.html") == "bases/a b.html"
