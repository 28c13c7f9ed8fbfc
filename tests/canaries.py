"""A brief whose withheld facts carry a canary in every text field, and a search for any trace of them in output.

Open facts (TLP:CLEAR) carry canaries too, so a test can prove that the search finds what is there.
"""
from __future__ import annotations

import hashlib
import gzip
import io
import json
import zipfile
from itertools import count
from pathlib import Path

from generator.outputs.stix import stix_id

_serial = count(1)
OPEN: list[str] = []  # canaries of facts every edition shows
WITHHELD: list[str] = []  # canaries of facts above TLP:CLEAR


def canary(withheld: bool) -> str:
    """A unique word no page would write by itself: letters that form no ligature, and digits."""
    word = f"qzx{next(_serial):04d}xzq"
    (WITHHELD if withheld else OPEN).append(word)
    return word


CAPTURES: dict[str, bytes] = {}  # archive/… path → bytes of the kept captures the canary facts name


def _capture(source_id: str, body: bytes, url: str, method: str, tlp: str | None = None) -> str:
    """A text capture kept under archive/, as its YAML list item (indented for the source's file)."""
    digest = hashlib.sha256(body).hexdigest()
    path = f"archive/{source_id}/{digest[:16]}.txt"
    CAPTURES[path] = body
    item = (f"\n              - file: {path}\n                sha256: {digest}\n                captured: 2024-12-15T10:00Z"
            f"\n                url: {url}\n                method: {method}")
    return item + (f"\n                tlp: {tlp}" if tlp else "")


def write_captures(root: Path) -> None:
    for rel, body in CAPTURES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)


def _facts() -> dict[str, str]:
    c, w = (lambda: canary(False)), (lambda: canary(True))
    open_capture = _capture("open-report", b"What the open report said.\n", "https://open-k7.example.org/report",
                            "saved text")
    amber_capture = _capture("open-report", f"A partner's copy {w()}\n".encode(),
                             f"https://amber-k7.example.org/{w()}", f"Partner capture {w()}", "TLP:AMBER")
    return {
        # ---- TLP:CLEAR, the default
        "data/sources/open-report.yml": f"""
            id: open-report
            title: Open report {c()}
            publisher: Publisher {c()}
            url: https://open-k7.example.org/report
            published: 2024-12-15
            kind: news
            reliability: B
            archive:{open_capture}{amber_capture}
        """,
        "data/bases/open-base.yml": f"""
            id: open-base
            name: Open base {c()}
            country: SY
            location: {{icao: OSLK}}
            kind: air base
            sources: [open-report]
            observations:
              - date: 2024-12-10
                status: active
                summary: Seen active {c()}
                sources: [open-report]
                credibility: 2
              - date: 2024-12-12
                status: evacuating
                summary: Seen leaving {w()}
                note: Observer note {w()}
                sources: [amber-source-k7]
                credibility: 2
                tlp: TLP:AMBER
        """,
        "data/flights/open-flight-k7.yml": f"""
            id: open-flight-k7
            summary: Open flight {c()}
            departure: 2024-12-13
            arrival: 2024-12-14
            origin: {{base: amber-base-k7}}
            destination: {{base: open-base}}
            basis: reported
            part_of: amber-group-k7
            sources: [open-report]
        """,
        "data/assessments/open-judgment.yml": f"""
            id: open-judgment
            title: Open judgment {c()}
            date: 2024-12-16
            judgment: Judged in the open {c()}
            likelihood: likely
            confidence: low
            attribution: brief
            evidence:
              - flight: open-flight-k7
              - flight: amber-flight-k7
                note: Evidence note {w()}
              - event: red-event-k7
            sources: [open-report]
            status: superseded
            superseded_by: amber-assessment-k7
        """,
        "data/assessments/on-red-only-k7.yml": f"""
            id: on-red-only-k7
            title: Resting on red {w()}
            date: 2024-12-16
            judgment: Only red evidence {w()}
            likelihood: unlikely
            confidence: moderate
            attribution: brief
            evidence:
              - flight: red-flight-k7
            sources: [open-report]
        """,
        "data/events/open-event.yml": f"""
            id: open-event
            title: Open event {c()}
            date: 2024-12-08
            summary: It happened {c()}
            sources: [open-report]
        """,
        # ---- TLP:AMBER
        "data/sources/amber-source-k7.yml": f"""
            id: amber-source-k7
            title: Amber source {w()}
            publisher: Amber publisher {w()}
            author: Amber author {w()}
            url: https://amber-k7.example.org/secret
            published: 2024-12-11
            kind: human source
            reliability: C
            note: Amber source note {w()}
            tlp: TLP:AMBER
        """,
        "data/bases/amber-base-k7.yml": f"""
            id: amber-base-k7
            name: Amber base {w()}
            aliases: [Alias {w()}]
            country: LY
            location:
              coordinates: {{lat: 13.57913, lon: 46.80246, source: amber-source-k7}}
              note: Location note {w()}
            kind: airfield
            operator: Operator {w()}
            description: Amber description {w()}
            sources: [amber-source-k7]
            tlp: TLP:AMBER
        """,
        "data/flights/amber-group-k7.yml": f"""
            id: amber-group-k7
            summary: Amber group {w()}
            count: {{at_least: 3}}
            departure: 2024-12-09
            arrival: unknown
            origin: {{country: BY}}
            destination: {{country: LY}}
            basis: tracked
            sources: [amber-source-k7]
            tlp: TLP:AMBER
        """,
        "data/flights/amber-flight-k7.yml": f"""
            id: amber-flight-k7
            summary: Amber flight {w()}
            departure: {{at: 2024-12-11, note: Departure note {w()}}}
            arrival: 2024-12-11
            origin: {{base: amber-base-k7}}
            destination:
              place: Place {w()}
              country: LY
              coordinates: {{lat: 24.68024, lon: 13.24681, source: amber-source-k7}}
            aircraft: {{type: Type {w()}, registration: Reg {w()}, icao24: 7c6b2d, callsign: QZX{next(_serial)}}}
            operator: Operator {w()}
            basis: tracked
            sources: [amber-source-k7]
            track: amber-track-k7
            note: Flight note {w()}
            tlp: TLP:AMBER
        """,
        "data/assessments/amber-assessment-k7.yml": f"""
            id: amber-assessment-k7
            title: Amber assessment {w()}
            date: 2024-12-16
            judgment: Amber judgment {w()}
            attribution: {{name: Expert {w()}, affiliation: Institute {w()}, role: Role {w()}}}
            evidence:
              - flight: amber-flight-k7
            sources: [amber-source-k7]
            note: Assessment note {w()}
            tlp: TLP:AMBER
        """,
        # ---- TLP:RED
        "data/sources/red-source-k7.yml": f"""
            id: red-source-k7
            title: Red source {w()}
            publisher: Red publisher {w()}
            url: https://red-k7.example.org/eyes-only
            published: 2024-12-12
            kind: official statement
            reliability: A
            tlp: TLP:RED
        """,
        "data/flights/red-flight-k7.yml": f"""
            id: red-flight-k7
            summary: Red flight {w()}
            departure: unknown
            arrival: 2024-12-12
            origin: {{airfield: OSLK}}
            destination: {{country: LY}}
            basis: reported
            sources: [red-source-k7]
            tlp: TLP:RED
        """,
        "data/events/red-event-k7.yml": f"""
            id: red-event-k7
            title: Red event {w()}
            date: 2024-12-12
            summary: Red summary {w()}
            country: SY
            sources: [red-source-k7]
            tlp: TLP:RED
        """,
        "data/tracks/amber-track-k7.json": """
            {"schema": "intelbrief-track/1", "flight": "amber-flight-k7", "tlp": "TLP:AMBER", "points": [
              ["2024-12-11T01:00:00Z", 35.96321, 36.75309, 30000],
              ["2024-12-11T02:00:00Z", 33.85207, 29.41703, 31000],
              ["2024-12-11T03:00:00Z", 24.68024, 13.24681, 1000]
            ]}
        """,
    }


FACTS = _facts()
EARLIER = {  # the previous edition (tag edition-1): a withheld event since changed, and one since removed
    **{path: FACTS[path] for path in ("data/sources/open-report.yml", "data/events/open-event.yml",
                                      "data/sources/red-source-k7.yml")},
    "data/events/red-event-k7.yml": FACTS["data/events/red-event-k7.yml"].replace("Red summary", "Earlier red summary"),
    "data/events/red-gone-k7.yml": f"""
        id: red-gone-k7
        title: Red event since removed {canary(True)}
        date: 2024-12-01
        summary: Gone {canary(True)}
        sources: [red-source-k7]
        tlp: TLP:RED
    """,
}
GONE = WITHHELD[-2:]  # the canaries (title, summary) of the event removed since the previous edition
BRIEF = """
    title: Canary brief
    edition: 2024-12-16
    tlp: TLP:CLEAR
    publish: TLP:CLEAR
    previous_edition: edition-1
"""
WITHHELD_IDS = ("amber-source-k7", "amber-base-k7", "amber-group-k7", "amber-flight-k7", "amber-assessment-k7",
                "amber-track-k7", "red-source-k7", "red-flight-k7", "red-event-k7", "on-red-only-k7", "red-gone-k7")
COORDINATES = ("13.57913", "13.5791", "46.80246", "46.8025", "24.68024", "24.6802", "13.24681", "13.2468",
               "35.96321", "36.75309", "33.85207", "29.41703")
WITHHELD_TRACES = (*WITHHELD_IDS, "amber-k7.example.org", "red-k7.example.org", *COORDINATES, "7c6b2d",
                   *(stix_id(kind, key) for kind, key in (
                       ("location", "base/amber-base-k7"), ("note", "flight/amber-flight-k7"),
                       ("note", "flight/amber-group-k7"), ("note", "flight/red-flight-k7"),
                       ("note", "event/red-event-k7"), ("note", "assessment/amber-assessment-k7"),
                       ("note", "assessment/on-red-only-k7"))))


# ---------------------------------------------------------------- reading every byte of the output


def pdf_text(raw: bytes) -> str:
    """A PDF's words, metadata and every object, its streams decompressed."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    parts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    parts.append(json.dumps({str(k): str(v) for k, v in (reader.metadata or {}).items()}))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry in the cross-reference table
            continue
        parts.append(obj.get_data().decode("latin-1") if hasattr(obj, "get_data") else str(obj))
    return "\n".join(parts)


def readable(name: str, raw: bytes) -> str:
    """The text a file holds however it is packed: zip members opened, PDFs decoded, the rest as bytes."""
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as packed:
            return "\n".join(readable(member, packed.read(member)) for member in packed.namelist())
    if name.endswith(".pdf"):
        return pdf_text(raw)
    if raw[:2] == b"\x1f\x8b":  # gzip: the fragment search index (every Pagefind file but its scripts), sitemap.xml.gz
        return readable(name.removesuffix(".gz"), gzip.decompress(raw))
    return raw.decode("utf-8", "replace")


def traces(paths: list[Path], words) -> dict[str, list[str]]:
    """Which of the words appear (case-insensitively) in which files under paths."""
    found: dict[str, list[str]] = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            text = readable(path.name, path.read_bytes()).lower()
            for word in words:
                if word.lower() in text:
                    found.setdefault(word, []).append(path.name)
    return found
