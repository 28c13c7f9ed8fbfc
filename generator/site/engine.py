"""The site engine's edge: MkDocs builds the generated Markdown into HTML.

Everything the engine needs is in one configuration file that generation writes
(`.brief/mkdocs.yml`, inheriting the project's mkdocs.yml), so the plain `mkdocs build -f
.brief/mkdocs.yml` builds the same site; this module is the only one that imports mkdocs.
"""
from __future__ import annotations

import html
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import BuildError

CONFIG_NAME = "mkdocs.yml"  # the generated configuration, beside docs/ and overrides/ in the work folder


def config_file(project_config: str, *, site_name: str, extra: dict, site_dir: str = "../site") -> bytes:
    """The complete engine configuration: the project's settings plus every generated value.

    Paths are relative to the generated file's folder, as MkDocs reads them.
    """
    values = {"INHERIT": project_config, "site_name": html.escape(" ".join(site_name.split()), quote=True),
              "docs_dir": "docs", "site_dir": site_dir, "theme": {"custom_dir": "overrides"}, "extra": extra}
    head = "# Written by brief build from the project's mkdocs.yml and data/brief.yml; edits here are replaced.\n"
    return head.encode() + yaml.safe_dump(values, sort_keys=False, allow_unicode=True, width=1000).encode()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build(config_path: Path, site_dir: Path, *, strict: bool = True, epoch: int = 0) -> Built:
    """Build the site the generated configuration describes into site_dir; warnings fail a strict build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(config_file=str(config_path), site_dir=str(site_dir), strict=strict)
        with _source_date(epoch):
            mkdocs_build(config)
    except MkDocsException as err:
        details = "\n".join(f"  {m}" for m in handler.messages) or f"  {err}"
        raise BuildError(f"{config_path.parent.name}/{config_path.name}: the site build failed:\n{details}") from None
    finally:
        log.removeHandler(handler)
    if strict and handler.messages:
        raise BuildError(f"{config_path.parent.name}/{config_path.name}: the site build warned:\n" + "\n".join(f"  {m}" for m in handler.messages))
    scripts = [str(s) for s in config["extra_javascript"]] + [str(s) for s in config["extra"].get("polyfills", [])]
    return Built(scripts, _flatten(config["nav"] or []))


def serve(config_file: Path, host: str, port: int) -> None:
    """MkDocs' live-reloading server on the generated docs tree, until interrupted."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(str(config_file), dev_addr=f"{host}:{port}", livereload=True)


@contextmanager
def _source_date(epoch: int):
    """MkDocs reads the build time from SOURCE_DATE_EPOCH only: set it for this build and put back what was there."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass(frozen=True)
class Built:
    """What the rest of the pipeline needs to know about a finished site build."""

    scripts: list[str]  # site-relative scripts the configuration adds to every page
    nav: list[str]  # Markdown pages in navigation order


def _flatten(nav) -> list[str]:
    pages: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += _flatten(value) if isinstance(value, list) else [value] if value.endswith(".md") else []
    return pages
