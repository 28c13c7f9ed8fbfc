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
    live.publish(["data/flights/x.yml:3:9: summary: '<img src=x onerror=alert(1)>' & more"], rebuilt=False)
    page = liveserver.inject(b"<html><body class='md'><p>last good</p></body></html>", live.snippet())
    text = page.decode()
    assert "<li><code>data/flights/x.yml:3:9: summary: &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27; &amp; more</code></li>" in text
    assert text.index("<body class='md'>") < text.index(liveserver.BANNER_ID) < text.index("<p>last good</p>")


def test_open_pages_wait_for_the_next_build_and_only_then_reload():
    live = liveserver.Live()
    assert live.wait(0, timeout=0.01) == 0
    live.publish([], rebuilt=False)  # nothing changed: no reload
    assert live.version == 0
    threading.Timer(0.05, lambda: live.publish([], rebuilt=True)).start()
    assert live.wait(0, timeout=10) == 1
    assert "var v=1;" in live.snippet() and liveserver.BANNER_ID not in live.snippet()
