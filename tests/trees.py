"""Fact trees for tests: one-line builders for each kind of fact, and briefs held in memory."""
from __future__ import annotations

import textwrap

from generator.facts import dataset

BRIEF = "title: Test brief\nedition: 2024-12-16\ntlp: TLP:CLEAR\n"
REPORT = ("id: report\ntitle: A news report\npublisher: unknown\npublished: 2024-12-15\nkind: news\n"
          "reliability: B\n")
BASE = ("id: hmeimim\nname: Hmeimim Air Base\ncountry: SY\nlocation: {icao: OSLK}\nkind: air base\n"
        "sources: [report]\n")


def flight(fid: str, extra: str = "") -> str:
    return (f"id: {fid}\ndeparture: unknown\narrival: 2024-12-14\norigin: {{country: BY}}\n"
            f"destination: {{country: LY}}\nbasis: tracked\nsources: [report]\n{extra}")


def assessment(aid: str, extra: str = "") -> str:
    return (f"id: {aid}\ntitle: T\ndate: 2024-12-15\njudgment: J\nlikelihood: likely\nconfidence: low\n"
            f"attribution: brief\nsources: [report]\n{extra}")


def source(sid: str, extra: str = "") -> str:
    return (f"id: {sid}\ntitle: Source {sid}\npublisher: unknown\npublished: 2024-12-15\nkind: news\n"
            f"reliability: B\n{extra}")


def tree(files: dict[str, str], *, brief: str = BRIEF, report: bool = True) -> dict[str, bytes]:
    """A data folder as {path: bytes}, the way the loader reads one from disk or from git."""
    found = {"data/brief.yml": brief, **({"data/sources/report.yml": REPORT} if report else {}), **files}
    out: dict[str, bytes] = {}
    for path, text in found.items():
        parts = path.split("/")
        if len(parts) >= 3:
            out[f"data/{parts[1]}/"] = b""
        out[path] = textwrap.dedent(text).lstrip("\n").encode("utf-8")
    return out


def load(files: dict[str, str], **options):
    """The dataset and every problem of an in-memory brief."""
    return dataset.collect(tree(files, **options))
