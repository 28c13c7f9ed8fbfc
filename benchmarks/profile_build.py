"""Where a whole `brief build` spends its time and memory, stage by stage: run it in this process, note the resident
memory (now and its peak so far) at each progress message, and with --cprofile the functions that took the time.

    python benchmarks/profile_build.py FOLDER [--cprofile OUT.prof] [--engine-cprofile OUT.prof] [--top N]
                                              [--page-budget MB]

The site is removed first, so the build starts from nothing as `full` in stages.py does. From 200 pages the site
engine runs in a process of its own, which --cprofile does not see: --engine-cprofile then builds the same docs tree
again with the engine in this process under cProfile (into a folder of its own; the theme's search entries are made
there too, as they are when the engine runs in the build's own process).
"""
import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def memory() -> tuple[float, float]:
    """(resident, peak resident) of this process in MB, from /proc."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


class Stages:
    """Progress messages as stages: each one's time, its resident memory at the end and the highest sampled in it."""

    def __init__(self):
        self.marks = [("start", time.perf_counter(), *memory())]
        self.highest = 0.0
        self.stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while not self.stop.wait(0.2):
            self.highest = max(self.highest, memory()[0])

    def __call__(self, message: str) -> None:
        self.marks.append((message, time.perf_counter(), *memory(), self.highest))
        self.highest = 0.0

    def table(self) -> str:
        self.stop.set()
        self("end")
        rows = ["| stage | time | resident at its end | highest in it | peak so far |", "|---|---|---|---|---|"]
        for (name, at, *_), (_, after, rss, hwm, high) in zip(self.marks, self.marks[1:]):
            rows.append(f"| {name} | {after - at:.1f} s | {rss:.0f} MB | {high:.0f} MB | {hwm:.0f} MB |")
        return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--cprofile", type=Path)
    parser.add_argument("--engine-cprofile", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--page-budget", type=int, help="the most one page may weigh, in MB (to measure a brief "
                        "whose largest page is over the build's limit)")
    args = parser.parse_args()
    from generator import build
    from generator.site import budget

    if args.page_budget:
        budget.PAGE_BYTES = args.page_budget * 2**20
    from generator.project import Project
    from generator.site import reuse

    project = Project(args.folder)
    shutil.rmtree(project.site, ignore_errors=True)
    reuse.forget(project.work)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1734307200")
    stages = Stages()
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    build.build(project, progress=stages)
    took = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    print(f"whole build {took:.1f} s; load average {os.getloadavg()[0]:.1f} at the end")
    print(stages.table())
    if profiler:
        import pstats

        for order in ("cumulative", "tottime"):
            pstats.Stats(str(args.cprofile)).sort_stats(order).print_stats(args.top)
    if args.engine_cprofile:
        profile_engine(project, args.engine_cprofile, args.top)


def profile_engine(project, out: Path, top: int) -> None:
    """The site engine alone over the docs tree the build left, in this process under cProfile."""
    import cProfile
    import pstats

    from generator.site import engine

    site = project.work / "engine-profile-site"
    shutil.rmtree(site, ignore_errors=True)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    engine._build(project.engine_config, site, epoch=int(os.environ["SOURCE_DATE_EPOCH"]))
    profiler.disable()
    print(f"site engine alone, under cProfile: {time.perf_counter() - started:.1f} s")
    shutil.rmtree(site, ignore_errors=True)
    profiler.dump_stats(out)
    for order in ("cumulative", "tottime"):
        pstats.Stats(str(out)).sort_stats(order).print_stats(top)


if __name__ == "__main__":
    main()
