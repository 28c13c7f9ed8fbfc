"""brief build on a terminal: a line per stage and a bar counting the pages while the site engine runs; piped, quiet."""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from tests.conftest import REPO
from tests.trees import flight

BAR = re.compile(r"^  site engine: (\d+)/(\d+) pages 100% \|█+\| \d\d:\d\d elapsed, 00:00 left$")


def in_terminal(args: list[str]) -> tuple[int, str]:
    """Run `python -m generator ARGS` on a pseudo-terminal of 100 × 24; its exit code and everything it showed."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        os.chdir(REPO)
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        os.execve(sys.executable, [sys.executable, "-m", "generator", *args], env)
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode("utf-8")


def screen(shown: str) -> list[str]:
    """The lines as the terminal shows them at the end: each line as its last carriage return left it."""
    return [line.rsplit("\r", 1)[-1].rstrip() for line in shown.replace("\r\n", "\n").split("\n") if line.strip()]


def test_on_a_terminal_the_site_engine_shows_its_pages_done_out_of_the_total(brief):
    project = brief({"data/flights/f1.yml": flight("f1")})
    code, shown = in_terminal(["-C", str(project.root), "build"])
    assert code == 0, shown
    lines = screen(shown)
    engine = next(i for i, line in enumerate(lines) if line.endswith("] building the site from 13 pages"))
    assert BAR.match(lines[engine + 1]).groups() == ("13", "13"), lines
    assert lines[engine + 2].endswith("] checking the HTML of 13 pages")
    assert lines[-1].startswith(f"built 13 pages into {project.site}")
    assert "site engine: reading" in shown  # the bar ran while the pages were converted, before they were written


def test_a_build_that_renders_no_page_shows_no_bar(brief):
    project = brief({"data/flights/f1.yml": flight("f1")})
    assert in_terminal(["-C", str(project.root), "build"])[0] == 0
    code, shown = in_terminal(["-C", str(project.root), "build"])
    assert code == 0
    assert "site engine:" not in shown and "building the site from 13 pages, starting from the last build's" in shown


def test_piped_the_build_prints_only_its_result(brief):
    project = brief({"data/flights/f1.yml": flight("f1")})
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    run = subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "build"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == ""
    assert run.stdout.startswith(f"built 13 pages into {project.site}: ")
