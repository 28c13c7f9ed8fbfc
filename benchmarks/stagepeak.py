"""Peak memory of `brief build` stage by stage, every process of the build counted together: the build runs in a child
process that prints each progress message, while this one samples the sum of the proportional set sizes of the
child's whole process tree (as treepeak.py does) and books each sample to the stage under way.

    python benchmarks/stagepeak.py FOLDER [--pdf]

The site and the work folder are removed first, so the build starts from nothing as memory.py measures it.
"""
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import treepeak  # noqa: E402  benchmarks/treepeak.py

REPO = Path(__file__).resolve().parents[1]
BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from generator import build
from generator.project import Project
if __name__ == "__main__":
    build.build(Project.find(Path(sys.argv[1])), progress=lambda m: print(m, flush=True), pdf="--pdf" in sys.argv)
"""


def measure(root: Path, pdf: bool = False) -> tuple[list[tuple[str, float, float]], float, dict[str, float]]:
    """[(stage, seconds from the start, highest MB of the tree in it)], the peak MB and each process's MB then."""
    shutil.rmtree(root / "site", ignore_errors=True)
    shutil.rmtree(root / ".brief", ignore_errors=True)
    script = root.parent / f".stagepeak-{os.getpid()}.py"  # a file, so that spawned processes can import it
    script.write_text(BUILD.format(repo=str(REPO)), encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(script), str(root), *(["--pdf"] if pdf else [])], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1734307200"})
    stages = [["start", 0.0, 0.0]]
    peak = [0.0, {}]

    def sample() -> None:
        while proc.poll() is None:
            sizes = {pid: treepeak._pss_kb(pid) / 1024 for pid in treepeak._tree(proc.pid)}
            total = sum(sizes.values())
            stages[-1][2] = max(stages[-1][2], total)
            if total > peak[0]:
                peak[:] = [total, {f"{pid} {treepeak._name(pid)}": mb for pid, mb in sizes.items() if mb}]
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for line in proc.stdout:
        stages.append([line.strip(), time.perf_counter() - started, 0.0])
    errors = proc.stderr.read()
    proc.wait()
    sampler.join()
    script.unlink()
    if proc.returncode:
        raise SystemExit(f"brief build failed in {root}:\n{errors[-2000:]}")
    return [tuple(s) for s in stages], peak[0], peak[1]


if __name__ == "__main__":
    found, top, at_top = measure(Path(sys.argv[1]).resolve(), pdf="--pdf" in sys.argv)
    print("| stage | started at | highest, all processes |\n|---|---|---|")
    for stage, at, highest in found:
        print(f"| {stage} | {at:.0f} s | {highest:,.0f} MB |")
    print(f"\npeak {top:,.0f} MB: " + ", ".join(f"{name} {mb:,.0f} MB" for name, mb in at_top.items()))
