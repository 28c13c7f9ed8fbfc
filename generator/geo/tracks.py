"""Position tracks from flight-tracker exports (FlightRadar24, OpenSky Network, readsb/ADS-B Exchange)."""
from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from generator import words
from generator.errors import Problem, ValidationFailed

FORMATS = {"fr24": "FlightRadar24 CSV export", "fr24-granular": "FlightRadar24 granular CSV",
           "fr24-json": "FlightRadar24 playback JSON", "opensky": "OpenSky Network state vectors CSV",
           "readsb": "readsb/tar1090 trace JSON"}
SIGNS = {"fr24": "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction",
         "fr24-granular": "network_time,receiver_time,hex,callsign,latitude,…",
         "fr24-json": "result.response.data.flight.track", "opensky": "time,icao24,lat,lon,…,lastposupdate,lastcontact",
         "readsb": "trace_full_<hex>.json, plain or gzipped"}
PUBLISHERS = {"fr24": "FlightRadar24", "fr24-granular": "FlightRadar24", "fr24-json": "FlightRadar24",
              "opensky": "OpenSky Network"}  # a readsb trace does not name who published it
FR24_COLUMNS = ("Timestamp", "Callsign", "Position", "Altitude", "Speed", "Direction")  # often with UTC after Timestamp
GRANULAR_COLUMNS = ("network_time", "receiver_time", "hex", "callsign", "latitude", "longitude", "no_position",
                    "altitude", "squawk", "speed", "track", "vspeed", "on_ground")
OPENSKY_COLUMNS = ("time", "icao24", "lat", "lon", "velocity", "heading", "vertrate", "callsign", "onground",
                   "alert", "spi", "squawk", "baroaltitude", "geoaltitude", "lastposupdate", "lastcontact")
METRES_TO_FEET = 3.28084
MS_TO_KNOTS = 1.943844
MAX_TRACK_BYTES = 256 * 1024  # a kept track (at most 300 positions from brief import track) is about 20 KB
MAX_DRAWN = 300  # positions drawn per track: a longer hand-made track is simplified before it reaches a page
MAX_DIGITS = 40  # no time, position or altitude in an export needs more digits than this
MAX_EXPORT_BYTES = 32 * 1024 * 1024  # a tracker export, as read or once ungzipped (a day's trace is a few MB)
ALTITUDE_FT = (-2_000.0, 200_000.0)
TRACK_SCHEMA = "intelbrief-track/1"


class TrackError(ValidationFailed):
    """A track file that cannot be read; every problem is located in the file."""


@dataclass(frozen=True)
class Position:
    """One reported position: UTC time, latitude, longitude, altitude in feet (None unknown), on ground."""

    time: datetime
    lat: float
    lon: float
    altitude: float | None
    ground: bool
    line: int
    speed: float | None = None  # ground speed in knots, when the file gives it
    callsign: str | None = None  # as received with this position
    new_leg: bool = False  # the tracker marks this position as the start of a new leg


@dataclass
class Track:
    """The positions of one aircraft, with what the file says about it."""

    format: str
    file: str
    positions: list[Position]
    icao24: str | None = None
    callsign: str | None = None
    registration: str | None = None
    type: str | None = None
    skipped: list[int] = field(default_factory=list)
    publisher: str | None = None
    repeats: int = 0  # positions dropped because the tracker repeated a stale one
    claimed: tuple[str, str] | None = None  # origin and destination the tracker's schedule names


# ---------------------------------------------------------------- reading


def detect(raw: bytes, name: str) -> str:
    """The format of a tracker export, from its content; raise TrackError when it is none of them."""
    text = _unzipped(raw, name).lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"{"):
        return _json_kind(text, name)
    header = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    columns = [c.strip().strip('"') for c in header.split(",")]
    if [c for c in columns if c != "UTC"] == list(FR24_COLUMNS):
        return "fr24"
    if tuple(columns[:len(GRANULAR_COLUMNS)]) == GRANULAR_COLUMNS:
        return "fr24-granular"
    if columns[:len(OPENSKY_COLUMNS)] == list(OPENSKY_COLUMNS):
        return "opensky"
    raise _unknown(name, f"unrecognised columns '{header[:80]}'")


def _unknown(name: str, found: str) -> TrackError:
    known = "; ".join(f"{FORMATS[f]} ({SIGNS[f]})" for f in FORMATS)
    return TrackError([Problem(name, 1, 1, "", f"{found}, expected one of the tracker exports this tool reads: {known}", code="unknown-format")])


def _json_kind(text: bytes, name: str) -> str:
    doc = strict_json(text.decode("utf-8", "replace"), name)
    if isinstance(doc, dict) and isinstance(doc.get("trace"), list):
        return "readsb"
    if isinstance(doc, dict) and isinstance(_fr24_flight(doc).get("track"), list):
        return "fr24-json"
    if isinstance(doc, dict) and isinstance(doc.get("aircraft"), list):
        raise TrackError([Problem(name, 1, 1, "aircraft", f"a dump1090/readsb aircraft.json snapshot: "
                                  f"{len(doc['aircraft'])} aircraft at one moment, not the track of one aircraft; "
                                  "export that aircraft's trace (trace_full_<hex>.json) instead", code="not-a-track")])
    raise _unknown(name, "a JSON file that is not a tracker export")


def _fr24_flight(doc: dict) -> dict:
    """The flight object of a FlightRadar24 playback JSON, or {}."""
    node = doc
    for key in ("result", "response", "data", "flight"):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def read(raw: bytes, name: str, fmt: str | None = None) -> Track:
    """Parse a tracker export (format detected unless given); raise TrackError listing every bad row."""
    fmt = fmt or detect(raw, name)
    raw = _unzipped(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TrackError([Problem(name, 1, 1, "", f"not UTF-8 text (byte {err.start}), expected a tracker export", code="not-utf8")]) from None
    readers = {"fr24": _read_fr24, "fr24-granular": _read_granular, "fr24-json": _read_fr24_json,
               "opensky": _read_opensky, "readsb": _read_readsb}
    track = readers[fmt](text, name)
    track.publisher = track.publisher or PUBLISHERS.get(fmt)
    if len(track.positions) < 2:
        raise TrackError([Problem(name, 1, 1, "", f"{words.counted(len(track.positions), 'position')} in the file, "
                                  "expected at least two to make a track", code="too-few-positions")])
    track.positions.sort(key=lambda p: (p.time, p.line))
    return track


def _unzipped(raw: bytes, name: str) -> bytes:
    """The bytes of a gzip file (ADS-B Exchange serves traces gzipped), or raw as it is; never more than
    MAX_EXPORT_BYTES of them, however well the file compresses (a TrackError says so)."""
    too_large(len(raw), name)
    if raw[:2] != b"\x1f\x8b":
        return raw
    import zlib

    parts, rest, total = [], raw, 0
    try:
        while rest[:2] == b"\x1f\x8b":  # one member after another, as gzip writes concatenated files
            member = zlib.decompressobj(wbits=31)
            parts.append(member.decompress(rest, MAX_EXPORT_BYTES + 1 - total))
            total += len(parts[-1])
            too_large(total, name, " once decompressed")
            if not member.eof:
                return raw  # cut short: read as it is, and refused as an unknown format
            rest = member.unused_data
    except zlib.error:
        return raw
    return b"".join(parts)


def too_large(size: int, name: str, how: str = "") -> None:
    """Refuse an export over MAX_EXPORT_BYTES, with its file named."""
    if size > MAX_EXPORT_BYTES:
        raise TrackError([Problem(name, 1, 1, "", f"the export is more than {MAX_EXPORT_BYTES:,} bytes{how}, "
                                  f"expected a tracker export of at most "
                                  f"{MAX_EXPORT_BYTES:,} bytes (split it, or export one aircraft's day)",
                                  code="file-too-large")])


def _rows(text: str, name: str, columns: tuple) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    found = [c.strip() for c in (_csv_header(reader, name) or [])]
    missing = [c for c in columns if c not in found]
    if missing:
        raise TrackError([Problem(name, 1, 1, "", f"missing {words.form('column', len(missing))} {', '.join(missing)}, "
                                  f"expected the columns {','.join(columns)}", code="missing-column")])
    rows = []
    for row in _csv_records(reader, name):
        if None in row or any(v is None for v in row.values()):
            raise TrackError([Problem(name, reader.line_num, 1, "", f"row has {len([v for v in row.values() if v is not None]) + len(row.get(None) or [])} "
                                      f"cells, expected {len(found)} as in the header", code="bad-row")])
        rows.append((reader.line_num, {k.strip(): v.strip() for k, v in row.items()}))
    return rows


def _csv_header(reader: csv.DictReader, name: str):
    try:
        return reader.fieldnames
    except csv.Error as err:
        raise _csv_problem(err, name, reader.reader.line_num) from None


def _csv_records(reader, name: str):
    """The reader's rows; a row the csv module cannot read (a field over its limit of 128 KiB) is a located problem."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as err:  # a DictReader counts lines only after a row is read: ask its reader
            raise _csv_problem(err, name, getattr(reader, "reader", reader).line_num) from None


def _csv_problem(err: csv.Error, name: str, line: int) -> TrackError:
    if "field larger than field limit" in str(err):
        message = f"a field is longer than {csv.field_size_limit():,} characters, expected short CSV fields"
    else:
        message = f"cannot read the row ({err}), expected a CSV row"
    return TrackError([Problem(name, max(line, 1), 1, "", message, code="bad-row")])


def _number(value: str, name: str, line: int, column: str, problems: list) -> float | None:
    try:
        number = float(value) if len(value) <= MAX_DIGITS else None
    except ValueError:
        problems.append(Problem(name, line, 1, column, f"'{_cut(value)}' is not a number", code="not-a-number"))
        return None
    if number is None:
        problems.append(Problem(name, line, 1, column, f"'{_cut(value)}' has {len(value):,} characters, expected a "
                                f"number of at most {MAX_DIGITS} characters", code="not-a-number"))
        return None
    if not math.isfinite(number):
        problems.append(Problem(name, line, 1, column, f"'{_cut(value)}' is not a finite number", code="not-a-number"))
        return None
    return number


def _altitude(value: str, scale: float, name: str, line: int, column: str, problems: list) -> float | None:
    """An altitude in feet (scale converts from the file's unit), within what an aircraft can fly."""
    number = _number(value, name, line, column, problems)
    if number is None:
        return None
    if not ALTITUDE_FT[0] <= number * scale <= ALTITUDE_FT[1]:
        problems.append(Problem(name, line, 1, column, f"{_cut(value)} is out of range, expected an altitude from "
                                f"{ALTITUDE_FT[0] / scale:,.0f} to {ALTITUDE_FT[1] / scale:,.0f}", code="out-of-range"))
        return None
    return number * scale


def _cut(value) -> str:
    """A value short enough to quote in a message."""
    text = str(value)
    return text if len(text) <= MAX_DIGITS else f"{text[:MAX_DIGITS]}…"


def _position(name, line, time, lat, lon, altitude, ground, problems, **extra) -> Position | None:
    if lat is None or lon is None or time is None:
        return None
    if not -90 <= lat <= 90:
        problems.append(Problem(name, line, 1, "latitude", f"{lat:g} is out of range, expected -90 to 90", code="out-of-range"))
        return None
    if not -180 <= lon <= 180:
        problems.append(Problem(name, line, 1, "longitude", f"{lon:g} is out of range, expected -180 to 180", code="out-of-range"))
        return None
    return Position(time, lat, lon, altitude, ground, line, **extra)


def _epoch(value: str, name: str, line: int, column: str, problems: list) -> datetime | None:
    number = _number(value, name, line, column, problems) if value else None
    if value and number is not None and 946684800 <= number <= 4102444800:  # 2000 to 2100
        return datetime.fromtimestamp(number, tz=timezone.utc)
    if number is not None or not value:
        problems.append(Problem(name, line, 1, column, f"'{value}' is not a Unix time, expected seconds since 1970 "
                                "(between 2000 and 2100)", code="bad-time"))
    return None


def _finish(name: str, problems: list, track: Track) -> Track:
    if problems:
        raise TrackError(problems)
    return track


def _read_fr24(text: str, name: str) -> Track:
    problems: list[Problem] = []
    positions, callsigns = [], []
    for line, row in _rows(text, name, FR24_COLUMNS):
        time = _epoch(row["Timestamp"], name, line, "Timestamp", problems)
        match = re.fullmatch(r"\s*(-?[0-9.]+)\s*,\s*(-?[0-9.]+)\s*", row["Position"])
        if not match:
            problems.append(Problem(name, line, 1, "Position", f"'{_cut(row['Position'])}' is not a position, "
                                    "expected \"latitude,longitude\" in quotes", code="bad-position"))
            continue
        lat, lon = (_number(match[n], name, line, "Position", problems) for n in (1, 2))
        altitude = _altitude(row["Altitude"], 1.0, name, line, "Altitude", problems) if row["Altitude"] else None
        speed = _number(row["Speed"], name, line, "Speed", problems) if row["Speed"] else None
        position = _position(name, line, time, lat, lon, altitude, altitude == 0, problems, speed=speed,
                             callsign=row["Callsign"] or None)
        if position:
            positions.append(position)
        if row["Callsign"]:
            callsigns.append(row["Callsign"])
    return _finish(name, problems, Track("fr24", name, positions, callsign=_most_common(callsigns)))


def _read_opensky(text: str, name: str) -> Track:
    """State vectors, each stamped with its position's own time (lastposupdate); stale repeats dropped."""
    problems: list[Problem] = []
    positions, callsigns, addresses, skipped, repeats, last = [], [], [], [], 0, None
    for line, row in _rows(text, name, OPENSKY_COLUMNS):
        _epoch(row["time"], name, line, "time", problems)
        if not row["lat"] or not row["lon"] or not row["lastposupdate"]:
            skipped.append(line)  # a state vector without a position: the receiver heard the aircraft only
            continue
        if row["lastposupdate"] == last:
            repeats += 1  # the same position again, with a newer state-vector time
            continue
        last = row["lastposupdate"]
        time = _epoch(row["lastposupdate"], name, line, "lastposupdate", problems)
        lat = _number(row["lat"], name, line, "lat", problems)
        lon = _number(row["lon"], name, line, "lon", problems)
        feet = (_altitude(row["baroaltitude"], METRES_TO_FEET, name, line, "baroaltitude", problems)
                if row["baroaltitude"] else None)
        velocity = _number(row["velocity"], name, line, "velocity", problems) if row["velocity"] else None
        ground = row["onground"].lower() in ("true", "1")
        position = _position(name, line, time, lat, lon, feet, ground, problems, speed=velocity * MS_TO_KNOTS if velocity is not None else None,
                             callsign=row["callsign"] or None)
        if position:
            positions.append(position)
        callsigns += [row["callsign"]] if row["callsign"] else []
        addresses += [row["icao24"]] if row["icao24"] else []
    address = _most_common(addresses)
    track = Track("opensky", name, positions, icao24=address.lower() if address else None, callsign=_most_common(callsigns),
                  skipped=skipped, repeats=repeats)
    return _finish(name, problems, track)


def _read_granular(text: str, name: str) -> Track:
    """FlightRadar24's granular CSV: one row per message, with rows that carry no position."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip() for c in next(_csv_records(reader, name), [])]
    positions, callsigns, addresses, skipped, seen = [], [], [], [], set()
    for cells in _csv_records(reader, name):
        line = reader.line_num
        if not any(cells):
            continue
        if len(cells) < len(GRANULAR_COLUMNS):
            problems.append(Problem(name, line, 1, "", f"row has {len(cells)} cells, expected at least "
                                    f"{len(GRANULAR_COLUMNS)} ({','.join(GRANULAR_COLUMNS)})", code="bad-row"))
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        if row["no_position"] != "P":
            skipped.append(line)
            continue
        stamp = row["receiver_time"] if not row["receiver_time"].startswith("1970-") else row["network_time"]
        time = _granular_time(stamp, name, line, problems)  # the receiver's clock, unless it did not set one
        lat = _number(row["latitude"], name, line, "latitude", problems)
        lon = _number(row["longitude"], name, line, "longitude", problems)
        altitude = _number(row["altitude"], name, line, "altitude", problems) if row["altitude"] else None
        speed = _number(row["speed"], name, line, "speed", problems) if row["speed"] else None
        if (time, lat, lon) in seen:
            continue  # the same message relayed by another receiver
        seen.add((time, lat, lon))
        position = _position(name, line, time, lat, lon, altitude, row["on_ground"] == "G", problems,
                             speed=speed, callsign=row["callsign"] or None)
        if position:
            positions.append(position)
        callsigns += [row["callsign"]] if row["callsign"] else []
        addresses += [row["hex"].lower().removeprefix("0x")] if row["hex"] else []
    address = _most_common(addresses)
    track = Track("fr24-granular", name, positions, icao24=address.lower() if address and re.fullmatch(
        r"[0-9A-F]{6}", address) else None, callsign=_most_common(callsigns), skipped=skipped)
    return _finish(name, problems, track)


def _granular_time(value: str, name: str, line: int, problems: list) -> datetime | None:
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})Z(?:\.(\d{1,6}))?", value)
    if not match:
        problems.append(Problem(name, line, 1, "receiver_time", f"'{value}' is not a time, "
                                "expected YYYY-MM-DD HH:MM:SSZ.fff as FlightRadar24 writes it", code="bad-time"))
        return None
    moment = datetime.fromisoformat(f"{match[1]}T{match[2]}+00:00")
    return moment + timedelta(microseconds=int((match[3] or "0").ljust(6, "0")))


def _read_fr24_json(text: str, name: str) -> Track:
    """FlightRadar24's playback JSON: the flight's identity, its scheduled airports and its track."""
    flight = _fr24_flight(strict_json(text, name))
    problems: list[Problem] = []
    positions = []
    for n, point in enumerate(flight.get("track") or []):
        where = f"track[{n}]"
        try:
            lat, lon, stamp = float(point["latitude"]), float(point["longitude"]), point["timestamp"]
            feet = (point.get("altitude") or {}).get("feet")
            knots = (point.get("speed") or {}).get("kts")
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append(Problem(name, 1, 1, where, "expected latitude, longitude, altitude.feet and timestamp",
                                    code="bad-row"))
            continue
        time = _epoch(str(stamp), name, 1, f"{where}.timestamp", problems)
        found: list[Problem] = []
        position = _position(name, n, time, lat, lon, None if feet is None else float(feet), feet == 0, found,
                             speed=None if knots is None else float(knots))
        problems += [Problem(p.file, 1, 1, f"{where}.{p.field}", p.message, code=p.code) for p in found]
        if position:
            positions.append(position)
    ident = flight.get("identification") or {}
    aircraft = flight.get("aircraft") or {}
    codes = aircraft.get("identification") or {}
    airports = flight.get("airport") or {}
    claimed = tuple(((airports.get(end) or {}).get("code") or {}).get("icao") or "?" for end in ("origin", "destination"))
    address = str(codes.get("modes") or "").lower()
    track = Track("fr24-json", name, positions, icao24=address if re.fullmatch(r"[0-9a-f]{6}", address) else None,
                  callsign=_text(ident.get("callsign")), registration=_text(codes.get("registration")),
                  type=_text((aircraft.get("model") or {}).get("code")),
                  claimed=None if claimed == ("?", "?") else claimed)
    return _finish(name, problems, track)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _NotANumber(ValueError):
    pass


def _json_number(kind):
    def parse(literal: str):
        if len(literal) > MAX_DIGITS:
            raise _NotANumber(literal, f"a number with {len(literal):,} digits, expected at most {MAX_DIGITS} digits")
        number = kind(literal)
        if not math.isfinite(number):
            raise _NotANumber(literal, f"{literal} is not a finite number, expected a number")
        return number
    return parse


def _json_constant(literal: str):
    raise _NotANumber(literal, f"{literal} is not a number JSON allows, expected a finite number")


def strict_json(text: str, name: str):
    """JSON with finite numbers of sane length only; anything else is a located problem, never a crash."""
    try:
        return json.loads(text, parse_int=_json_number(int), parse_float=_json_number(float),
                          parse_constant=_json_constant)
    except json.JSONDecodeError as err:
        raise TrackError([Problem(name, err.lineno, err.colno, "", f"not valid JSON ({err.msg})", code="not-json")]) from None
    except RecursionError:
        raise TrackError([Problem(name, 1, 1, "", "JSON nested too deeply, expected a flat export", code="too-deep")]) from None
    except _NotANumber as err:
        literal, message = err.args
        before = text[: max(text.find(literal), 0)]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise TrackError([Problem(name, line, column, "", message, code="not-a-number")]) from None


def _read_readsb(text: str, name: str) -> Track:
    doc = strict_json(text, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("trace"), list):
        raise TrackError([Problem(name, 1, 1, "trace", "missing, expected a readsb trace with a 'trace' list", code="missing-field")])
    problems: list[Problem] = []
    start = doc.get("timestamp")
    if not _is_number(start) or not 946684800 <= start <= 4102444800:
        raise TrackError([Problem(name, 1, 1, "timestamp", f"'{start}' is not a Unix time, expected seconds since 1970",
                                  code="bad-time")])
    positions, callsigns = [], []
    for n, point in enumerate(doc["trace"]):
        where = f"trace[{n}]"
        if not isinstance(point, list) or len(point) < 4 or not all(_is_number(v) for v in point[:3]):
            problems.append(Problem(name, 1, 1, where, "expected [seconds, latitude, longitude, altitude, …]", code="bad-row"))
            continue
        altitude = point[3]
        ground = altitude == "ground"
        details = point[8] if len(point) > 8 and isinstance(point[8], dict) else {}
        callsign = str(details.get("flight", "")).strip() or None
        flags = point[6] if len(point) > 6 and isinstance(point[6], int) else 0
        speed = point[4] if len(point) > 4 and isinstance(point[4], (int, float)) else None
        found: list[Problem] = []
        time = _epoch(str(start + point[0]), name, 1, "time", found)
        feet = _altitude(str(altitude), 1.0, name, 1, "altitude", found) if _is_number(altitude) else None
        position = _position(name, n, time, float(point[1]), float(point[2]), 0.0 if ground else feet, ground, found, speed=speed, callsign=callsign, new_leg=bool(flags & 2))
        problems += [Problem(p.file, 1, p.column, f"{where}.{p.field}", p.message, code=p.code) for p in found]
        if position:
            positions.append(position)
        callsigns += [callsign] if callsign else []
    address = str(doc.get("icao", "")).lower()
    track = Track("readsb", name, positions, icao24=address if re.fullmatch(r"[0-9a-f]{6}", address) else None,
                  callsign=_most_common(callsigns), registration=_text(doc.get("r")), type=_text(doc.get("t")))
    return _finish(name, problems, track)


def _text(value) -> str | None:
    return str(value).strip() or None if value is not None else None


def _most_common(values: list[str]) -> str | None:
    cleaned = [v.strip().upper() for v in values if v and v.strip()]
    return max(sorted(set(cleaned)), key=cleaned.count) if cleaned else None


# ---------------------------------------------------------------- legs

LEG_GAP = timedelta(hours=2)  # a longer silence starts a new leg
GROUND_STOP = timedelta(minutes=5)  # … and so does a stay on the ground this long between two airborne stretches


def legs(track: Track) -> list[Track]:
    """The track split into flights: at the tracker's new-leg mark, a callsign change, a ground stop or a long gap."""
    pieces = [piece for part in _split(track.positions, _marked(track.positions) | _gaps(track.positions)
                                       | _ground_stops(track.positions))
              for piece in _split(part, _renamed(part))]
    pieces = [piece for piece in pieces if len(piece) >= 2]
    if len(pieces) <= 1:
        return [track]
    return [Track(track.format, track.file, piece, icao24=track.icao24,
                  callsign=_most_common([p.callsign for p in piece if p.callsign]),
                  registration=track.registration, type=track.type, publisher=track.publisher)
            for piece in pieces]


def _split(points: list[Position], cuts: set[int]) -> list[list[Position]]:
    bounds = [0, *sorted(cuts), len(points)]
    return [points[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def _marked(points: list[Position]) -> set[int]:
    return {i for i, p in enumerate(points) if i and p.new_leg}


def _renamed(points: list[Position]) -> set[int]:
    cuts, current = set(), None
    for i, p in enumerate(points):
        name = p.callsign.strip().upper() if p.callsign and p.callsign.strip() else None
        if name and current and name != current:
            cuts.add(i)
        current = name or current
    return cuts


def _gaps(points: list[Position]) -> set[int]:
    return {i for i in range(1, len(points)) if points[i].time - points[i - 1].time > LEG_GAP}


def _ground_stops(points: list[Position]) -> set[int]:
    """A cut inside each long enough run of ground positions that has airborne positions on both sides."""
    cuts, i = set(), 0
    while i < len(points):
        if not points[i].ground:
            i += 1
            continue
        j = i
        while j + 1 < len(points) and points[j + 1].ground:
            j += 1
        if 0 < i and j + 1 < len(points) and points[j].time - points[i].time >= GROUND_STOP:
            widest = max(range(i + 1, j + 1), key=lambda k: points[k].time - points[k - 1].time)
            cuts.add(widest)
        i = j + 1
    return cuts


# ---------------------------------------------------------------- simplifying


def simplify(points: list[Position], keep: int = 300) -> list[Position]:
    """Ramer–Douglas–Peucker: the fewest positions that keep the path's shape, at most about keep."""
    if len(points) <= keep:
        return list(points)
    tolerance, chosen = 0.001, list(points)
    while len(chosen) > keep:
        chosen = [points[i] for i in sorted(_rdp(points, 0, len(points) - 1, tolerance))]
        tolerance *= 2
    return chosen


def _rdp(points: list[Position], first: int, last: int, tolerance: float) -> set[int]:
    keep, stack = {first, last}, [(first, last)]
    while stack:
        a, b = stack.pop()
        worst, index = 0.0, None
        for i in range(a + 1, b):
            d = _offset(points[i], points[a], points[b])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep.add(index)
            stack += [(a, index), (index, b)]
    return keep


def _offset(p: Position, a: Position, b: Position) -> float:
    """Distance in degrees from p to the segment a–b, longitude scaled by the latitude."""
    scale = math.cos(math.radians((a.lat + b.lat) / 2))
    ax, ay, bx, by, px, py = a.lon * scale, a.lat, b.lon * scale, b.lat, p.lon * scale, p.lat
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


# ---------------------------------------------------------------- the kept track file


def track_file(track: Track, flight_id: str, positions: list[Position], tlp: str | None = None) -> bytes:
    """The simplified track as JSON, one position per line: [UTC time, latitude, longitude, feet or null]."""
    head = json.dumps({"schema": TRACK_SCHEMA, "flight": flight_id, "format": track.format, "file": track.file,
                       "positions_in_file": len(track.positions), "positions_kept": len(positions),
                       **({"tlp": tlp} if tlp else {})})
    rows = [json.dumps([p.time.strftime("%Y-%m-%dT%H:%M:%SZ"), round(p.lat, 5), round(p.lon, 5),
                        None if p.altitude is None else round(p.altitude)]) for p in positions]
    return (head[:-1] + ', "points": [\n  ' + ",\n  ".join(rows) + "\n]}\n").encode("utf-8")


def load_track(raw: bytes, path: str) -> tuple[list[tuple[float, float]], list[Problem]]:
    """The (lat, lon) path of a kept track file, and every problem with it."""
    try:
        doc = strict_json(raw.decode("utf-8"), path)
    except UnicodeDecodeError as err:
        return [], [Problem(path, 1, 1, "", f"not a readable track file ({err}), expected JSON", code="unreadable-track")]
    except TrackError as err:
        return [], err.problems
    if not isinstance(doc, dict) or doc.get("schema") != TRACK_SCHEMA or not isinstance(doc.get("points"), list):
        return [], [Problem(path, 1, 1, "schema", f"expected a track file with schema '{TRACK_SCHEMA}' and points", code="bad-track-schema")]
    lines = [n for n, text in enumerate(raw.decode("utf-8").splitlines(), 1) if text.lstrip().startswith("[\"")]
    problems, path_points = [], []
    for n, point in enumerate(doc["points"]):
        line = lines[n] if len(lines) == len(doc["points"]) else 1
        problem = _point_problem(point)
        if problem:
            problems.append(Problem(path, line, 1, f"points[{n}]", problem, code="bad-track-point"))
        else:
            path_points.append((float(point[1]), float(point[2])))
    if len(doc["points"]) < 2:
        problems.append(Problem(path, 1, 1, "points", f"{words.counted(len(doc['points']), 'position')}, expected at least two", code="too-few-positions"))
    return drawn(path_points), problems


def drawn(path: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) path as drawn: simplified to at most MAX_DRAWN positions, so no track can swell a page."""
    if len(path) <= MAX_DRAWN:
        return path
    points = [Position(datetime.min, lat, lon, None, False, n) for n, (lat, lon) in enumerate(path)]
    return [(p.lat, p.lon) for p in simplify(points, MAX_DRAWN)]


def _point_problem(point) -> str | None:
    if not isinstance(point, list) or len(point) != 4:
        return f"{json.dumps(point)} is not [time, latitude, longitude, feet]"
    time, lat, lon, _ = point
    if not isinstance(time, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", time):
        return f"'{time}' is not a UTC time, expected YYYY-MM-DDTHH:MM:SSZ"
    if not isinstance(lat, (int, float)) or not -90 <= lat <= 90:
        return f"latitude {lat} is out of range, expected -90 to 90"
    if not isinstance(lon, (int, float)) or not -180 <= lon <= 180:
        return f"longitude {lon} is out of range, expected -180 to 180"
    return None


def track_marking(raw: bytes, path: str, labels: tuple[str, ...]) -> tuple[str | None, list[Problem]]:
    """The TLP label a kept track file carries in its optional "tlp" key, and the problem when it is not one of the
    labels the facts know."""
    try:
        doc = strict_json(raw.decode("utf-8"), path)
    except (UnicodeDecodeError, TrackError):
        return None, []  # load_track reports the unreadable file
    label = doc.get("tlp") if isinstance(doc, dict) else None
    if label is None or label in labels:
        return label, []
    line = next((n for n, text in enumerate(raw.decode("utf-8").splitlines(), 1) if '"tlp"' in text), 1)
    return None, [Problem(path, line, 1, "tlp", f"{json.dumps(label)} is not a known TLP 2.0 label, "
                          f"expected one of: {', '.join(labels)}", code="unknown-choice")]
