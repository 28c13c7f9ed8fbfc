"""One benchmark stage, run in its own process: prints the seconds it took (interpreter start excluded)."""
import json
import sys
import time
from pathlib import Path


def floor(root: Path) -> None:
    import yaml

    for path in sorted((root / "data").rglob("*.yml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def load(root: Path) -> None:
    from generator.facts import dataset

    dataset.load(root / "data")


def generate(root: Path) -> dict:
    from generator import build
    from generator.project import Project

    project = Project(root)
    run = build.prepare(project)
    started = time.perf_counter()
    build.write_docs(run, project.docs)
    build.write_engine_files(project, build.site_extra(run))
    return {"generation": time.perf_counter() - started}


def engine(root: Path) -> None:
    from generator.project import Project
    from generator.site import engine

    project = Project(root)
    engine.build(project.engine_config, root / "site-engine-only")


def full(root: Path) -> dict:
    """A whole `brief build`: nothing kept from an earlier build's site."""
    import shutil

    from generator.project import Project
    from generator.site import reuse

    project = Project(root)
    shutil.rmtree(project.site, ignore_errors=True)
    reuse.forget(project.work)
    return _build_by_stage(project)


def rebuild(root: Path) -> dict:
    """`brief build` after one flight's summary changed since the last build (which full left in place)."""
    import re

    from generator.project import Project

    flight = min((root / "data" / "flights").rglob("*.yml"))
    text = re.sub(r"(?m)^summary: .*\n", "", flight.read_text(encoding="utf-8"))
    flight.write_text(f"summary: Benchmark edit {time.time_ns()}\n" + text, encoding="utf-8")
    return _build_by_stage(Project(root))


def resized_rebuild(root: Path) -> dict:
    """`brief build` after one flight's summary changed, in length too (so the Data page's sizes change with it)."""
    import re

    from generator.project import Project

    flight = min((root / "data" / "flights").rglob("*.yml"))
    text = flight.read_text(encoding="utf-8")
    last = re.search(r"(?m)^summary: Benchmark edit(!*)$", text)
    marks = (len(last.group(1)) % 8 + 1) if last else 1  # never the same as the last run's: every run is an edit
    text = re.sub(r"(?m)^summary: .*\n", "", text)
    flight.write_text(f"summary: Benchmark edit{'!' * marks}\n" + text, encoding="utf-8")
    return _build_by_stage(Project(root))


def _build_by_stage(project) -> dict:
    """Run brief build, timing each stage from one progress message to the next (a stage run twice, as a build
    that shows its pages first runs the site engine again for its exports, is timed as its first run), and the
    seconds until the new pages were in place ("shown")."""
    import re

    from generator import build

    marks = [("start", time.perf_counter())]
    result = build.build(project, progress=lambda message: marks.append((message, time.perf_counter())))
    marks.append(("end", time.perf_counter()))
    names = [re.sub(r"\d+", "N", said).removesuffix(", starting from the last build's") for said, _ in marks]
    stages: dict = {}
    for name, (_, at), (_, after) in zip(names[1:], marks[1:], marks[2:]):
        stages.setdefault(name, after - at)
    placed = names.index("putting the new site in place") + 1
    return {"stages": stages, "rendered": result.rendered, "shown": marks[placed][1] - marks[0][1]}


if __name__ == "__main__":
    stage, folder = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    started = time.perf_counter()
    extra = globals()[stage](folder) or {}
    print(json.dumps({"seconds": time.perf_counter() - started, **extra}))
