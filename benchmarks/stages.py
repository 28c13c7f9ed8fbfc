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
    from generator.site import writer

    project = Project(root)
    run = build.prepare(project)
    started = time.perf_counter()
    files = build.generate(run)
    writer.sync(files, project.docs)
    build.write_engine_files(project, build.site_extra(run))
    return {"generation": time.perf_counter() - started}


def engine(root: Path) -> None:
    from generator.project import Project
    from generator.site import engine

    project = Project(root)
    engine.build(project.engine_config, root / "site-engine-only")


def full(root: Path) -> None:
    from generator import build
    from generator.project import Project

    build.build(Project(root))


if __name__ == "__main__":
    stage, folder = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    started = time.perf_counter()
    extra = globals()[stage](folder) or {}
    print(json.dumps({"seconds": time.perf_counter() - started, **extra}))
