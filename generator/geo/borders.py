"""Countries as the served base map draws them, and routes along great circles that stop at a border.

The outlines come from the same Natural Earth 1:110m TopoJSON the site's map draws, so a route that
ends where a country's shading begins ends on the drawn border, not at a point inside it.
"""
from __future__ import annotations

import json
import math
from functools import cache

from generator.geo.places import BASE_MAP

Point = tuple[float, float]  # (lat, lon) in degrees
Ring = tuple[Point, ...]
EARTH_KM = 6371.0088
STEP_KM = 150  # great circles are drawn through a point at least every STEP_KM (finer adds bytes, not shape, at map scale)


@cache
def _topology() -> dict:
    return json.loads(BASE_MAP.read_text(encoding="utf-8"))


@cache
def _arcs() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Every arc of the base map as (lon, lat) points, its quantised deltas decoded."""
    topo = _topology()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    decoded = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(tuple(points))
    return tuple(decoded)


def _ring(indexes: list[int]) -> Ring:
    arcs = _arcs()
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else tuple(reversed(arcs[~index]))
        points += [(lat, lon) for lon, lat in (arc[1:] if points else arc)]
    return tuple(points)


@cache
def outline(alpha3: str) -> tuple[Ring, ...]:
    """The rings (outer and holes alike) of a country's shape on the base map; empty when the map lacks it."""
    for shape in _topology()["objects"]["countries"]["geometries"]:
        if shape.get("id") == alpha3:
            polygons = shape["arcs"] if shape["type"] == "MultiPolygon" else [shape["arcs"]]
            return tuple(_ring(ring) for polygon in polygons for ring in polygon if ring)
    return ()


def inside(point: Point, rings: tuple[Ring, ...]) -> bool:
    """Whether point lies in the shape (even-odd rule over every ring, so holes count out)."""
    lat, lon = point
    crossings = 0
    for ring in rings:
        for (lat1, lon1), (lat2, lon2) in zip(ring, ring[1:] + ring[:1]):
            if (lat1 > lat) != (lat2 > lat):
                at = lon1 + (lat - lat1) * (lon2 - lon1) / (lat2 - lat1)
                crossings += lon < at
    return crossings % 2 == 1


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def bearing(a: Point, b: Point) -> float:
    """The initial compass bearing from a to b, in degrees clockwise from north."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    y = math.sin(lo2 - lo1) * math.cos(la2)
    x = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(lo2 - lo1)
    return math.degrees(math.atan2(y, x)) % 360


def great_circle(a: Point, b: Point, step_km: float = STEP_KM) -> list[Point]:
    """Points along the shorter great circle from a to b, both ends included."""
    steps = max(1, math.ceil(distance_km(a, b) / step_km))
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    p = (math.cos(la1) * math.cos(lo1), math.cos(la1) * math.sin(lo1), math.sin(la1))
    q = (math.cos(la2) * math.cos(lo2), math.cos(la2) * math.sin(lo2), math.sin(la2))
    omega = math.acos(max(-1.0, min(1.0, sum(x * y for x, y in zip(p, q)))))
    if omega < 1e-9:
        return [a, b]
    points = []
    for i in range(steps + 1):
        t = i / steps
        f, g = math.sin((1 - t) * omega) / math.sin(omega), math.sin(t * omega) / math.sin(omega)
        x, y, z = (f * u + g * v for u, v in zip(p, q))
        points.append((math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))))
    return points


def _crossing(a: Point, b: Point, rings: tuple[Ring, ...]) -> Point:
    """Where segment a→b (a outside, b inside) first meets a ring's edge; b when no edge is found."""
    best, point = 2.0, b
    (ay, ax), (by, bx) = a, b
    for ring in rings:
        for (cy, cx), (dy, dx) in zip(ring, ring[1:] + ring[:1]):
            denom = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx)
            if abs(denom) < 1e-12:
                continue
            t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / denom
            u = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / denom
            if 0 <= t <= 1 and 0 <= u <= 1 and t < best:
                best, point = t, (ay + t * (by - ay), ax + t * (bx - ax))
    return point


def to_border(path: list[Point], rings: tuple[Ring, ...]) -> list[Point]:
    """path cut where it first enters the shape, ending on its border; unchanged when it never enters."""
    for i, point in enumerate(path):
        if i and inside(point, rings):
            return path[:i] + [_crossing(path[i - 1], point, rings)]
    return path


def between(a: Point, b: Point, start: tuple[Ring, ...] = (), end: tuple[Ring, ...] = ()) -> list[Point]:
    """The great circle from a to b, leaving the start shape at its border and stopping at the end shape's border.

    A country known only as a country is given by its shape: the route never ends at a point inside it.
    """
    path = great_circle(a, b)
    if start:
        path = list(reversed(to_border(list(reversed(path)), start)))
    if end:
        path = to_border(path, end)
    return path
