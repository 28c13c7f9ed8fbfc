"""Live preview: after each save, regenerate what changed, rebuild only those pages and reload the browser.

A validation or template error is shown in the terminal and as a banner above the last good pages,
which stay served until the sources are fixed.
"""
from __future__ import annotations

import dataclasses
import gc
import sys
import threading
import time
from pathlib import Path

from generator import build, disk, words
from generator.errors import BriefError, BuildError, ValidationFailed
from generator.facts import counting, markings
from generator.outputs import archive
from generator.project import Project
from generator.site import engine, htmlcheck, memo, plan, present, render, writer
from generator.tools import liveserver

WATCHED = ("data", "templates", "content")  # folders; the project's mkdocs.yml is watched too
CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # watcher events that can change a file
SETTLE_SECONDS = 0.05  # an editor's save is often a few events: wait until they stop
SWITCH_SECONDS = 0.0005  # how long a thread runs before another may take the interpreter (Python: 5 ms)


class Preview:
    """The preview of one brief: its generated tree, its built site and what the server shows."""

    def __init__(self, project: Project, say=None):
        self.project = project
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.site = engine.Preview(project.engine_config, project.preview, check=self._check)
        self.live = liveserver.Live()
        self.parsed: dict = {}  # parsed fact files by path, reused while their bytes stay the same
        self.read: dict = {}  # fact files' bytes by path, read again only when their size or times change
        self.copies = markings.Copies()  # the facts as marked, the same objects while their files do not change
        self.env = render.environment([project.templates], {})  # compiled templates, reloaded when edited
        self.pages = memo.Memo(project.templates, set(present.SCALES))  # rendered pages, reused when unchanged
        self.data_files: dict[str, bytes] = {}  # the Data page and exports, written after the other pages
        self.run: build.Build | None = None
        found = project.history()  # read once: the preview shows the working tree, whatever git says later
        commit = f"{found.commit.split('+')[0]} + working tree (preview)" if found.commit else "working tree (preview)"
        self.history = dataclasses.replace(found, commit=commit)

    def refresh(self, *, settings_changed: bool = False) -> str:
        """Bring the served site up to date with the sources, holding the brief's build lock; the terminal's lines.

        The pages come first and open pages reload; the exports and the Data page follow.
        """
        started = time.monotonic()
        try:
            with disk.lock(self.project.root, "build", waiting=self._waiting):
                return self._refresh(settings_changed, started)
        except ValidationFailed as err:
            self.live.publish([str(p) for p in err.problems])
            return err.report().replace("nothing was written.", "the last good pages stay served.")
        except BriefError as err:
            self.live.publish([str(err)])
            return f"error: {err}"

    def _refresh(self, settings_changed: bool, started: float) -> str:
        whole = settings_changed or not self.site.whole
        self.pages.deferring = not whole  # pages summing up all flights wait for the second pass
        changes = self.regenerate(data_files=whole)
        whole = whole or changes.settings
        if whole:
            self.live.base = engine.published_path(self.project.engine_config)
        warnings = self.site.rebuild_all() if whole else self._rebuild(changes.files)
        with self.live.writing():  # the captures' published copies, beside the pages that list them
            archive.place(archive.copies(self.run.data, self.project.root), self.project.root, self.project.work,
                          self.project.preview)
        self.live.publish([], liveserver.ALL if whole else _site_pages(changes.files))
        shown, reused, deferred = time.monotonic() - started, self.pages.reused, self.pages.deferred
        if whole:
            self.site.warm()  # for the next save's dirty build
        later = [] if whole else self._second_pass()
        warnings += self._rebuild(later)
        self.live.publish([], _site_pages(later))
        pages = sum(1 for p in [*changes.files, *later] if p.endswith(".md"))
        what = "rebuilt the whole site" if whole else f"rebuilt {words.counted(pages, 'page')}" if changes.files or later else "no page changed"
        kept = f", {words.counted(reused, 'page')} reused" if reused else ""
        kept += f", then {words.counted(deferred, 'page')} of totals" if deferred else ""
        lines = [f"{what} in {time.monotonic() - started:.2f}s (pages shown after {shown:.2f}s{kept})"]
        return "\n".join([*lines, *(f"  warning: {w}" for w in warnings)])

    def _rebuild(self, files: list[str]) -> list[str]:
        """A dirty build of these docs files (and of pages refused before), while the server holds back the pages it
        writes."""
        if not files and not self.site.refused:
            return []
        return self.site.rebuild(files, holding=self.live.writing)

    def _check(self, site: Path, pages: list[str], scripts: list[str]) -> None:
        """The safety check of a build, on the pages it wrote: a refused page is never served."""
        problems = htmlcheck.check_pages(site, pages, scripts, self.project.engine_config)
        if problems:
            raise BuildError("the rebuilt pages failed the safety check, so the last good pages stay served:\n"
                             + htmlcheck.listed(problems))

    def _waiting(self) -> None:
        self.say("waiting for another build in this brief to finish")

    def regenerate(self, *, data_files: bool = True) -> Changes:
        """Bring the generated tree up to date with the sources (the data files too, or as they were); what changed."""
        before = self.run
        self.run = build.prepare(self.project, history=self.history, memo=self.parsed, kept=self.read,
                                 copies=self.copies)
        if before is not None:
            counting.follow(before.data, self.run.data)  # the flights unchanged since keep their places and days
        return self._generate(data_files)

    def _generate(self, data_files: bool) -> Changes:
        files = build.generate(self.run, self.env, self.pages, data_files_too=False)
        if data_files or not self.data_files:
            self.data_files = self._data_files()
        changed = writer.sync({**files, **self.data_files}, self.project.docs)
        return Changes(changed, build.write_engine_files(self.project, build.site_extra(self.run)))

    def _second_pass(self) -> list[str]:
        """After the changed pages are shown: the pages of totals that waited, the exports and the Data page."""
        self.pages.deferring = False
        return self._generate(data_files=True).files

    def _data_files(self) -> dict[str, bytes]:
        return build.data_files(self.run, self.env, plan.shared_context(self.run.data))


def _site_pages(files: list[str]):
    """The site paths of the pages built from these docs files (every page when a script or style changed)."""
    if any(not f.endswith(".md") and not f.startswith("data/") for f in files):
        return liveserver.ALL
    return {engine.html_path(f) for f in files if f.endswith(".md")}


@dataclasses.dataclass(frozen=True)
class Changes:
    """What one regeneration changed."""

    files: list[str]  # docs files written or removed
    settings: bool  # the engine configuration or theme overrides: every page must be rebuilt


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000, say=None) -> None:
    """Serve the live preview on host:port until interrupted."""
    # The server's threads answer the browser while the refresh works out the pages of totals in this process: with
    # Python's default switch interval (5 ms) a page asked for after a save often waited for the whole second pass
    sys.setswitchinterval(SWITCH_SECONDS)
    disk.refuse_links(project.root, project.owned)  # as every refresh does (build.prepare), before bind makes a folder
    preview = Preview(project, say)
    say = preview.say
    server = liveserver.bind(host, port, project.preview, preview.live, say)
    say(preview.refresh())
    _settled()
    stop = _watch(project, preview, say)
    say(f"serving the preview on {server.url()} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        stop()
        server.server_close()


def _settled() -> None:
    """Between saves: collect what the last refresh left, then set everything still held (the facts, the pages kept)
    aside from the collector, so that the next save's collections go over only what that save makes. At 10,000
    flights this takes a quarter of a second off the time to the changed page, and costs about as much here, after
    the pages are shown."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _watch(project: Project, preview: Preview, say):
    """Refresh the preview after changes under the watched folders; returns a function that stops watching."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    pending = threading.Event()
    settings = threading.Event()

    class OnChange(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
                return  # reading a file (the preview's own reads too) changes nothing
            paths = [event.src_path, getattr(event, "dest_path", "") or ""]
            if any(Path(p) == project.config for p in paths if p):
                settings.set()
            elif Path(event.src_path).parent == project.root:
                return  # other files beside mkdocs.yml do not make the site
            pending.set()

    def worker():
        while True:
            pending.wait()
            while pending.is_set():
                pending.clear()
                time.sleep(SETTLE_SECONDS)
            whole = settings.is_set()
            settings.clear()
            try:
                say(preview.refresh(settings_changed=whole))
            except Exception as err:  # keep serving the last good pages whatever went wrong
                preview.live.publish([f"internal error: {type(err).__name__}: {err}"])
                say(f"internal error: {type(err).__name__}: {err} (the last good pages stay served)")
            _settled()

    observer = Observer()
    for name in WATCHED:
        if (project.root / name).is_dir():
            observer.schedule(OnChange(), str(project.root / name), recursive=True)
    observer.schedule(OnChange(), str(project.root), recursive=False)
    observer.daemon = True
    observer.start()
    threading.Thread(target=worker, daemon=True).start()
    return observer.stop
