"""Where things are: airfields from airportsdata, countries from ISO 3166, centres from the base map."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from generator.facts.models import Endpoint, airports

BASE_MAP = Path(__file__).parent.parent / "assets" / "vendor" / "world_110m.json"


@cache
def country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@cache
def _centroids() -> dict[str, tuple[float, float]]:
    """ISO 3166-1 alpha-3 → (lat, lon) of the country's centre, as the served base map draws it."""
    topo = json.loads(BASE_MAP.read_text())
    return {g["id"]: (g["properties"]["ct"][1], g["properties"]["ct"][0])
            for g in topo["objects"]["countries"]["geometries"] if "ct" in g.get("properties", {})}


def country_centroid(code: str) -> tuple[float, float] | None:
    import pycountry

    return _centroids().get(pycountry.countries.get(alpha_2=code).alpha_3)


def endpoint_label(end: Endpoint, bases: dict | None = None) -> str:
    """A short name for one end of a flight, saying only what is known."""
    if end.base:
        return end.base if bases is None or end.base not in bases else bases[end.base].name
    if end.airfield:
        return f"{airports()[end.airfield]['name']} ({end.airfield})"
    if end.place:
        return f"{end.place}, {country_name(end.country)}" if end.country else end.place
    if end.country:
        return f"{country_name(end.country)} (airfield unknown)"
    return "unknown"


def endpoint_point(end: Endpoint, data) -> tuple[float, float] | None:
    """Coordinates to draw an endpoint at, or None when nothing places it."""
    if end.base and end.base in data.bases:
        point = data.bases[end.base].location.point()
        if point:
            return point
        return country_centroid(data.bases[end.base].country)
    if end.airfield:
        record = airports()[end.airfield]
        return (record["lat"], record["lon"])
    if end.coordinates:
        return (end.coordinates.lat, end.coordinates.lon)
    if end.country:
        return country_centroid(end.country)
    return None
