"""One count everywhere: every count of flights per route, base and month agrees on the site's pages, in the
distribution PDF, in brief.json and in the flights CSV, for the example and for synthetic briefs.

The CSV is read with its own small counter (the rules written out again, independently of the code under
test), brief.json must agree with it, and the site and the PDF must say what brief.json says.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from generator import build, words
from generator.facts import dataset, markings
from generator.outputs import edition, exports
from generator.project import Project
from generator.site import plan, present
from generator.tools import synth
from tests.conftest import REPO
from tests.outputs import pdfcheck

SIZES = {"example": None, "1k": 1000, "10k": 10000}
SITE_BUILT = ("example", "1k")  # the 10k brief is checked in brief.json, the CSV and the PDF; its site is too slow
NUMBER = re.compile(r"^(?:(at least) )?([\d,]+)(?: \(\+([\d,]+) possibly\))?")


# ---------------------------------------------------------------- an independent count from the CSV


def _span(iso: str) -> tuple[date, date] | None:
    """First and last day a written time could stand for."""
    if iso == "unknown":
        return None
    if "/" in iso:
        return _span(iso.split("/")[0])[0], _span(iso.split("/")[1])[1]
    parts = iso[:10].split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 1, 1), date(int(parts[0]), 12, 31)
    if len(parts) == 2:
        first = date(int(parts[0]), int(parts[1]), 1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    day = date.fromisoformat(iso[:10])
    return day, day


def _when(row: dict) -> tuple[date, date] | None:
    return _span(row["arrival"]) if row["arrival"] != "unknown" else _span(row["departure"])


def _key(row: dict, end: str) -> tuple:
    if row[f"{end}_base"]:
        return ("base", row[f"{end}_base"])
    if row[f"{end}_airfield"]:
        return ("airfield", row[f"{end}_airfield"])
    if row[f"{end}_place"]:
        return ("place", row[f"{end}_place"].casefold(), row[f"{end}_country"])
    if row[f"{end}_country"]:
        return ("country", row[f"{end}_country"])
    return ("unknown",)


class CsvCount:
    """Flights counted from flights.csv alone: a group once by its count, a member inside its group."""

    def __init__(self, raw: str):
        rows = list(csv.DictReader(io.StringIO(raw, newline="")))
        self.top = [r for r in rows if r["counted_flights"] != "0"]
        self.members = defaultdict(list)
        for r in rows:
            if r["counted_flights"] == "0":
                self.members[r["part_of"]].append(r)

    def total(self) -> tuple[int, bool]:
        return sum(int(r["counted_flights"]) for r in self.top), any(r["count_is_lower_bound"] == "yes" for r in self.top)

    def routes(self) -> dict[tuple, tuple[int, bool]]:
        found: dict[tuple, list] = defaultdict(lambda: [0, False])
        for r in self.top:
            entry = found[(_key(r, "origin"), _key(r, "destination"))]
            entry[0] += int(r["counted_flights"])
            entry[1] = entry[1] or r["count_is_lower_bound"] == "yes"
        return {k: tuple(v) for k, v in found.items()}

    def bases(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for r in self.top:
            named = {r["origin_base"], r["destination_base"]} - {""}
            for base in named:
                found[base] += int(r["counted_flights"])
            for member in self.members[r["id"]]:
                for base in {member["origin_base"], member["destination_base"]} - {""} - named:
                    found[base] += 1
        return found

    def months(self) -> dict[str, int]:
        """Flights surely in each month: a record whose whole range is inside it, else its members dated inside."""
        found: dict[str, int] = defaultdict(int)
        for r in self.top:
            span = _when(r)
            if span and span[0].strftime("%Y-%m") == span[1].strftime("%Y-%m"):
                found[span[0].strftime("%Y-%m")] += int(r["counted_flights"])
                continue
            for member in self.members[r["id"]]:
                inner = _when(member)
                if inner and inner[0].strftime("%Y-%m") == inner[1].strftime("%Y-%m"):
                    found[inner[0].strftime("%Y-%m")] += 1
        return found


# ---------------------------------------------------------------- the briefs


def _number(text: str) -> tuple[int, bool, int]:
    """(flights, at least?, possibly) from the words a page shows: '1,234', 'at least 3, of which …', '1 (+4 possibly)'."""
    match = NUMBER.match(" ".join(text.split()))
    assert match, text
    return int(match[2].replace(",", "")), match[1] == "at least", int((match[3] or "0").replace(",", ""))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory, chromium, example):
    made = {}

    def make(name):
        if name in made:
            return made[name]
        root = tmp_path_factory.mktemp(name)
        if SIZES[name] is None:
            project = Project(REPO)
            data_dir = REPO / "data"
        else:
            project = Project(synth.synthesize(root / "brief", flights=SIZES[name], bases=50, assessments=100, seed=7,
                                               template=Project(REPO)))
            data_dir = project.data
        data, _ = markings.release(dataset.load(data_dir))
        files = {e.path: e.body for e in exports.exports(data)}
        pdf = edition.print_edition(data, edition.Context(marking=data.brief.tlp), root / "brief.pdf", 1734307200)
        site = None
        if name in SITE_BUILT:
            if SIZES[name] is None:
                site = example.site
            else:
                site = build.build(project).site
        made[name] = (data, json.loads(files["data/brief.json"]), CsvCount(files["data/flights.csv"].decode("utf-8")),
                      " ".join(" ".join(pdfcheck.page_texts(pdf)).split()), site)
        return made[name]
    return make


@pytest.mark.parametrize("name", SIZES)
def test_brief_json_counts_what_the_csv_counts(briefs, name):
    data, doc, table, pdf, site = briefs(name)
    counts = doc["counts"]
    assert (counts["total"]["flights"], counts["total"]["at_least"]) == table.total()
    assert sum(part["flights"] for part in counts["by_basis"].values()) == counts["total"]["flights"]
    routes = {(tuple(r["origin"].values()), tuple(r["destination"].values())): (r["flights"], r["at_least"])
              for r in counts["routes"]}
    assert routes == table.routes()
    flights = [r["flights"] for r in counts["routes"]]
    assert flights == sorted(flights, reverse=True)  # busiest first
    assert {b["base"]: b["flights"] for b in counts["bases"] if b["flights"]} == dict(table.bases())
    assert {m["month"]: m["flights"] for m in counts["months"] if m["flights"]} == dict(table.months())
    assert sum(m["flights"] for m in counts["months"]) + counts["in_no_single_month"]["flights"] == \
        counts["total"]["flights"]


@pytest.mark.parametrize("name", SIZES)
def test_the_pdf_says_what_brief_json_says(briefs, name):
    data, doc, table, pdf, site = briefs(name)
    counts = doc["counts"]
    total = counts["total"]
    said = f"{'at least ' if total['at_least'] else ''}{words.number(total['flights'])}"
    parts = ", ".join(f"{'at least ' if p['at_least'] else ''}{words.number(p['flights'])} {basis}"
                      for basis, p in counts["by_basis"].items())
    assert f"Key figures Flights {said} ({parts}) in" in pdf  # every basis named: the parts add up to the total
    # the busiest routes and bases, word for word as the site's route index and bases index say them
    links = plan.Links(data)
    (first,) = [page for page in plan.route_pages(data, links) if page.path == "flights/routes.md"]
    rows = first.context["part"].items
    assert [_number(flights)[:2] for _, flights, _ in rows] == [(r["flights"], r["at_least"]) for r in counts["routes"][:len(rows)]]
    for route, flights, _ in rows[:edition.TOP]:
        assert f"{route} {flights}" in pdf
    facts = plan.Facts(data)
    for b in counts["bases"][:edition.TOP]:
        base = data.bases[b["base"]]
        cell = facts.flights_at(b["base"])
        assert b["flights"] == (0 if cell.startswith("none named;") else _number(cell)[0]), cell
        assert f"{base.name} {present.country(base.country)} " in pdf and f" {cell}" in pdf


@pytest.mark.parametrize("name", SITE_BUILT)
def test_the_site_says_what_brief_json_says(briefs, name):
    data, doc, table, pdf, site = briefs(name)
    counts = doc["counts"]
    page = BeautifulSoup((site / "flights" / "routes.html").read_text(encoding="utf-8"), "html.parser")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in page.select("article tbody tr")]
    assert [_number(cells[1])[:2] for cells in rows] == [(r["flights"], r["at_least"]) for r in counts["routes"]]
    # the PDF's busiest routes are the site's first rows, word for word
    for route, flights, _ in rows[:edition.TOP]:
        assert f"{route} {flights}" in pdf
    index = BeautifulSoup((site / "bases" / "index.html").read_text(encoding="utf-8"), "html.parser")
    by_name = {base.name: bid for bid, base in data.bases.items()}
    seen = {}
    for tr in index.select("article tbody tr"):
        cells = tr.find_all("td")
        seen[by_name[cells[0].find("a").get_text(strip=True)]] = cells[-1].get_text(" ", strip=True)
    for b in counts["bases"]:
        shown = seen[b["base"]]
        assert shown == plan.Facts(data).flights_at(b["base"])  # the PDF's busiest bases say the same
        assert b["flights"] == (0 if shown.startswith("none named;") else _number(shown)[0]), shown
        base_page = (site / "bases" / f"{b['base']}.html").read_text(encoding="utf-8")
        if b["flights"]:
            said = f"{'At least ' if b['at_least'] else ''}{words.counted(b['flights'], 'flight')} from or to this base"
            assert said in " ".join(BeautifulSoup(base_page, "html.parser").get_text(" ").split())
    flights = BeautifulSoup((site / "flights" / "index.html").read_text(encoding="utf-8"), "html.parser")
    months = {}
    (log,) = [t for t in flights.select("article table")
              if [th.get_text(strip=True) for th in t.find_all("th")] == ["Month", "Flights", "Records listed"]]
    for tr in log.select("tbody tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if cells[1] != "see part 1":
            months[re.sub(r", part \d+$", "", cells[0])] = _number(cells[1])
    for m in counts["months"]:  # a month only possibly holding a flight has no log page of its own
        if m["flights"] or words.month(m["month"]) in months:
            assert months[words.month(m["month"])] == (m["flights"], m["at_least"], m.get("possibly", 0))
    overview = " ".join(BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
    total = counts["total"]
    assert f"Flights recorded {'at least ' if total['at_least'] else ''}{words.number(total['flights'])}" in overview


def test_the_example_shows_the_benghazi_flight_inside_its_group_everywhere(briefs):
    data, doc, table, pdf, site = briefs("example")
    (group,) = [r for r in doc["counts"]["routes"] if r["destination"] == {"kind": "country", "id": "LY"}
                and r["origin"] == {"kind": "country", "id": "BY"}]
    assert (group["flights"], group["at_least"]) == (3, True)
    assert group["of_which"][0]["destination"] == {"kind": "place", "id": "benghazi", "country": "LY"}
    said = "Belarus (airfield unknown) → Libya (airfield unknown) at least 3, of which 1 to Benghazi, Libya on 14 Dec 2024"
    assert said in pdf
    routes = " ".join(BeautifulSoup((site / "flights" / "routes.html").read_text(encoding="utf-8"),
                                    "html.parser").get_text(" ").split())
    assert said in routes and "Belarus (airfield unknown) → Benghazi, Libya 1" not in routes
    assert "none named; at least 4 name Libya only" in pdf
