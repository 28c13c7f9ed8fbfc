"""A failed, broken or killed build never replaces a good site with a broken one."""
import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import build, cli
from tests.trees import flight


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(p.relative_to(root).as_posix().encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def built(brief):
    project = brief({"data/flights/f1.yml": flight("f1")})
    build.build(project)
    return project, digest(project.site)


def test_invalid_facts_leave_the_site_as_it_was(built, capsys):
    project, before = built
    (project.data / "flights" / "f1.yml").write_text(flight("f1").replace("BY", "XX"))
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert digest(project.site) == before


def test_a_template_error_leaves_the_site_as_it_was(built, capsys):
    project, before = built
    (project.templates / "sources.md.j2").write_text("{{ no_such_value }}\n")
    assert cli.main(["-C", str(project.root), "build"]) == 1
    assert capsys.readouterr().err == ("error: templates/sources.md.j2:1: 'no_such_value' is undefined, "
                                       "expected a template that renders\n")
    assert digest(project.site) == before


def test_a_template_that_writes_an_event_handler_is_refused(built, capsys):
    project, before = built
    template = project.templates / "sources.md.j2"
    template.write_text(template.read_text() + '\n<p onclick="steal()">x</p>\n')
    assert cli.main(["-C", str(project.root), "build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the built site failed the safety check; nothing was published:\n"
                          "  sources.html:")
    assert "<p> has an event-handler attribute onclick" in err
    assert digest(project.site) == before
    assert not list(project.root.glob("site.new-*"))


def test_an_exception_in_the_site_engine_leaves_the_site_as_it_was(built, capsys, monkeypatch):
    project, before = built
    from generator.site import engine as site

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site, "build", explode)
    assert cli.main(["-C", str(project.root), "build"]) == 2
    assert capsys.readouterr().err == "internal error: RuntimeError: disk on fire (run with --debug for details)\n"
    assert digest(project.site) == before
    assert cli.main(["-C", str(project.root), "--debug", "build"]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.3, 1.8])
def test_a_killed_build_leaves_the_old_site_or_the_new_one_whole(built, delay):
    project, before = built
    (project.data / "flights" / "f2.yml").write_text(flight("f2"))
    proc = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(project.root), "build"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = digest(project.site)
    if after != before:  # the build finished before the kill: the new site must be complete
        assert (project.site / "index.html").is_file() and (project.site / "pagefind" / "pagefind-entry.json").is_file()
    build.build(project)  # the next build clears what the killed one left beside the site
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("site")) == ["site"]
