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


def edit(root: Path) -> dict:
    """Change one flight file, regenerate and rebuild the changed pages, as the live preview does after a save."""
    from generator.tools import serve
    from generator.project import Project

    preview = serve.Preview(Project(root))
    preview.refresh()
    flight = sorted((root / "data" / "flights").rglob("*.yml"))[len(list((root / "data" / "flights").rglob("*.yml"))) // 2]
    flight.write_text(flight.read_text().replace("basis: tracked", "basis: reported").replace(
        "basis: inferred", "basis: tracked"), encoding="utf-8")
    started = time.perf_counter()
    changed = preview.regenerate().files
    regenerated = time.perf_counter()
    preview.site.rebuild(changed)  # the preview's site engine then rebuilds the changed pages
    return {"edit_to_regenerated": regenerated - started, "files_rewritten": len(changed),
            "edit_to_rebuilt": time.perf_counter() - started}


if __name__ == "__main__":
    stage, folder = sys.argv[1], Path(sys.argv[2])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    started = time.perf_counter()
    extra = globals()[stage](folder) or {}
    print(json.dumps({"seconds": time.perf_counter() - started, **extra}))
