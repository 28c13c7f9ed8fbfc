"""The site engine's edge: MkDocs builds the generated Markdown into HTML.

Generation never relies on MkDocs hooks or plugins of our own, so the same docs tree can be
built by another engine later; this module is the only one that imports mkdocs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build(config_file: Path, docs_dir: Path, site_dir: Path, *, site_name: str, extra: dict,
          strict: bool = True) -> Built:
    """Build docs_dir into site_dir with the project's mkdocs.yml; warnings fail a strict build."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = _Collect()
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
                             strict=strict, site_name=site_name)
        config["extra"] = {**config["extra"], **extra}
        mkdocs_build(config)
    except MkDocsException as err:
        details = "\n".join(f"  {m}" for m in handler.messages) or f"  {err}"
        raise BuildError(f"{config_file.name}: the site build failed:\n{details}") from None
    finally:
        log.removeHandler(handler)
    if strict and handler.messages:
        raise BuildError(f"{config_file.name}: the site build warned:\n" + "\n".join(f"  {m}" for m in handler.messages))
    scripts = [str(s) for s in config["extra_javascript"]] + [str(s) for s in config["extra"].get("polyfills", [])]
    return Built(scripts, _flatten(config["nav"] or []))


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
