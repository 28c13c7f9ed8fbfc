"""Live preview: regenerate the docs tree when facts, templates or content change; MkDocs serves it.

Only pages whose bytes changed are rewritten, so the site engine's own watcher rebuilds what it must
and the browser reloads.
"""
from __future__ import annotations

import sys
import threading
import time

from generator import build


from generator.site import engine, writer
from generator.errors import BriefError, ValidationFailed
from generator.project import Project

WATCHED = ("data", "templates", "content")


def regenerate(project: Project) -> list[str]:
    """Bring .brief/docs up to date with the sources; returns the files that changed."""
    run = build.prepare(project)
    build.write_engine_files(project, build.site_extra(run))
    return writer.sync(build.generate(run), project.docs)


def _report(project: Project) -> None:
    started = time.monotonic()
    try:
        changed = regenerate(project)
    except ValidationFailed as err:
        print(err.report(), file=sys.stderr)
        return
    except BriefError as err:
        print(f"error: {err}", file=sys.stderr)
        return
    took = time.monotonic() - started
    print(f"regenerated {len(changed)} file(s) in {took:.2f}s" if changed else "no page changed", file=sys.stderr)


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    regenerate(project)
    pending = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event):
            if not event.is_directory:
                pending.set()

    def worker():
        while True:
            pending.wait()
            time.sleep(0.2)  # let an editor finish saving
            pending.clear()
            _report(project)

    observer = Observer()
    for name in WATCHED:
        if (project.root / name).is_dir():
            observer.schedule(OnChange(), str(project.root / name), recursive=True)
    observer.start()
    threading.Thread(target=worker, daemon=True).start()
    try:
        engine.serve(project.engine_config, host, port)
    finally:
        observer.stop()
