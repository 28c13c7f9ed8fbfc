"""From a tracker export to facts: a flight, the source for the export, and the kept track."""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from generator.facts import dataset

from generator.geo import tracks
from generator.errors import BriefError, ValidationFailed
from generator.facts.models import ID_PATTERN
from generator.geo.airfields import airports

NEAR_KM = 5.0  # an airfield this close to the first or last position is taken as the endpoint
LOW_FT = 3000.0  # … when the aircraft is on the ground or at most this far above the airfield
GAP_MINUTES = 30  # a longer silence between positions is called out in the flight's note
KEEP = 300


class ImportRefused(BriefError):
    """The import would overwrite existing files or make facts that do not validate."""


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def nearest_airfield(position: tracks.Position) -> tuple[str, float] | None:
    """The ICAO code and distance of the closest airfield within NEAR_KM, if the aircraft was low there."""
    best = None
    for code, record in airports().items():
        if abs(record["lat"] - position.lat) > 0.1 or abs(record["lon"] - position.lon) > 0.2:
            continue
        km = distance_km((position.lat, position.lon), (record["lat"], record["lon"]))
        if km <= NEAR_KM and (best is None or km < best[1]):
            best = (code, km)
    if best is None:
        return None
    elevation = float(airports()[best[0]].get("elevation") or 0)
    low = position.ground or (position.altitude is not None and position.altitude - elevation <= LOW_FT)
    return best if low else None


def _height(position: tracks.Position) -> str:
    if position.ground:
        return "on the ground"
    return "at unknown altitude" if position.altitude is None else f"at {position.altitude:,.0f} ft"


def endpoint(position: tracks.Position, which: str, bases: dict[str, str] | None = None) -> dict:
    """origin/destination: the base or airfield nearby, or unknown with where the track starts or ends."""
    where = f"{position.lat:.4f}, {position.lon:.4f} {_height(position)}"
    found = nearest_airfield(position)
    if found:
        code, km = found
        note = f"Track {which} {km:.1f} km from {airports()[code]['name']} ({code}), {where}."
        if code in (bases or {}):
            return {"base": bases[code], "note": note}
        return {"airfield": code, "country": airports()[code]["country"], "note": note}
    return {"note": f"Track {which} at {where}: no airfield within {NEAR_KM:g} km with the aircraft low, "
                    "so the airfield is unknown."}


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def gaps(positions: list[tracks.Position]) -> list[tuple[datetime, datetime]]:
    """Silences longer than GAP_MINUTES between consecutive positions."""
    return [(a.time, b.time) for a, b in zip(positions, positions[1:])
            if b.time - a.time > timedelta(minutes=GAP_MINUTES)]


def default_id(track: tracks.Track) -> str:
    name = (track.callsign or track.registration or track.icao24 or "track").lower()
    cleaned = "-".join(part for part in "".join(c if c.isalnum() else "-" for c in name).split("-") if part)
    return f"{cleaned or 'track'}-{track.positions[0].time:%Y-%m-%d}"


def facts(track: tracks.Track, flight_id: str, source_id: str, reliability: str = "B",
          bases: dict[str, str] | None = None) -> dict[str, bytes]:
    """The files an import writes, relative to the brief's data/ folder; bases maps ICAO code → base id."""
    first, last = track.positions[0], track.positions[-1]
    kept = tracks.simplify(track.positions, KEEP)
    silences = gaps(track.positions)
    aircraft = {k: v for k, v in (("type", track.type), ("registration", track.registration),
                                  ("icao24", track.icao24), ("callsign", track.callsign)) if v}
    notes = [f"Imported from {track.file} ({tracks.FORMATS[track.format]}): {len(track.positions)} positions, "
             f"{len(kept)} kept in data/tracks/{flight_id}.json. Departure and arrival are the first and last "
             "positions the tracker received, not take-off and landing."]
    notes += [f"No positions between {_minute(a)} and {_minute(b)} ({int((b - a).total_seconds() // 60)} min)."
              for a, b in silences]
    if track.skipped:
        notes.append(f"{len(track.skipped)} record(s) without a position were left out.")
    flight = {
        "id": flight_id,
        "summary": f"Tracked flight {track.callsign or track.icao24 or ''}".rstrip(),
        "departure": {"at": _minute(first.time), "note": "First seen by the tracker."},
        "arrival": {"at": _minute(last.time), "note": "Last seen by the tracker."},
        "origin": endpoint(first, "starts", bases), "destination": endpoint(last, "ends", bases),
        **({"aircraft": aircraft} if aircraft else {}),
        "basis": "tracked", "sources": [source_id], "track": flight_id, "note": " ".join(notes),
    }
    source = {
        "id": source_id,
        "title": f"{tracks.PUBLISHERS[track.format]} track of {track.callsign or track.icao24 or 'an aircraft'}, "
                 f"{first.time:%d %B %Y}",
        "publisher": tracks.PUBLISHERS[track.format],
        "published": {"at": first.time.strftime("%Y-%m-%d"), "note": "The day of the first position in the export."},
        "kind": "flight tracking", "reliability": reliability,
        "note": f"Export file {track.file} ({tracks.FORMATS[track.format]}). Reliability set at import; review it.",
    }
    return {f"flights/{flight_id}.yml": _yaml(flight), f"sources/{source_id}.yml": _yaml(source),
            f"{dataset.TRACKS}/{flight_id}.json": tracks.track_file(track, flight_id, kept)}


def _yaml(fact: dict) -> bytes:
    return yaml.safe_dump(fact, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def import_track(data_dir: Path, file: Path, fmt: str | None = None, flight_id: str | None = None,
                 source_id: str | None = None, reliability: str = "B") -> list[str]:
    """Read a tracker export and write its flight, source and track under data_dir; return the paths written."""
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise ImportRefused(f"{file}: cannot read the file ({err.strerror})") from None
    track = tracks.read(raw, str(file), fmt)
    track.file = file.name
    flight_id = flight_id or default_id(track)
    source_id = source_id or f"{track.format}-{flight_id}"
    for given in (flight_id, source_id):
        if not ID_PATTERN.match(given):
            raise ImportRefused(f"'{given}' is not a valid id, expected lower-case letters, digits and single hyphens")
    before = dataset.read_folder(data_dir)
    current, _ = dataset.collect(before, data_dir.name)
    bases = {b.location.icao: bid for bid, b in sorted((current.bases if current else {}).items()) if b.location.icao}
    made = facts(track, flight_id, source_id, reliability, bases)
    existing = [rel for rel in made if (data_dir / rel).exists()]
    if existing:
        raise ImportRefused(f"{data_dir.name}/{existing[0]} already exists, expected a new flight id (use --id)")
    files = {**before, **{f"{data_dir.name}/{rel}": body for rel, body in made.items()}}
    _, problems = dataset.collect(files, data_dir.name)
    if problems:
        raise ValidationFailed(problems)
    for rel, body in made.items():
        (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (data_dir / rel).write_bytes(body)
    return [f"{data_dir.name}/{rel}" for rel in made]

