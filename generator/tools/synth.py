"""Synthetic briefs for scale tests: realistic shapes, valid by construction, the same bytes for the same seed."""
from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

from generator.errors import ConfigError
from generator.facts.models import BASE_KINDS, CONFIDENCES, LIKELIHOODS, STATUSES
from generator.geo.airfields import airports
from generator.project import Project

# Airfields that serve as hubs of the synthetic airlift, when airportsdata knows them.
HUBS = ["OSLK", "HLLB", "UMMS", "UUWW", "UUEE", "URSS", "LTBA", "HECA", "HLLT", "OJAI", "OSDI", "UMMG"]
TYPES = ["Il-76MD", "Il-76TD", "An-124-100", "Tu-154M", "Il-62M", "An-72"]
SOURCE_KINDS = ["news", "flight tracking", "imagery", "official statement", "social media", "expert comment"]
START = datetime(2024, 9, 1, tzinfo=timezone.utc)
DAYS = 180


def synthesize(out: Path, *, flights: int, bases: int, assessments: int, seed: int, template: Project,
               indicators: int = 50) -> Path:
    """Write a complete brief into out: data/, plus the site settings and templates of template."""
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out}: folder is not empty, expected a new or empty folder for the synthetic brief")
    rng = random.Random(seed)
    files = _facts(rng, flights=flights, bases=bases, assessments=assessments)
    # drawn from their own generator, so the facts above stay the same bytes whatever the number of indicators
    files.update(_indicators(random.Random(f"{seed}/indicators"), indicators, files))
    for rel, record in files.items():
        path = out / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    shutil.copy(template.config, out / "mkdocs.yml")
    shutil.copytree(template.templates, out / "templates")
    (out / "content").mkdir()
    shutil.copy(template.content / "methodology.md", out / "content" / "methodology.md")
    (out / "content" / "narrative.md").write_text(NARRATIVE, encoding="utf-8")
    return out


NARRATIVE = """# Narrative

*A synthetic brief, generated to measure how intelbrief scales. Its facts are invented.*

It follows {{ figures.flights }} flights between {{ figures.bases }} bases, judged in
{{ figures.assessments }} assessments drawn from {{ figures.sources }} sources.

{{ chart("flights_per_day") }}
"""


def _facts(rng: random.Random, *, flights: int, bases: int, assessments: int) -> dict[str, dict]:
    files: dict[str, dict] = {"brief.yml": {
        "title": f"Synthetic airlift brief ({flights} flights)", "edition": "2025-03-01", "tlp": "TLP:GREEN",
        "summary": "Invented facts with realistic shapes, for measuring build time and page weight.",
        "bottom_line": "The synthetic airlift is likely sustained: invented flights between invented hubs, judged for scale.",
        "implications": [{"text": f"Implication {i} of the synthetic airlift for the reader, in a sentence or two of "
                                  "invented words that stand for a real brief's so-what."} for i in range(6)],
        "outlook": {"text": "More invented flights are expected between the hubs.", "horizon": "2025-03-31",
                    "likelihood": "likely"},
        "gaps": [{"question": f"Synthetic question {i}?", "why": "Its answer would move an invented judgment.",
                  "answer": "Invented information that would answer it."} for i in range(6)]}}
    sources = _sources(rng, max(20, flights // 25))
    files.update({f"sources/{s['id']}.yml": s for s in sources})
    source_ids = [s["id"] for s in sources]
    base_records = _bases(rng, bases, source_ids)
    files.update({f"bases/{b['id']}.yml": b for b in base_records})
    hubs = [b["id"] for b in base_records[: min(8, len(base_records))]]
    flight_records = _flights(rng, flights, [b["id"] for b in base_records], hubs, source_ids)
    for f in flight_records:
        month = f.pop("_month")
        files[f"flights/{month}/{f['id']}.yml"] = f
    for a in _assessments(rng, assessments, flight_records, base_records, source_ids):
        files[f"assessments/{a['id']}.yml"] = a
    for e in _events(rng, source_ids):
        files[f"events/{e['id']}.yml"] = e
    return files


def _day(rng: random.Random) -> datetime:
    return START + timedelta(days=rng.randrange(DAYS))


def _sources(rng: random.Random, count: int) -> list[dict]:
    records = []
    for i in range(count):
        kind = rng.choice(SOURCE_KINDS)
        record = {"id": f"source-{i:05d}", "title": f"{kind.capitalize()} item {i}", "publisher": f"Publisher {i % 37}",
                  "url": f"https://example.org/reports/{i}", "published": _day(rng).strftime("%Y-%m-%d"),
                  "kind": kind, "reliability": rng.choice("ABBCCCDEF")}
        if i > 10 and rng.random() < 0.2:
            record["via"] = f"source-{rng.randrange(i):05d}"
        records.append(record)
    return records


def _airfields(rng: random.Random, count: int) -> list[str]:
    known = airports()
    hubs = [code for code in HUBS if code in known]
    others = sorted(code for code, rec in known.items() if rec.get("iata") and code.isalpha() and code not in hubs)
    return (hubs + rng.sample(others, max(0, count - len(hubs))))[:count]


def _bases(rng: random.Random, count: int, source_ids: list[str]) -> list[dict]:
    records = []
    for i, icao in enumerate(_airfields(rng, count)):
        record = airports()[icao]
        observations = []
        day = START
        for _ in range(rng.randint(2, 6)):
            day += timedelta(days=rng.randint(5, 40))
            observations.append({"date": day.strftime("%Y-%m-%d"), "status": rng.choice(STATUSES[:5]),
                                 "summary": f"Activity at {record['name']} observed on imagery and in reports.",
                                 "sources": rng.sample(source_ids, 2), "credibility": rng.randint(1, 4)})
        records.append({"id": f"base-{icao.lower()}", "name": record["name"], "aliases": [f"{record['city']} air base"],
                        "country": record["country"], "location": {"icao": icao},
                        "kind": rng.choice(BASE_KINDS[:4]) if i >= 8 else "air base",
                        "operator": "Synthetic air force", "sources": [rng.choice(source_ids)],
                        "observations": observations})
    return records


def _flights(rng: random.Random, count: int, base_ids: list[str], hubs: list[str], source_ids: list[str]) -> list[dict]:
    bursts = sorted(_day(rng) for _ in range(12))
    records = []
    for i in range(count):
        if rng.random() < 0.8 and len(hubs) > 1:
            origin, destination = rng.sample(hubs, 2)
        else:
            origin, destination = rng.sample(base_ids, 2)
        start = rng.choice(bursts) + timedelta(days=rng.randint(0, 9), minutes=rng.randrange(24 * 60))
        arrival = start + timedelta(minutes=rng.randint(90, 420))
        record = {"id": f"flight-{i:06d}", "departure": start.strftime("%Y-%m-%dT%H:%MZ"),
                  "arrival": arrival.strftime("%Y-%m-%dT%H:%MZ"),
                  "origin": {"base": origin}, "destination": {"base": destination},
                  "aircraft": {"type": rng.choice(TYPES), "registration": f"RA-{rng.randrange(10000, 99999)}",
                               "icao24": f"{rng.randrange(0x150000, 0x15ffff):06x}",
                               "callsign": f"RFF{rng.randrange(1000, 9999)}"},
                  "operator": "Synthetic air force", "basis": rng.choice(["tracked"] * 8 + ["reported", "inferred"]),
                  "sources": rng.sample(source_ids, 2), "credibility": rng.randint(1, 4), "_month": start.strftime("%Y-%m")}
        if rng.random() < 0.03:  # known only to a window, as reports often are
            record["departure"] = "unknown"
            record["arrival"] = {"between": [start.strftime("%Y-%m-%d"), (start + timedelta(days=3)).strftime("%Y-%m-%d")],
                                 "note": "Reported as some time that week."}
            record.pop("aircraft")
        if rng.random() < 0.01:
            record["count"] = {"at_least": rng.randint(2, 5)}
        records.append(record)
    return records


def _assessments(rng: random.Random, count: int, flights: list[dict], bases: list[dict], source_ids: list[str]) -> list[dict]:
    records = []
    for i in range(count):
        evidence = [{"flight": rng.choice(flights)["id"]} for _ in range(rng.randint(1, 4))]
        evidence += [{"base": rng.choice(bases)["id"]} for _ in range(rng.randint(0, 2))]
        record = {"id": f"assessment-{i:05d}", "title": f"Judgment {i} on airlift posture",
                  "date": _day(rng).strftime("%Y-%m-%d"),
                  "judgment": f"The pattern of flights in judgment {i} points to a sustained logistics effort.",
                  "likelihood": rng.choice(LIKELIHOODS), "confidence": rng.choice(CONFIDENCES), "attribution": "brief",
                  "evidence": evidence, "sources": rng.sample(source_ids, 2)}
        if i % 10 == 7:  # a key judgment in every ten (no draw from rng: the rest of the brief stays as it was)
            record["key"] = True
            record["assumptions"] = [{"text": "The invented tracking is complete.",
                                      "if_wrong": "The pattern would be a sample, not the whole airlift."}]
        if i + 1 < count and rng.random() < 0.1:  # retired in favour of a later judgment: chains always end
            record["status"] = "superseded"
            record["superseded_by"] = f"assessment-{rng.randrange(i + 1, count):05d}"
        records.append(record)
    return records


def _events(rng: random.Random, source_ids: list[str]) -> list[dict]:
    return [{"id": f"event-{i:03d}", "title": f"Context event {i}", "date": _day(rng).strftime("%Y-%m-%d"),
             "summary": "Something happened that frames the flights around it.", "sources": [rng.choice(source_ids)]}
            for i in range(12)]


def _indicators(rng: random.Random, count: int, files: dict[str, dict]) -> dict[str, dict]:
    """Indicators of every watch kind: flights between hubs, a base's status, events, and manual ones."""
    bases = sorted(r["id"] for rel, r in files.items() if rel.startswith("bases/"))
    judged = sorted(r["id"] for rel, r in files.items() if rel.startswith("assessments/") and "status" not in r)
    sources = sorted(r["id"] for rel, r in files.items() if rel.startswith("sources/"))
    found = {}
    for i in range(count):
        shape = i % 4
        if shape == 0 and len(bases) > 1:
            origin, destination = rng.sample(bases[:8], 2)
            watch = {"watch": {"flights": {"from": origin, "to": destination, "at_least": rng.randint(1, 6),
                                           "within_days": rng.choice([7, 14, 30, 60])}}}
        elif shape == 1 and bases:
            watch = {"watch": {"base": {"id": rng.choice(bases), "status": rng.choice(STATUSES[:5])}}}
        elif shape == 2:
            watch = {"watch": {"event": {"since": "2025-01-01", "at_least": rng.randint(1, 3)}}}
        else:
            met = rng.random() < 0.3
            watch = {"watch": "manual", "status": "met" if met else "not met",
                     **({"sources": [rng.choice(sources)]} if met else {})}
        record = {"id": f"indicator-{i:03d}", "title": f"Synthetic indicator {i} of the airlift",
                  "signals": f"If met, invented indicator {i} would show the synthetic airlift growing.",
                  "bears_on": [{"assessment": rng.choice(judged), "direction": rng.choice(["supports", "undermines"])}]
                  if judged else [], **watch}
        found[f"indicators/{record['id']}.yml"] = record
    return found
