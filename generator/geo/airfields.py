"""The airfield table: airportsdata's records by ICAO code, each parsed on first use."""
from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache


@cache
def airports() -> Mapping[str, dict]:
    """ICAO code → airfield record (name, country, lat, lon, elevation …) from the airportsdata package."""
    from importlib.resources import files

    return Airfields(files("airportsdata").joinpath("airports.csv").read_bytes())


class Airfields(Mapping):
    """airportsdata's table indexed by ICAO code; a row is parsed into its record on first use."""

    def __init__(self, table: bytes):
        header, *rows = table.splitlines()
        self._header = header.decode("utf-8")
        self._rows = {row[1:row.index(b'"', 1)].decode("ascii"): row for row in rows}  # rows open with "ICAO",
        self._rows.pop("", None)
        self._records: dict[str, dict] = {}

    def __getitem__(self, code: str) -> dict:
        if code not in self._records:
            self._records[code] = next(csv.DictReader([self._header, self._rows[code].decode("utf-8")],
                                                      quoting=csv.QUOTE_NONNUMERIC))
        return self._records[code]

    def __contains__(self, code: object) -> bool:
        return code in self._rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def position(code: str) -> tuple[float, float]:
    """(lat, lon) of an airfield."""
    record = airports()[code]
    return (record["lat"], record["lon"])
