"""Cross-file rules: references land, ids are unique, chains end, groups add up."""
import pytest

from generator.facts import dataset
from generator.errors import ValidationFailed
from tests import trees
from tests.trees import assessment, flight


def errors(files: dict[str, str]) -> list[str]:
    """Every problem of an in-memory brief holding these files (and one source, 'report')."""
    data, problems = trees.load(files)
    assert problems, "expected the facts to be refused"
    return [str(p) for p in sorted(set(problems))]


@pytest.mark.parametrize("files, expected", [
    ({"data/flights/f1.yml": flight("f1").replace("[report]", "[report, nowhere]")},
     ["data/flights/f1.yml:7:19: sources[1]: no source with id 'nowhere', expected the id of a fact in data/sources/ [unknown-reference]"]),
    ({"data/flights/f1.yml": flight("f1").replace("{country: BY}", "{base: hmeimim}")},
     ["data/flights/f1.yml:4:16: origin.base: no base with id 'hmeimim', expected the id of a fact in data/bases/ [unknown-reference]"]),
    ({"data/assessments/a1.yml": assessment("a1", "evidence:\n  - flight: ghost\n")},
     ["data/assessments/a1.yml:10:13: evidence[0].flight: no flight with id 'ghost', expected the id of a fact in data/flights/ [unknown-reference]"]),
    ({"data/flights/f1.yml": flight("f2")},
     ["data/flights/f1.yml:1:5: id: id 'f2' does not match the file name 'f1.yml', expected the file to be named f2.yml [id-file-mismatch]"]),
    ({"data/flights/f1.yml": flight("f1"), "data/flights/2024-12/f1.yml": flight("f1")},
     ["data/flights/f1.yml:1:5: id: duplicate id 'f1', also in data/flights/2024-12/f1.yml, expected each id once [duplicate-id]"]),
    ({"data/assessments/a1.yml": assessment("a1", "status: superseded\nsuperseded_by: a2\n"),
      "data/assessments/a2.yml": assessment("a2", "status: superseded\nsuperseded_by: a1\n")},
     ["data/assessments/a1.yml:10:16: superseded_by: superseded_by forms a cycle (a1 → a2 → a1), expected a chain that ends [cycle]"]),
    ({"data/sources/s1.yml": "id: s1\ntitle: t\npublisher: p\npublished: unknown\nkind: news\nreliability: A\nvia: s1\n"},
     ["data/sources/s1.yml:7:6: via: via forms a cycle (s1 → s1), expected a chain that ends [cycle]"]),
    ({"data/flights/g.yml": flight("g", "count: 2\n"), "data/flights/m1.yml": flight("m1", "part_of: g\n"),
      "data/flights/m2.yml": flight("m2", "part_of: g\n"), "data/flights/m3.yml": flight("m3", "part_of: g\n")},
     ["data/flights/g.yml:8:8: count: 3 flights name this group in part_of, expected a count of at least 3 [group-undercounted]"]),
    ({"data/flights/g.yml": flight("g"), "data/flights/m1.yml": flight("m1", "part_of: g\n")},
     ["data/flights/m1.yml:8:10: part_of: 'g' counts a single flight, expected a group with a count above 1 [group-of-one]"]),
    ({"data/widgets/w.yml": "id: w\n"},
     ["data/widgets:1:1: unknown fact folder 'widgets', expected one of: sources, bases, flights, assessments, events, indicators [unknown-folder]"]),
])
def test_cross_file_errors(files, expected):
    assert errors(files) == expected


def test_missing_brief_file(brief):
    project = brief({"data/brief.yml": "title: x\nedition: 2024-12-16\ntlp: TLP:CLEAR\n"})
    (project.data / "brief.yml").unlink()
    with pytest.raises(ValidationFailed) as err:
        dataset.load(project.data)
    assert [str(p) for p in err.value.problems] == [
        "data/brief.yml:1:1: file is missing, expected the brief's title, edition and tlp [missing-file]"]


def test_lower_bound_group_with_a_known_member_counts_once():
    from generator.site import figures, present

    data, problems = trees.load({
        "data/flights/g.yml": flight("g", "count: {at_least: 3}\n"),
        "data/flights/m1.yml": flight("m1", "part_of: g\n"),
        "data/flights/x.yml": flight("x"),
    })
    assert problems == []
    assert present.count(figures.flights(data)) == "at least 4"
