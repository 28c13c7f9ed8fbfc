"""The pipeline, in one place: load and check the facts, generate pages, build the site, swap it in."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from generator.outputs import browser, exports

from generator.site import charts, htmlcheck, plan as pages, render, engine as site, writer

from generator.facts import dataset
from generator.facts.dataset import Dataset
from generator.facts.models import KINDS
from generator.project import Project

ASSETS = Path(__file__).parent / "assets"


@dataclass(frozen=True)
class Result:
    """What a build did."""

    pages: int
    changed: list[str]
    site: Path


def build(project: Project, *, strict: bool = True, pdf: bool = False, progress=None) -> Result:
    """Validate, generate and build the whole brief; the old site stays until the new one is complete."""
    say = progress or (lambda message: None)
    if pdf:
        browser.find_chromium()  # fail before any work when the PDF cannot be printed
    data = dataset.load(project.data, progress=say)
    say(f"generating pages from {sum(len(data.of_kind(k)) for k in KINDS)} facts")
    files = generate(project, data)
    changed = writer.sync(files, project.docs)
    extra = site_extra(project, data, pdf=pdf)
    write_engine_files(project, extra)
    say(f"building the site from {sum(1 for f in files if f.endswith('.md'))} pages" + (" and the PDF" if pdf else ""))
    publish(project, data, extra, strict=strict, pdf=pdf)
    return Result(sum(1 for f in files if f.endswith(".md")), changed, project.site)


def publish(project: Project, data: Dataset, extra: dict, *, strict: bool = True, pdf: bool = False) -> None:
    """Build the generated docs into a fresh folder, then put it in place of site/ in one step."""
    epoch = project.build_epoch()
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    stage = writer.staging_dir(project.site)
    try:
        built = site.build(project.engine_config, stage, strict=strict)
        htmlcheck.check_site(stage, built.scripts)
        if pdf:
            from generator.outputs import pdf as printer

            cover = {**extra, "subtitle": data.brief.subtitle, "theme_css": _theme_css(stage),
                     "printed": datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
            printer.render(stage, built.nav, cover, stage / printer.PDF_NAME, epoch)
        writer.swap(stage, project.site)
    finally:
        writer.discard(stage)


def _theme_css(stage: Path) -> str:
    found = sorted((stage / "assets" / "stylesheets").glob("main.*.min.css"))
    return found[0].name if found else "main.css"


def write_engine_files(project: Project, extra: dict) -> bool:
    """The theme overrides and the complete engine configuration; True when the configuration changed."""
    writer.sync(overrides(), project.work / "overrides")
    config = site.config_file(f"../{project.config.name}", site_name=extra["title"], extra={"brief": extra})
    return writer.put(project.engine_config, config)


def site_extra(project: Project, data: Dataset, *, pdf: bool = False) -> dict:
    """What the theme shows on every page: the marking, the edition, the data revision, the PDF."""
    revision = project.revision()
    return {"title": data.brief.title, "tlp": data.brief.tlp, "edition": data.brief.edition.isoformat(),
            "revision": revision[0] if revision else "not under version control",
            "revision_date": revision[1] if revision else "", "pdf": pdf}


def generate(project: Project, data: Dataset) -> dict[str, bytes]:
    """Every file of the docs tree, as bytes, from the facts, the templates and content/."""
    links = pages.Links(data)
    shared = pages.shared_context(data)
    env = render.environment([project.templates], {})
    files: dict[str, bytes] = {}
    for page in [*pages.plan(data, links), changes_page(project, data)]:
        text = render.render_template(env, page.template, pages.page_context(page, links, shared))
        files[page.path] = text.encode()
    handwritten = _content_files(project)
    writer.refuse_overlap(set(files), set(handwritten))
    for rel, raw in handwritten.items():
        if rel.endswith(".md"):
            context = pages.page_context(pages.Page(rel, ""), links, shared)
            raw = render.render_string(env, raw.decode("utf-8"), context, f"content/{rel}").encode()
        files[rel] = raw
    files.update(data_files(project, data, env, links, shared))
    files.update(assets())
    return files


def data_files(project: Project, data: Dataset, env, links, shared) -> dict[str, bytes]:
    """The exports (JSON, CSV, GeoJSON, STIX) and the Data page that links them."""
    found = exports.exports(data, project.build_epoch())
    page = pages.Page("data.md", "data.md.j2", {"exports": found, "schema": exports.SCHEMA})
    text = render.render_template(env, page.template, pages.page_context(page, links, shared))
    return {"data.md": text.encode(), **{e.path: e.body for e in found}}


def changes_page(project: Project, data: Dataset) -> pages.Page:
    """What changed since the previous edition, from the same comparison as brief diff."""
    from generator.tools import diff

    previous = diff.previous_edition(project.root, data.brief.previous_edition)
    report = diff.compare(project.root, previous) if previous else None
    return pages.Page("changes.md", "changes.md.j2", {"previous": previous, "report": report,
                                                      "setting": data.brief.previous_edition, "shown": diff.value_text})


def _content_files(project: Project) -> dict[str, bytes]:
    if not project.content.is_dir():
        return {}
    return {p.relative_to(project.content).as_posix(): p.read_bytes()
            for p in sorted(project.content.rglob("*")) if p.is_file()}


def assets() -> dict[str, bytes]:
    """The site's own scripts, styles, plotly.js and base map: one copy each."""
    folder = ASSETS / "brief"
    files = {f"assets/brief/{p.name}": p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    files["assets/brief/plotly.min.js"] = charts.plotly_js().read_bytes()
    files["assets/brief/iframe-worker-shim.js"] = (ASSETS / "vendor" / "iframe-worker-shim.js").read_bytes()
    topo = (ASSETS / "vendor" / "world_110m.json").read_bytes()
    files["assets/brief/topojson/world_110m.json"] = topo
    # The same map as a script, so charts draw from file:// where fetching JSON is not allowed.
    files["assets/brief/world_110m.js"] = (
        b"window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
        b"window.PlotlyGeoAssets.topojson.world_110m=" + topo + b";\n"
    )
    return files


def overrides() -> dict[str, bytes]:
    folder = ASSETS / "overrides"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
