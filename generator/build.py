"""The pipeline, in one place: load and check the facts, generate pages, build the site, swap it in."""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from datetime import datetime, timezone
from pathlib import Path

from generator import disk
from generator.errors import BriefError, BuildError, ValidationFailed
from generator.facts import dataset, markings, ranking, sourcing
from generator.facts.dataset import Dataset
from generator.facts.models import KINDS
from generator.outputs import browser, exports
from generator.project import History, Project
from generator.site import budget, content, engine, htmlcheck, plan, present, render, reuse, whatchanged, writer

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


def prepare(project: Project, progress=None, release: str | None = None) -> Build:
    """Load and check the facts (raising ValidationFailed with every problem), keep only those cleared for the
    release label (default: all, marked with the highest marking present), and read the git history once."""
    disk.refuse_links(project.root, (project.work, project.docs, project.work / "overrides",
                                     project.work / engine.HOOKS_DIR, project.site))
    data, _ = markings.release(dataset.load(project.data, progress=progress), release)
    return Build(project, data, plan.Links(data), project.history())


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
    run = replace(prepare(project, progress=say, release=release), csv_bom=csv_bom)
    problems, warnings = sourcing.checked(run.data, [], strict=findings_fatal)
    if problems:
        raise ValidationFailed(problems)
    say(f"generating pages from {sum(len(run.data.of_kind(k)) for k in KINDS)} facts")
    files = generate(run, say=say)
    changed = writer.sync(files, project.docs)
    extra = site_extra(run, pdf=pdf, full=pdf and full)
    write_engine_files(project, extra)
    pages = sum(1 for f in files if f.endswith(".md"))
    rendered = publish(run, extra, strict=strict, pdf=pdf, full=full, encrypt=encrypt, say=say, pages=pages)
    return Result(pages, changed, project.site, run.epoch, run.data.withheld, len(warnings), rendered)


def publish(run: Build, extra: dict, *, strict: bool = True, pdf: bool = False, full: bool = False,
            encrypt: str | None = None, say=lambda message: None, pages: int = 0) -> int | None:
    """Build the generated docs into a fresh folder, then put it in place of site/ in one step. The build starts
    from a copy of the published site when that is the last build of the same settings (see site/reuse.py);
    returns the number of pages rendered then, or None for a whole build."""
    project = run.project
    stage = writer.staging_dir(project.site)
    settings = reuse.settings(project.engine_config, project.docs, epoch=run.epoch, strict=strict)
    try:
        reused = not encrypt and reuse.start(project.work, project.site, stage, settings)
        say(f"building the site from {pages} pages" + (", starting from the last build's" if reused else ""))
        built = engine.build(project.engine_config, stage, strict=strict, epoch=run.epoch, reuse=reused)
        say(f"checking the HTML of {pages if built.rendered is None else built.rendered} pages")
        htmlcheck.check_site(stage, built.scripts, project.engine_config, built.kept)
        if pdf:
            say("printing the PDF")
            print_pdfs(run, extra, stage, built.nav, full=full)
        if encrypt:
            from generator.outputs import seal

            say("sealing every page and data file")
            seal.seal_site(stage, encrypt)
            htmlcheck.check_site(stage, [seal.UNLOCK_SCRIPT], project.engine_config)
        say("putting the new site in place")
        reuse.forget(project.work)  # from here the record may no longer describe what is at site/
        writer.swap(stage, project.site)
        if not encrypt:
            reuse.record(project.work, project.site, settings)
    finally:
        writer.discard(stage)
    return built.rendered


def print_pdfs(run: Build, extra: dict, stage: Path, nav: list[str], *, full: bool) -> None:
    """The distribution edition (brief.pdf) and, when asked, the complete reference (brief-full.pdf) into stage."""
    from generator.outputs import edition, pdf as printer
    from generator.tools import diff

    if full:
        cover = {**extra, "subtitle": run.data.brief.subtitle, "theme_css": _theme_css(stage),
                 "printed": datetime.fromtimestamp(run.epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
        printer.render(stage, nav, cover, stage / printer.FULL_NAME, run.epoch)
    previous = diff.previous_edition(run.project.root, run.data.brief.previous_edition)
    context = edition.Context(
        marking=run.data.brief.tlp, revision=extra["revision"], revision_date=extra["revision_date"],
        previous=previous or run.data.brief.previous_edition,
        changes=diff.since(run.project.root, previous, run.data) if previous else None,
        full_record=edition.full_record(published_at(run, engine.site_url(run.project.engine_config)), full))
    edition.print_edition(run.data, context, stage / printer.PDF_NAME, run.epoch)


def published_at(run: Build, site_url: str | None) -> str | None:
    """The site address a printed edition may send its reader to: only the site this same edition is published as
    (the label brief.yml's publish names), never a public release from a fuller edition's PDF."""
    published = run.data.brief.publish
    return site_url if site_url and published and run.data.withheld.label == published else None


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
            "pdf_full": full}


def generate(run: Build, env=None, memo=None, data_files_too: bool = True, say=lambda message: None) -> dict[str, bytes]:
    """Every file of the docs tree, as bytes, from the facts, the templates and content/.

    The live preview passes its kept Jinja environment and page memo, and writes the data files after the pages.
    """
    project, links = run.project, run.links
    compared = previous(run)
    report = compared["report"]
    shared = plan.shared_context(run.data, ranking.shifts(report.before, report.after) if report else None)
    disk.refuse(disk.scan(project.root, project.templates)[1])
    env = env or render.environment([project.templates], {})
    if memo:
        memo.start(run.data, links, shared)
    files: dict[str, bytes] = {}
    for page in [*plan.plan(run.data, links), changes_page(compared)]:
        context = plan.page_context(page, links, shared)
        draw = partial(render.render_template, env, page.template)
        files[page.path] = (memo.render(page, context, draw) if memo else draw(context)).encode()
        budget.check(page.path, files[page.path], run.data)
    handwritten = _content_files(project)
    writer.refuse_overlap(set(files), set(handwritten))
    for rel, raw in handwritten.items():
        if rel.endswith(".md"):
            context = plan.page_context(plan.Page(rel, ""), links, shared)
            raw = content.render(raw.decode("utf-8"), context, f"content/{rel}").encode()
        files[rel] = raw
    if data_files_too:
        say("writing the data exports and the Data page")
        files.update(data_files(run, env, shared))
    files.update(assets())
    return files


def data_files(run: Build, env, shared: dict) -> dict[str, bytes]:
    """The exports (JSON, CSV, GeoJSON, STIX) and the Data page that links them."""
    times = stix_times(run)
    found = exports.exports(run.data, run.epoch, times=times, csv_bom=run.csv_bom)
    page = plan.Page("data.md", "data.md.j2", {"exports": found, "schema": exports.SCHEMA})
    text = render.render_template(env, page.template, plan.page_context(page, run.links, shared))
    return {"data.md": text.encode(), **{e.path: e.body for e in found}}


def stix_times(run: Build) -> dict:
    """The STIX objects' times from git history, keeping the ledger in the work folder for the next build."""
    import json

    from generator.outputs import stixdates

    kept = run.project.work / "stix-dates.json"
    try:
        ledger = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ledger = None
    times, ledger = stixdates.times(run.project.root, run.data, run.epoch, ledger)
    if ledger:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps(ledger, sort_keys=True), encoding="utf-8")
    return times


def previous(run: Build) -> dict:
    """The comparison with the previous edition, from the same code as brief diff, against the loaded facts: made
    once per generation for the What changed page and the ranking of the bottom line."""
    from generator.tools import diff

    setting = run.data.brief.previous_edition
    found = diff.previous_edition(run.project.root, setting)
    report, unreadable = None, None
    try:
        report = diff.since(run.project.root, found, run.data) if found else None
    except BriefError as err:  # the old edition cannot be read: say so, and build the rest
        unreadable = str(err)
    return {"previous": found, "report": report, "setting": setting, "unreadable": unreadable}


def changes_page(compared: dict) -> plan.Page:
    """What changed since the previous edition: the changes ranked by consequence and in words, then fact by fact."""
    from generator.tools import diff

    report = compared["report"]
    ranked = whatchanged.records(report) if report is not None else []
    return plan.Page("changes.md", "changes.md.j2", {**compared, "shown": diff.value_text, "ranked": ranked,
                                                     "field_change": whatchanged.field_change})


def _content_files(project: Project) -> dict[str, bytes]:
    """The hand-written pages and their files; a link out of the brief or to nothing stops the build."""
    found, refused = disk.scan(project.root, project.content)
    disk.refuse(refused)
    return {p.relative_to(project.content).as_posix(): p.read_bytes() for p in found}


def assets() -> dict[str, bytes]:
    """The site's own scripts, styles, plotly.js and base map: one copy each."""
    from generator.site import charts

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
