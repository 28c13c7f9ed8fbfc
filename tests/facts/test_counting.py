"""The one way flights are counted: groups once, lower bounds marked, ranged dates never spread."""
from __future__ import annotations

from datetime import date

from generator.facts import counting
from tests.trees import BASE, flight, load

GROUP = flight("group", "count: {at_least: 3}\n").replace("arrival: 2024-12-14", "arrival: {between: [2024-12-08, 2024-12-14]}")
MEMBER = (flight("member", "part_of: group\n").replace("destination: {country: LY}",
                                                        "destination: {place: Benghazi, country: LY}"))
CARGO = (flight("cargo").replace("origin: {country: BY}", "origin: {base: hmeimim}")
         .replace("arrival: 2024-12-14", "arrival: {between: [2024-12-07, 2024-12-14]}")
         .replace("basis: tracked", "basis: reported"))
LIBYA = ("id: libya-bases\nname: Air bases in Libya\ncountry: LY\nlocation: unknown\nkind: air base\n"
         "sources: [report]\n")


def example():
    data, problems = load({"data/flights/group.yml": GROUP, "data/flights/member.yml": MEMBER,
                           "data/flights/cargo.yml": CARGO, "data/bases/hmeimim.yml": BASE,
                           "data/bases/libya-bases.yml": LIBYA})
    assert problems == []
    return data


def test_a_member_is_counted_inside_its_group_never_beside_it():
    data = example()
    assert counting.count_flights(data) == counting.Tally(4, 0, True, ("cargo", "group"))
    assert counting.count_flights(data, origin="BY", destination="LY") == counting.Tally(3, 0, True, ("group",))
    # only the member names Benghazi: it is counted, under its group's id
    assert counting.count_flights(data, destination="benghazi") == counting.Tally(1, 0, False, ("group",))


def test_places_match_by_base_id_name_icao_or_country():
    data = example()
    for wanted in ("hmeimim", "Hmeimim Air Base", "OSLK", "SY", "sy"):
        assert counting.count_flights(data, origin=wanted).flights == ("cargo",), wanted
    assert counting.count_flights(data, country="LY").certain == 4
    assert counting.count_flights(data, base="hmeimim").certain == 1


def test_a_ranged_flight_counts_only_in_a_window_that_holds_its_whole_range():
    data = example()
    day = counting.count_flights(data, within=(date(2024, 12, 14), date(2024, 12, 14)))
    # the member landed that day; the group's other two and the cargo flight only possibly did
    assert (day.certain, day.possible, day.at_least) == (1, 3, True)
    before = counting.count_flights(data, within=(date(2024, 12, 8), date(2024, 12, 8)))
    assert (before.certain, before.possible) == (0, 3)  # the member is known to be on the 14th, not the 8th
    month = counting.count_flights(data, within=(date(2024, 12, 1), date(2024, 12, 31)))
    assert (month.certain, month.possible) == (4, 0)
    assert counting.count_flights(data, within=(date(2024, 11, 1), date(2024, 11, 30))).flights == ()


def test_routes_rank_busiest_first_and_show_members_inside_their_group():
    data = example()
    found = counting.routes(data)
    assert [r.key for r in found] == [(("country", "BY"), ("country", "LY")), (("base", "hmeimim"), ("country", "LY"))]
    assert found[0].tally.certain == 3 and found[0].tally.at_least
    (inner,) = found[0].within
    assert inner.key == (("country", "BY"), ("place", "benghazi", "LY")) and inner.tally.certain == 1
    assert [d.day for d in inner.dates] == [date(2024, 12, 14)]


def test_periods_add_up_to_the_total_with_what_no_single_period_holds():
    data = example()
    days = counting.periods(data, "day")
    assert [p.start.day for p in days if p.tally.certain] == [14]
    rest = counting.unplaced(data, "day")
    assert sum(p.tally.certain for p in days) + rest.certain == counting.count_flights(data).certain
    months = counting.periods(data, "month")
    assert [(p.start, p.tally.certain, p.tally.possible) for p in months] == [(date(2024, 12, 1), 4, 0)]


def test_a_base_no_flight_names_counts_the_flights_naming_its_country_only():
    data = example()
    found = {b.id: b for b in counting.bases(data)}
    assert found["libya-bases"].tally.certain == 0
    assert (found["libya-bases"].country_only.certain, found["libya-bases"].country_only.at_least) == (4, True)
    assert found["hmeimim"].tally.certain == 1


def test_the_basis_parts_add_up_to_the_total():
    data = example()
    parts = counting.by_basis(data)
    assert [(b, t.certain) for b, t in parts] == [("tracked", 3), ("reported", 1)]
    assert sum(t.certain for _, t in parts) == counting.count_flights(data).certain


def test_span_tells_the_possible_days_from_the_known_ones():
    span = counting.span(example())
    assert span == counting.Span(date(2024, 12, 7), date(2024, 12, 14), date(2024, 12, 14), date(2024, 12, 14))


def test_a_member_of_another_basis_is_counted_in_its_group_s_basis_only():
    data, problems = load({"data/flights/group.yml": GROUP,
                           "data/flights/member.yml": MEMBER.replace("basis: tracked", "basis: reported")})
    assert problems == []
    assert [(b, t.certain) for b, t in counting.by_basis(data)] == [("tracked", 3)]


def test_a_base_a_flight_stops_at_counts_it_and_its_route_is_named_by_its_ends():
    data, problems = load({"data/bases/hmeimim.yml": BASE, "data/flights/via.yml": flight("via", "stops:\n  - base: hmeimim\n")})
    assert problems == []
    assert counting.count_flights(data, base="hmeimim").certain == 1
    assert [r.key for r in counting.routes(data)] == [(("country", "BY"), ("country", "LY"))]


def test_a_count_asked_again_is_the_same_and_a_new_load_of_the_facts_is_counted_anew():
    data = example()
    routes = counting.routes(data)
    routes.clear()  # what a caller does with its list leaves the answer for the next page alone
    assert counting.routes(data) == counting.routes(example())
    assert counting.count_flights(data).flights == ("cargo", "group")
    # the preview loads the facts again after a save: the same questions, answered from the new facts
    edited, problems = load({"data/flights/group.yml": GROUP, "data/flights/member.yml": MEMBER,
                             "data/bases/hmeimim.yml": BASE})
    assert problems == []
    assert counting.count_flights(edited) == counting.Tally(3, 0, True, ("group",))
    assert [r.tally.flights for r in counting.routes(edited)] == [("group",)]


def test_an_index_following_an_earlier_one_reads_again_only_the_flights_that_changed():
    """The live preview's index after a save takes each unchanged flight's places and days from the last one: the
    counts are those of an index made from nothing, a flight sent elsewhere is read again, and a renamed base makes
    every place be read again."""
    import dataclasses

    before = example()
    counting.records(before)  # its index made, as the pages before the save made it
    moved = before.flights["cargo"].model_copy(update={"origin": before.flights["member"].destination})
    now = dataclasses.replace(before, flights={**before.flights, "cargo": moved})
    counting.follow(before, now)
    fresh = dataclasses.replace(now)
    asked = [{}, {"origin": "hmeimim"}, {"destination": "benghazi"}, {"country": "LY"}, {"base": "hmeimim"}]
    assert [counting.count_flights(now, **a) for a in asked] == [counting.count_flights(fresh, **a) for a in asked]
    assert counting.count_flights(now, origin="hmeimim") == counting.NOTHING
    last, index = before.__dict__["_counting_index"], now.__dict__["_counting_index"]
    assert index.places["group"] is last.places["group"] and index.places["cargo"] is not last.places["cargo"]
    renamed = dataclasses.replace(before, bases={**before.bases, "hmeimim": before.bases["hmeimim"].model_copy(
        update={"name": "Khmeimim Air Base"})})
    counting.follow(before, renamed)
    assert counting.count_flights(renamed, origin="Khmeimim Air Base").flights == ("cargo",)
    assert renamed.__dict__["_counting_index"].places["group"] is not last.places["group"]
