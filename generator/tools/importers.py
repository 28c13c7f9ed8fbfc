"""From a tracker export to facts: a flight, the source for the export, and the kept track."""
from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from generator import disk, words
from generator.facts import dataset

from generator.geo import runways, tracks
from generator.errors import BriefError, ValidationFailed
from generator.facts.models import ID_PATTERN
from generator.facts.text import forbidden, visible
from generator.geo.airfields import airports

NEAR_KM = 5.0  # an airfield this close to where the aircraft was on the ground is taken as the endpoint
MENTION_KM = 10.0  # an airfield this close to an end that stays unknown is named in the note
GAP_MINUTES = 30  # a longer silence between positions is called out in the flight's note
GROUND_WINDOW = timedelta(minutes=10)  # ground positions this close to the track's end count for that end
KEEP = 300


class ImportRefused(BriefError):
    """The import would overwrite existing files or make facts that do not validate."""


distance_km = runways.distance_km


def nearest_airfield(lat: float, lon: float, within: float = NEAR_KM) -> tuple[str, float] | None:
    """The ICAO code and distance of the closest airfield within the given distance."""
    best = None
    for code, record in airports().items():
        if abs(record["lat"] - lat) > 0.1 * within / 5 + 0.05 or abs(record["lon"] - lon) > 0.2 * within / 5 + 0.1:
            continue
        km = distance_km((lat, lon), (record["lat"], record["lon"]))
        if km <= within and (best is None or km < best[1]):
            best = (code, km)
    return best


def _height(position: tracks.Position) -> str:
    if position.ground:
        return "on the ground"
    return "at unknown altitude" if position.altitude is None else f"at {position.altitude:,.0f} ft"


def _grounded(positions: list[tracks.Position], at_end: bool) -> tracks.Position | None:
    """The ground position closest to the track's end (or start) within GROUND_WINDOW of it."""
    ordered = positions[::-1] if at_end else positions
    edge = ordered[0].time
    return next((p for p in ordered if abs(p.time - edge) <= GROUND_WINDOW and p.ground), None)


def endpoint(positions: list[tracks.Position], which: str, bases: dict[str, str] | None = None) -> dict:
    """origin/destination: an airfield only on ground evidence or a runway line-up, else unknown with a note."""
    at_end = which == "ends"
    edge = positions[-1] if at_end else positions[0]
    where = f"{edge.lat:.4f}, {edge.lon:.4f} {_height(edge)}"
    ground = _grounded(positions, at_end)
    found = nearest_airfield(ground.lat, ground.lon) if ground else None
    if found:
        code, km = found
        named = f"{km:.1f} km from {airports()[code]['name']} ({code})"
        if ground is edge:
            return _airfield(code, f"Track {which} on the ground at {edge.lat:.4f}, {edge.lon:.4f}, {named}.", bases)
        minutes = round(abs((edge.time - ground.time).total_seconds()) / 60)
        return _airfield(code, f"Track {which} at {where}, {minutes} min {'after' if at_end else 'before'} the "
                               f"aircraft was on the ground {named}.", bases)
    line = runways.lineup(positions, at_end)
    if line:
        code, verb = line.runway.airfield, "climbing from" if line.climbing else "descending towards"
        away = "over it" if line.km < 0.05 else f"{line.km:.1f} km from it"
        note = (f"Track {which} at {where}, {verb} runway {line.runway.name} of {airports()[code]['name']} ({code}), "
                f"in line with it and {away}, at {line.speed:.0f} kt.")
        return _airfield(code, note, bases)
    nearby = nearest_airfield(edge.lat, edge.lon, MENTION_KM)
    mention = (f" The nearest airfield, {airports()[nearby[0]]['name']} ({nearby[0]}), is {nearby[1]:.1f} km away."
               if nearby else "")
    return {"note": f"Track {which} at {where}: not on the ground, nor {'descending towards' if at_end else 'climbing from'} "
                    f"a runway in line with it within {runways.NEAR_KM:g} km, so the airfield is unknown.{mention}"}


def _airfield(code: str, note: str, bases: dict[str, str] | None) -> dict:
    if code in (bases or {}):
        return {"base": bases[code], "note": note}
    return {"airfield": code, "country": airports()[code]["country"], "note": note}


def _minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def gaps(positions: list[tracks.Position]) -> list[tuple[datetime, datetime]]:
    """Silences longer than GAP_MINUTES between consecutive positions."""
    return [(a.time, b.time) for a, b in zip(positions, positions[1:])
            if b.time - a.time > timedelta(minutes=GAP_MINUTES)]


def _slug(text: str) -> str:
    return "-".join(part for part in "".join(c if c.isalnum() else "-" for c in text.lower()).split("-") if part)


def default_id(track: tracks.Track) -> str:
    """callsign (or registration, or address) and the day of the first position."""
    name = _slug(track.callsign or track.registration or track.icao24 or "track")
    return f"{name or 'track'}-{track.positions[0].time:%Y-%m-%d}"


def _source_default(track: tracks.Track, flight_ids: list[str]) -> str:
    if len(flight_ids) == 1:
        return f"{track.format}-{flight_ids[0]}"
    name = _slug(track.icao24 or track.registration or "track") or "track"
    return f"{track.format}-{name}-{track.positions[0].time:%Y-%m-%d}"


def _aircraft(track: tracks.Track) -> dict:
    return {k: v for k, v in (("type", track.type), ("registration", track.registration),
                              ("icao24", track.icao24), ("callsign", track.callsign)) if v}


def flight_facts(leg: tracks.Track, flight_id: str, source_id: str, bases: dict[str, str] | None = None,
                 place: tuple[int, int] = (1, 1), whole: tracks.Track | None = None,
                 tlp: str | None = None) -> dict[str, bytes]:
    """The flight and kept track of one leg, relative to data/; place is (leg number, legs in the file)."""
    whole = whole or leg
    first, last = leg.positions[0], leg.positions[-1]
    kept = tracks.simplify(leg.positions, KEEP)
    notes = [f"Imported from {leg.file} ({tracks.FORMATS[leg.format]}): {len(leg.positions)} positions, "
             f"{len(kept)} kept in data/tracks/{flight_id}.json. Departure and arrival are the first and last "
             "positions the tracker received, not take-off and landing."]
    if place[1] > 1:
        notes.append(f"Leg {place[0]} of {place[1]} in the file, which was split at the tracker's new-leg marks, "
                     "callsign changes, stops on the ground and silences over 2 hours.")
    notes += [f"No positions between {_minute(a)} and {_minute(b)} ({int((b - a).total_seconds() // 60)} min)."
              for a, b in gaps(leg.positions)]
    if whole.skipped:
        notes.append(f"{words.counted(len(whole.skipped), 'record')} without a position {words.form('was', len(whole.skipped))} left out.")
    if whole.repeats:
        notes.append(f"{words.counted(whole.repeats, 'record')} repeating a stale position {words.form('was', whole.repeats)} dropped; each position is timed "
                     "by its own update (lastposupdate), not by the state vector.")
    if whole.claimed:
        notes.append(f"{whole.publisher} lists the flight as {whole.claimed[0]} → {whole.claimed[1]}; the origin "
                     "and destination here rest on the track alone.")
    aircraft = _aircraft(leg)
    flight = {
        "id": flight_id,
        "summary": f"Tracked flight {leg.callsign or leg.icao24 or ''}".rstrip(),
        "departure": {"at": _minute(first.time), "note": "First seen by the tracker."},
        "arrival": {"at": _minute(last.time), "note": "Last seen by the tracker."},
        "origin": endpoint(leg.positions, "starts", bases), "destination": endpoint(leg.positions, "ends", bases),
        **({"aircraft": aircraft} if aircraft else {}),
        "basis": "tracked", "sources": [source_id], "track": flight_id, "note": " ".join(notes),
        **({"tlp": tlp} if tlp else {}),
    }
    return {f"flights/{flight_id}.yml": _yaml(flight),
            f"{dataset.TRACKS}/{flight_id}.json": tracks.track_file(leg, flight_id, kept, tlp)}


def source_fact(track: tracks.Track, source_id: str, reliability: str, legs: int,
                tlp: str | None = None) -> dict[str, bytes]:
    """The source for the export file, shared by every flight imported from it."""
    first = track.positions[0]
    who = track.callsign if legs == 1 else track.registration or track.icao24
    publisher = track.publisher or "unknown"
    day = f"{first.time.day} {first.time:%B %Y}"
    title = f"track of {who or 'an aircraft'}" + (f" ({legs} legs)" if legs > 1 else "") + f", {day}"
    note = f"Export file {track.file} ({tracks.FORMATS[track.format]}). Reliability set at import; review it."
    if publisher == "unknown":
        note += " The file does not say who published it; set publisher (or import with --publisher)."
    source = {
        "id": source_id,
        "title": f"{publisher} {title}" if publisher != "unknown" else title[0].upper() + title[1:],
        "publisher": publisher,
        "published": {"at": first.time.strftime("%Y-%m-%d"), "note": "The day of the first position in the export."},
        "kind": "flight tracking", "reliability": reliability, "note": note, **({"tlp": tlp} if tlp else {}),
    }
    return {f"sources/{source_id}.yml": _yaml(source)}


def _yaml(fact: dict) -> bytes:
    return yaml.safe_dump(fact, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def _end_label(leg: tracks.Track, which: str) -> str:
    end = endpoint(leg.positions, which)
    point = leg.positions[-1 if which == "ends" else 0]
    return end.get("airfield") or f"unknown ({point.lat:.2f}, {point.lon:.2f})"


def _printable(text: str) -> str:
    """Text from a tracker file, safe to print on a terminal: control characters shown as escapes."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def leg_list(pieces: list[tracks.Track]) -> str:
    """One line per leg: number, callsign, first and last seen, and its ends."""
    return "\n".join(f"  {n}. {_printable(leg.callsign or 'no callsign')} {_minute(leg.positions[0].time)} → "
                     f"{_minute(leg.positions[-1].time)}, {_end_label(leg, 'starts')} → {_end_label(leg, 'ends')}"
                     for n, leg in enumerate(pieces, 1))


def _chosen(pieces: list[tracks.Track], leg: int | None, flight_id: str | None, name: str) -> list[int]:
    """The leg numbers to import: the one asked for, or all of them when no single id was given."""
    if leg is not None and not 1 <= leg <= len(pieces):
        raise ImportRefused(f"{name}: --leg {leg} does not exist; the file holds {words.counted(len(pieces), 'leg')}:\n"
                            + leg_list(pieces))
    if leg is not None:
        return [leg]
    if flight_id and len(pieces) > 1:
        raise ImportRefused(f"{name} holds {len(pieces)} legs, so one --id cannot name them all: pick one with "
                            f"--leg N, or leave out --id to import each as its own flight:\n" + leg_list(pieces))
    return list(range(1, len(pieces) + 1))


def _flight_ids(pieces: list[tracks.Track], chosen: list[int], flight_id: str | None) -> list[str]:
    if flight_id:
        return [flight_id]
    ids: list[str] = []
    for n in chosen:
        base = default_id(pieces[n - 1])
        ids.append(base if base not in ids else f"{base}-{sum(1 for i in ids if i.startswith(base)) + 1}")
    return ids


def import_track(data_dir: Path, file: Path, fmt: str | None = None, flight_id: str | None = None,
                 source_id: str | None = None, reliability: str = "B", leg: int | None = None,
                 publisher: str | None = None, tlp: str | None = None) -> list[str]:
    """Read a tracker export and write a flight and track per leg and one source under data_dir; return the paths.

    With tlp, every file written carries that marking (else each takes the brief's)."""
    if forbidden(file.name) or "\n" in file.name or "\t" in file.name:
        raise ImportRefused(f"{visible(str(file))}: the file name has a control or invisible character, "
                            "expected a plain name (rename the file)")
    if file.exists() and not file.is_file():  # a pipe would wait for a writer forever
        raise ImportRefused(f"{visible(str(file))}: not a regular file, expected a tracker export")
    try:
        raw = file.read_bytes()
    except OSError as err:
        raise ImportRefused(f"{visible(str(file))}: cannot read the file ({err.strerror})") from None
    track = tracks.read(raw, str(file), fmt)
    track.file = file.name
    track.publisher = track.publisher or publisher or "unknown"
    pieces = tracks.legs(track)
    chosen = _chosen(pieces, leg, flight_id, file.name)
    flight_ids = _flight_ids(pieces, chosen, flight_id)
    source_id = source_id or _source_default(track, flight_ids)
    for given in (*flight_ids, source_id):
        if not ID_PATTERN.fullmatch(given):
            raise ImportRefused(f"'{visible(given)}' is not a valid id, expected lower-case letters, digits and single hyphens")
    before = dataset.read_folder(data_dir)
    current, _ = dataset.collect(before, data_dir.name)
    bases = {b.location.icao: bid for bid, b in sorted((current.bases if current else {}).items()) if b.location.icao}
    made: dict[str, bytes] = {}
    for n, fid in zip(chosen, flight_ids):
        made.update(flight_facts(pieces[n - 1], fid, source_id, bases, (n, len(pieces)), track, tlp))
    made.update(source_fact(track, source_id, reliability, len(chosen), tlp))
    existing = [rel for rel in made if os.path.lexists(data_dir / rel)]
    if existing:
        raise ImportRefused(f"{data_dir.name}/{existing[0]} already exists, expected a new flight id (use --id)")
    files = {**before, **{f"{data_dir.name}/{rel}": body for rel, body in made.items()}}
    _, problems = dataset.collect(files, data_dir.name)
    if problems:
        raise ValidationFailed(problems)
    for rel, body in made.items():
        disk.write_new(data_dir / rel, body)
    return [f"{data_dir.name}/{rel}" for rel in made]
