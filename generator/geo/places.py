"""Where things are: bases, airfields and places as coordinates, and countries' centres from the base map."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from generator.geo.airfields import position

BASE_MAP = Path(__file__).parent.parent / "assets" / "vendor" / "world_110m.json"


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    """ISO 3166-1 alpha-3 → (lat, lon) of the country's centre, as the served base map draws it."""
    topo = json.loads(BASE_MAP.read_text(encoding="utf-8"))
    return {g["id"]: (g["properties"]["ct"][1], g["properties"]["ct"][0])
            for g in topo["objects"]["countries"]["geometries"] if "ct" in g.get("properties", {})}


def country_centroid(code: str) -> tuple[float, float] | None:
    import pycountry

    return _centroids().get(pycountry.countries.get(alpha_2=code).alpha_3)


def endpoint_point(end, bases: dict, *, exact: bool = False) -> tuple[float, float] | None:
    """(lat, lon) of one end of a flight (a facts Endpoint: base id, airfield, place with coordinates, country): a
    base, airfield or place; else, unless exact, its country's centre."""
    base = bases.get(end.base) if end.base else None
    point = (base.location.point() if base else None) or (position(end.airfield) if end.airfield else None) or (
        (end.coordinates.lat, end.coordinates.lon) if end.coordinates else None)
    if point or exact:
        return point
    country = base.country if base else end.country
    return country_centroid(country) if country else None
