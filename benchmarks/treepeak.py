"""Peak memory of a command and every process it starts, together: sampled ten times a second as the sum of each
live process's proportional set size (PSS, shared pages divided among the processes that share them), which is what
the machine must hold at once; GNU time's maximum resident set size is the largest single process only."""
import os
import subprocess
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    shown = [w.decode("utf-8", "replace") for w in words if w][:4]
    return " ".join(Path(w).name if n == 0 else w for n, w in enumerate(shown))[:80]


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(command: list[str], at_peak: list | None = None, **options) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run command; returns the finished process, its wall seconds and the peak of its whole tree's PSS in MB. When
    at_peak is given, it is filled with (process, MB) of each process of the tree at that peak."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    peak = 0
    while proc.poll() is None:
        sizes = {p: _pss_kb(p) for p in _tree(proc.pid)}
        total = sum(sizes.values())
        if total > peak:
            peak = total
            if at_peak is not None:
                at_peak[:] = [(_name(p), kb / 1024) for p, kb in sizes.items() if kb]
        time.sleep(0.1)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    return subprocess.CompletedProcess(command, proc.returncode, out, err), seconds, peak / 1024
