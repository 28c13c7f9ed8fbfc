"""The pipeline, in one place: load and check the facts, generate pages, build the site, swap it in."""
from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from datetime import datetime, timezone
from pathlib import Path

from generator import apart, disk, provenance
from generator.errors import BriefError, BuildError, Problem, ValidationFailed
from generator.facts import analysis, captures, compare, counting, dataset, markings, parsecache, ranking, revision, sourcing
from generator.facts.dataset import Dataset
from generator.facts.models import KINDS
from generator.outputs import archive, browser, edition, exports, pieces, seal, stixdates
from generator.outputs import pdf as printer  # pdf: also the name of build's flag
from generator.project import History, Project
from generator.site import (budget, charts, content, describe, engine, figures, fragments, htmlcheck, pagestore, plan,
                            present, render, reuse, whatchanged, writer)

ASSETS = Path(__file__).parent / "assets"
FONTS = ASSETS / "vendor" / "fonts"  # the only fonts the site and the PDFs use


@dataclass(frozen=True)
class Build:
    """Everything one build works from, made once and passed to each step."""

    project: Project
    data: Dataset
    links: plan.Links
    history: History
    csv_bom: bool = False  # exports' CSV files start with a byte-order mark (for spreadsheets on Windows)

    @property
    def epoch(self) -> int:
        return self.history.epoch


@dataclass(frozen=True)
class Result:
    """What a build did."""

    pages: int
    changed: list[str]
    site: Path
    epoch: int
    withheld: markings.Withheld  # the edition's marking and what it left out
    warnings: int = 0  # tradecraft findings in the facts (listed by brief validate and the Sourcing page)
    rendered: int | None = None  # pages the site engine rendered when it started from the last build; None: all


def prepare(project: Project, progress=None, release: str | None = None, *, history: History | None = None,
            memo: dict | None = None, kept: dict | None = None, copies: markings.Copies | None = None) -> Build:
    """Load and check the facts (raising ValidationFailed with every problem), keep only those cleared for the
    release label (default: all, marked with the highest marking present), and read the git history once.

    brief build and brief serve both start here: the folders they write are checked to be the brief's own first.
    The preview passes the history it shows, its kept fact files (see dataset.load) and the last release's copies
    of marked facts (see markings.Copies).
    """
    disk.refuse_links(project.root, project.owned)
    cache = parsecache.ParseCache(project.root, project.work) if memo is None else None  # the preview keeps its own
    full = dataset.load(project.data, progress=progress, memo=memo, kept=kept, cache=cache)
    check_captures(project, full)
    data, _ = markings.release(full, release, owned=memo is None,  # the preview's memo keeps the facts it loaded
                               copies=copies)
    return Build(project, data, plan.Links(data), history or project.history())


def check_captures(project: Project, data: Dataset) -> None:
    """Every capture of every source read against its recorded hash (once per change of the file); raises
    ValidationFailed listing each capture that is missing, altered, damaged or dated after the edition."""
    hashes = captures.load_hashes(project.work)
    problems = [p for p in captures.check(data, project.root, hashes) if p.severity == "error"]
    if problems:
        raise ValidationFailed(problems)
    captures.save_hashes(project.root, project.work, hashes)


def build(project: Project, **options) -> Result:
    """Validate, generate and build the whole brief (or its release at a label), one build at a time; the old site
    stays until the new one is complete. With pdf, its PDFs too (full: the complete reference as well); with encrypt
    (a passphrase), every page and data file is sealed under it."""
    with disk.lock(project.root, "build"):
        try:
            return _build(project, **options)
        except PermissionError as err:
            raise BuildError(f"{err.filename or project.site}: cannot write ({err.strerror}), expected folders "
                             "brief build may write; the published site is unchanged") from None


def _build(project: Project, *, strict: bool = True, findings_fatal: bool = False, pdf: bool = False, full: bool = False,
           progress=None, release: str | None = None, csv_bom: bool = False, encrypt: str | None = None) -> Result:
    say = progress or (lambda message: None)
    if pdf:
        browser.find_chromium()  # fail before any work when the PDF cannot be printed
    docs = partial(_docs, project, release=release, csv_bom=csv_bom, findings_fatal=findings_fatal, pdf=pdf, full=full)
    # Many facts are loaded and the pages written in a process of their own, which gives all their memory back when it
    # ends, before the site engine starts; the printed edition reads the facts after the engine, so they stay here.
    run, changed, pages, extra, warnings = (apart.call(partial(docs, light=True), say) if not pdf and
                                            _fact_files(project.data) >= APART_FROM else docs(say))
    rendered = publish(run, extra, strict=strict, pdf=pdf, full=full, encrypt=encrypt, say=say, pages=pages,
                       changed=changed)
    return Result(pages, changed, project.site, run.epoch, run.data.withheld, warnings, rendered)


APART_FROM = 5_000  # fact files: from this many, the facts are loaded and the pages written in a process of their own


def _fact_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def _docs(project: Project, say, *, release, csv_bom: bool, findings_fatal: bool, pdf: bool, full: bool,
          light: bool = False) -> tuple[Build, list[str], int, dict, int]:
    """Load and check the facts, write the docs tree and the engine's files: the build, what changed, the number of
    pages, what the theme shows and the number of tradecraft findings. light: the build holds only what publishing
    reads of the facts (see Dataset.kept_for_publishing)."""
    run = replace(prepare(project, progress=say, release=release), csv_bom=csv_bom)
    if light:  # a process of its own, ending with the pages: the facts it loaded live until then, and the collector
        gc.freeze()  # need never go over them again (nor touch their memory in the copies forked from it)
    problems, warnings = sourcing.checked(run.data, [], strict=findings_fatal)
    if problems:
        raise ValidationFailed(problems)
    say(f"generating pages from {sum(len(run.data.of_kind(k)) for k in KINDS)} facts")
    changed, pages = write_docs(run, project.docs, say=say)
    extra = site_extra(run, pdf=pdf, full=pdf and full)
    write_engine_files(project, extra)
    if light:
        captures_of(run)
        run = replace(run, data=run.data.kept_for_publishing([CAPTURES]), links=None)
    return run, changed, pages, extra, len(warnings)


def publish(run: Build, extra: dict, *, strict: bool = True, pdf: bool = False, full: bool = False,
            encrypt: str | None = None, say=lambda message: None, pages: int = 0,
            changed: list[str] | None = None) -> int | None:
    """Build the generated docs into a fresh folder, then put it in place of site/ in one step. The build starts
    from a copy of the published site when that is the last build of the same settings (see site/reuse.py);
    returns the number of pages rendered then, or None for a whole build. changed: the docs files changed since the
    last build, when known (few, and the site engine runs in this process; files other than pages among them are
    not copied from the last site, as the engine copies them again)."""
    project = run.project
    stage = writer.staging_dir(project.site)
    settings = reuse.settings(project.engine_config, project.docs, epoch=run.epoch, strict=strict)
    try:
        reused = (not encrypt and fragments.theme_index_kept(project.work, project.site)
                  and reuse.start(project.work, project.site, stage, settings,
                                  fresh=frozenset(rel for rel in changed or () if not rel.endswith(".md")),
                                  linked=frozenset({fragments.FOLDER})))
        last_index = fragments.put_back_theme_index(project.work, stage) if reused else None
        say(f"building the site from {pages} pages" + (", starting from the last build's" if reused else ""))
        watch = htmlcheck.Watch(stage, project.engine_config)  # reads the pages as the engine writes them
        few = bool(reused) and changed is not None and len(changed) < engine.FEW_CHANGED
        built = engine.build(project.engine_config, stage, strict=strict, epoch=run.epoch, reuse=reused, here=few,
                             pages=getattr(say, "pages", None), watch=watch)  # a terminal's progress counts pages
        say(f"checking the HTML of {pages if built.rendered is None else built.rendered} pages")
        htmlcheck.check_site(stage, built.scripts, project.engine_config, built.kept, watch)
        theme_index = None
        if not encrypt:  # a sealed edition keeps the theme's search, sealed with its pages
            say("indexing the pages for search")
            theme_index = fragments.publish(stage, last_index)
        kept = captures_of(run)
        archive.place(kept, project.root, project.work, stage, viewer=not encrypt)  # sealed captures cannot replay
        if pdf:
            say("printing the PDF")
            print_pdfs(run, extra, stage, built.nav, full=full)
        if encrypt:
            say("sealing every page and file of the brief")
            seal.seal_site(stage, encrypt, brief_files(project) | {c.site_path for c in kept if c.site_path})
            htmlcheck.check_site(stage, [seal.UNLOCK_SCRIPT], project.engine_config)
        say("putting the new site in place")
        reuse.forget(project.work)  # from here the record may no longer describe what is at site/
        writer.swap(stage, project.site)
        if not encrypt:
            fragments.keep_theme_index(project.root, project.work, theme_index)
            reuse.record(project.work, project.site, settings)
    finally:
        writer.discard(stage)
    return built.rendered


def brief_files(project: Project) -> set[str]:
    """The site's files that come from the brief and are not pages: the exports and the files of content/ (every
    generated file but the Markdown and intelbrief's own assets, which are the same in every brief)."""
    ours = set(assets())
    return {rel for p in project.docs.rglob("*") if p.is_file()
            and not (rel := p.relative_to(project.docs).as_posix()).endswith(".md") and rel not in ours}


def print_pdfs(run: Build, extra: dict, stage: Path, nav: list[str], *, full: bool) -> None:
    """The distribution edition (brief.pdf) and, when asked, the complete reference (brief-full.pdf) into stage."""
    if full:
        cover = {**extra, "subtitle": run.data.brief.subtitle, "theme_css": _theme_css(stage),
                 "cutoff": present.day(analysis.cutoff(run.data)),
                 "printed": _printed(datetime.fromtimestamp(run.epoch, tz=timezone.utc))}
        printer.render(stage, nav, cover, stage / printer.FULL_NAME, run.epoch)
    compared = previous(run)  # the comparison the What changed page was made from, not read again
    if compared["unreadable"]:  # the site says so on its What changed page; a printed edition is not made without it
        raise BriefError(compared["unreadable"])
    context = edition.Context(
        marking=run.data.brief.tlp, revision=extra["revision"], revision_date=extra["revision_date"],
        made_with=extra["intelbrief"],
        previous=compared["previous"] or run.data.brief.previous_edition, changes=compared["report"],
        full_record=edition.full_record(published_at(run, engine.site_url(run.project.engine_config)), full))
    edition.print_edition(run.data, context, stage / printer.PDF_NAME, run.epoch)


def published_at(run: Build, site_url: str | None) -> str | None:
    """The site address a printed edition may send its reader to: only the site this same edition is published as
    (the label brief.yml's publish names), never a public release from a fuller edition's PDF."""
    published = run.data.brief.publish
    return site_url if site_url and published and run.data.withheld.label == published else None


def _printed(moment: datetime) -> str:
    """When a copy was printed, in the reader's date style: '16 Dec 2024 00:00 UTC'."""
    return f"{present.day(moment.date())} {moment:%H:%M} UTC"


def _theme_css(stage: Path) -> str:
    found = sorted((stage / "assets" / "stylesheets").glob("main.*.min.css"))
    return found[0].name if found else "main.css"


def write_engine_files(project: Project, extra: dict) -> bool:
    """The theme overrides, the engine hooks and the complete engine configuration; True when any changed."""
    changed = bool(writer.sync(overrides(), project.work / "overrides"))
    changed = bool(writer.sync(_files(ASSETS / engine.HOOKS_DIR), project.work / engine.HOOKS_DIR)) or changed
    config = engine.config_file(f"../{project.config.name}", site_name=extra["title"], extra={"brief": extra})
    return writer.put(project.engine_config, config) or changed


def site_extra(run: Build, *, pdf: bool = False, full: bool = False) -> dict:
    """What the theme shows on every page: the marking, the edition, the data revision, the PDFs."""
    brief, history = run.data.brief, run.history
    return {"title": brief.title, "tlp": brief.tlp, "edition": present.day(brief.edition),
            "revision": history.commit or "not under version control", "revision_date": history.date, "pdf": pdf,
            "pdf_full": full, "intelbrief": provenance.describe()}


def generate(run: Build, env=None, memo=None, data_files_too: bool = True, say=lambda message: None) -> dict[str, bytes]:
    """Every file of the docs tree, as bytes, from the facts, the templates and content/.

    The live preview passes its kept Jinja environment and page memo, and writes the data files after the pages.
    """
    data = (lambda env, shared: data_files(run, env, shared, say).items()) if data_files_too else None
    return dict(_generated(run, env, memo, data, say))


def write_docs(run: Build, docs: Path, say=lambda message: None) -> tuple[list[str], int]:
    """Write the docs tree as generate makes it, each file as soon as it is made (the exports piece by piece), so
    that no more than one page is held; as writer.sync, unchanged files keep their times. Returns what changed and
    the number of pages (Markdown files).

    Where the facts are many, but few enough to be copied (ALONGSIDE), two forked copies of this process work beside
    it, on the other core: one writes the exports, the other the pages that list facts one by one (plan.fact_pages),
    while this one writes the pages that sum them up. The Data page, which gives the exports' sizes, waits for them;
    the tree is the same as when one process writes it all.

    A page that reads nothing summed up from all flights is taken as the last build wrote it when nothing it is made
    from changed (a pagestore.Store, kept in the work folder; the copy's pages are recorded with this process's)."""
    _own_files(run.project.root, run.project.templates)  # no copy reads a template before its links are judged
    shared = _shared(run)
    counting.records(run.data)  # the counting index every process asks, made once before any copy is forked
    tree = writer.Tree(docs)
    pages = 0
    store = _store(run, docs, shared)
    with ExitStack() as beside:
        if _alongside(run):
            exporting = beside.enter_context(apart.Started(partial(_exports_apart, run, tree), "writing the exports"))
            plan.sourcing_context(run.data)  # the Sourcing page's values, which the assessment pages read too: made once
            listing = beside.enter_context(apart.Started(partial(_fact_pages_apart, run, tree, shared, store),
                                                         "writing the pages of facts"))
            data, planned = partial(_data_page_after, run, tree, exporting, say), plan.summary_pages(run.data, run.links)
        else:
            listing, data, planned = None, partial(_write_data_files, run, tree, say), None
        for rel, body in _generated(run, None, None, data, say, shared, planned, store):
            tree.put(rel, body)
            pages += rel.endswith(".md")
        if listing:
            *done, listed = listing.result(say)
            pages += _taken_in(tree, done)
            store.new.update(listed)
    store.save()
    return tree.finish(), pages


def _store(run: Build, docs: Path, shared: dict) -> pagestore.Store:
    """The pages the last build kept, for this build's generation into docs."""
    return pagestore.Store(run.project.root, run.project.work, docs, pieces.code_version(), data=run.data,
                           links=run.links, shared=shared, templates=run.project.templates,
                           kept_names=set(present.SCALES))


ALONGSIDE = range(500, 30_001)  # facts: fewer gain nothing from a second core; more, and the copies would hold
# too much memory again


def _alongside(run: Build) -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1  # not macOS's
    return hasattr(os, "fork") and cores > 1 and sum(len(run.data.of_kind(k)) for k in KINDS) in ALONGSIDE


def _exports_apart(run: Build, tree: writer.Tree, say) -> tuple[list[exports.Export], set[str], set[str]]:
    """The exports written into the tree, in a forked copy: what they are, and the tree's files given and written
    (the copy's own tree keeps them, so they go back to the calling process's)."""
    found = _write_exports(run, tree, say)
    return found, tree.given, tree.written


def _fact_pages_apart(run: Build, tree: writer.Tree, shared: dict, store: pagestore.Store,
                      say) -> tuple[set[str], set[str], dict]:
    """The pages listing facts one by one (plan.fact_pages) rendered, or taken from the pages kept, and written into
    the tree, in a forked copy: the tree's files given and written, and the pages to keep for the next build."""
    env = render.environment([run.project.templates], {})
    for page in plan.fact_pages(run.data, run.links, run.data.bases):
        body = store.render(page, plan.page_context(page, run.links, shared), partial(page_text, env, page.template))
        body = body.encode()
        budget.check(page.path, body, run.data)
        tree.put(page.path, body)
    return tree.given, tree.written, store.new


def _taken_in(tree: writer.Tree, done: tuple[set[str], set[str]]) -> int:
    """A copy's files counted in this process's tree; the number of pages among them."""
    given, written = done
    tree.given |= given
    tree.written |= written
    return sum(rel.endswith(".md") for rel in given)


def _data_page_after(run: Build, tree: writer.Tree, exporting: apart.Started, say, env,
                     shared: dict) -> list[tuple[str, bytes]]:
    """The Data page, once the copy writing the exports has finished; its files counted in this process's tree."""
    found, *done = exporting.result(say)
    _taken_in(tree, done)
    return [("data.md", data_page(run, env, shared, found))]


def _shared(run: Build) -> dict:
    """What every page's template may use beside its own context (plan.shared_context), with the captures."""
    report = previous(run)["report"]
    return {**plan.shared_context(run.data, ranking.shifts(report.before, report.after) if report else None),
            "captures": archive.by_source(captures_of(run))}


def _generated(run: Build, env, memo, data_files, say, shared: dict | None = None,
               pages: list[plan.Page] | None = None, store: pagestore.Store | None = None) -> Iterator[tuple[str, bytes]]:
    """The files of the docs tree one at a time: the generated pages (these pages, when the others are written
    elsewhere; taken from the store when they are kept there), the hand-written ones, the Data page and the exports
    that data_files(env, shared) gives (None: left out), and the site's own assets."""
    project, links = run.project, run.links
    compared = previous(run)
    _own_files(project.root, project.templates)
    shared = shared or _shared(run)
    env = env or render.environment([project.templates], {})
    if memo:
        memo.start(run.data, links, shared)
    # the preview's first pass after flights changed draws only the pages listing facts one by one, the rest later
    partly = memo is not None and memo.only_changed_facts
    planned = [*(plan.fact_pages(run.data, links, memo.changed_ends) if partly else
                 plan.plan(run.data, links) if pages is None else pages), changes_page(compared)]
    handwritten = [p.relative_to(project.content).as_posix() for p in _own_files(project.root, project.content)]
    kept = memo.keep_others({page.path for page in planned} | set(handwritten)) if partly else []
    fact_pages = set(links.pages.values())  # written here or by a copy beside this process
    writer.refuse_overlap({page.path for page in planned} | {path for path, _ in kept} | fact_pages, set(handwritten))
    keeper = memo or store  # the preview's memo, or the pages kept by the last build
    for page in planned:
        context = plan.page_context(page, links, shared)
        draw = partial(page_text, env, page.template)
        body = (keeper.render(page, context, draw) if keeper else draw(context)).encode()
        budget.check(page.path, body, run.data)
        yield page.path, body
    for path, text in kept:
        yield path, text.encode()
    for rel in handwritten:
        raw = (project.content / rel).read_bytes()
        if rel.endswith(".md"):  # its own words are its page's context: the preview draws it again when they change
            page = plan.Page(rel, f"content/{rel}", {"markdown": raw})
            context = plan.page_context(page, links, shared)
            draw = partial(_content_text, raw, f"content/{rel}")
            raw = (memo.render(page, context, draw) if memo else draw(context)).encode()
        yield rel, raw
    if data_files:
        say("writing the data exports and the Data page")
        yield from data_files(env, shared)
    yield from assets().items()


def _content_text(raw: bytes, name: str, context: dict) -> str:
    """A hand-written page's Markdown, with a description from its first paragraph in its front matter."""
    text = content.render(raw.decode("utf-8"), context, name)
    return describe.described(text, describe.first_paragraph(text))


def data_files(run: Build, env, shared: dict, say=lambda message: None) -> dict[str, bytes]:
    """The exports (JSON, CSV, GeoJSON, STIX) and the Data page that links them."""
    found = exports.exports(run.data, run.epoch, times=stix_times(run, say), csv_bom=run.csv_bom)
    return {"data.md": data_page(run, env, shared, found), **{e.path: e.body for e in found}}


def _write_data_files(run: Build, tree: writer.Tree, say, env, shared: dict) -> list[tuple[str, bytes]]:
    """The exports written into the tree piece by piece; the Data page that links them, to be put there."""
    return [("data.md", data_page(run, env, shared, _write_exports(run, tree, say)))]


def _write_exports(run: Build, tree: writer.Tree, say) -> list[exports.Export]:
    with pieces.Pieces(run.project.root, run.project.work) as kept:  # each flight's parts, made again only when changed
        return exports.write_exports(run.data, tree.open, run.epoch, times=stix_times(run, say), csv_bom=run.csv_bom,
                                     kept=kept)


def data_page(run: Build, env, shared: dict, found: list[exports.Export]) -> bytes:
    """The Data page: each export with its title, what it holds and its size."""
    page = plan.Page("data.md", "data.md.j2", {"exports": found, "schema": exports.SCHEMA})
    return page_text(env, page.template, plan.page_context(page, run.links, shared)).encode()


def page_text(env, template: str, context: dict) -> str:
    """A generated page's Markdown, with a description of what it shows in its front matter."""
    text = render.render_template(env, template, context)
    return describe.described(text, describe.description(template, context, text))


def stix_times(run: Build, say=lambda message: None) -> dict:
    """The STIX objects' times from git history, keeping the ledger in the work folder for the next build."""
    kept = run.project.work / "stix-dates.json"
    try:
        ledger = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ledger = None
    times, ledger = stixdates.times(run.project.root, run.data, run.epoch, ledger, say)
    if ledger:
        disk.keep(run.project.root, kept, json.dumps(ledger, sort_keys=True).encode())
    return times


def previous(run: Build) -> dict:
    """The comparison with the previous edition, from the same code as brief diff, against the loaded facts: made
    once per build for the What changed page, the ranking of the bottom line and the printed edition."""
    return run.data.remember(("previous edition",), partial(_compared, run))


def _compared(run: Build) -> dict:
    setting = run.data.brief.previous_edition
    found = revision.previous_edition(run.project.root, setting)
    report, unreadable = None, None
    try:
        report = compare.since(run.project.root, found, run.data, present.fact_summary) if found else None
    except BriefError as err:  # the old edition cannot be read: say so, and build the rest
        unreadable = str(err)
    return {"previous": found, "report": report, "setting": setting, "unreadable": unreadable}


def captures_of(run: Build) -> list:
    """The captures the site publishes copies of, listed once per build (the Sources page and the copies placed)."""
    return run.data.remember(CAPTURES, partial(archive.copies, run.data, run.project.root))


CAPTURES = ("published captures",)


def changes_page(compared: dict) -> plan.Page:
    """What changed since the previous edition: the changes ranked by consequence and in words, then fact by fact."""
    report = compared["report"]
    ranked = whatchanged.records(report) if report is not None else []
    return plan.Page("changes.md", "changes.md.j2", {**compared, "shown": compare.value_text, "ranked": ranked,
                                                     "field_change": whatchanged.field_change})


def _own_files(root: Path, folder: Path) -> list[Path]:
    """The regular files of a folder the site is made from (content/, templates/), refusing every link that does not
    lead to a regular file inside that same folder: a link must not publish data/, .git/ or anything else."""
    found, refused = disk.scan(root, folder)
    named = {p.file for p in refused}
    refused += [p for p in _links_out(root, folder) if p.file not in named]
    disk.refuse(sorted(refused))
    return found


def _links_out(root: Path, folder: Path) -> list[Problem]:
    """A problem for the folder itself when it is a link, and for each link under it that leads out of it or to a
    folder (links are not followed while looking)."""
    inside = folder.resolve()
    found = []
    for path in ([folder] if folder.is_symlink() else
                 [p for p in folder.rglob("*") if p.is_symlink()] if folder.is_dir() else []):
        target, shown = os.readlink(path), path.relative_to(root).as_posix()
        if path == folder:
            found.append(Problem(shown, 1, 1, "", f"is a symbolic link (to {target}), expected the folder itself",
                                 code="symlink-outside"))
        elif path.is_dir():
            found.append(Problem(shown, 1, 1, "", f"symbolic link to {target} leads to a folder, expected a link to a "
                                 f"file inside {folder.name}/", code="symlink-outside"))
        elif not path.resolve().is_relative_to(inside):
            found.append(Problem(shown, 1, 1, "", f"symbolic link to {target} leads outside {folder.name}/, expected a "
                                 f"link to a file inside {folder.name}/", code="symlink-outside"))
    return found


def assets() -> dict[str, bytes]:
    """The site's own scripts, styles, plotly.js and base map: one copy each."""
    folder = ASSETS / "brief"
    files = {f"assets/brief/{p.name}": p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    files["assets/brief/plotly.min.js"] = charts.plotly_js().read_bytes()
    files["assets/brief/iframe-worker-shim.js"] = (ASSETS / "vendor" / "iframe-worker-shim.js").read_bytes()
    files.update({f"assets/brief/fonts/{p.name}": p.read_bytes() for p in sorted(FONTS.iterdir()) if p.is_file()})
    files["assets/brief/topojson/world_110m.json"] = (ASSETS / "vendor" / "world_110m.json").read_bytes()
    files["assets/brief/world_110m.js"] = charts.world_map_js()
    return files


def overrides() -> dict[str, bytes]:
    """The theme overrides: the marking banner, the provenance line and the 404 page."""
    return _files(ASSETS / "overrides")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
