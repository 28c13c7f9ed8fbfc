"""The strict YAML loader: YAML's silent traps are errors with file, line and column."""
import pytest

from generator.facts.loader import ProblemError, parse


def problem(raw: str | bytes) -> str:
    with pytest.raises(ProblemError) as err:
        parse(raw.encode() if isinstance(raw, str) else raw, "data/flights/f.yml")
    return str(err.value.problem)


@pytest.mark.parametrize("raw, message", [
    ("id: a\nid: b\n", "data/flights/f.yml:2:1: duplicate key 'id' (first on line 1), expected each key once [duplicate-key]"),
    ("a:\n  b: 1\n  b: 2\n", "data/flights/f.yml:3:3: duplicate key 'b' (first on line 2), expected each key once [duplicate-key]"),
    ("", "data/flights/f.yml:1:1: file is empty, expected a mapping of fields [empty-file]"),
    ("# only a comment\n", "data/flights/f.yml:1:1: file is empty, expected a mapping of fields [empty-file]"),
    ("id: a\n---\nid: b\n", "data/flights/f.yml:2:1: a second YAML document starts here, expected one fact per file [several-documents]"),
    ("a: &x 1\nb: *x\n", "data/flights/f.yml:1:4: anchor &x is not allowed, expected the value written out in full [yaml-anchor]"),
    ("base: {a: 1}\nother:\n  <<: {a: 1}\n", "data/flights/f.yml:3:3: merge key << is not allowed, expected the fields written out in full [yaml-merge-key]"),
    ("a: !!binary aGVsbG8=\n", "data/flights/f.yml:1:4: explicit tag !!binary is not allowed, expected a plain value [yaml-tag]"),
    ("a: !!python/object:os.system {}\n", "data/flights/f.yml:1:4: explicit tag !!python/object:os.system is not allowed, expected a plain mapping [yaml-tag]"),
    ("a:\n\tb: 1\n", "data/flights/f.yml:2:1: tab in indentation, expected spaces [tab-indent]"),
    ("a: [1, 2\n", "data/flights/f.yml:2:1: YAML syntax error: expected ',' or ']', but got '<stream end>', expected valid YAML [yaml-syntax]"),
    ("- a\n- b\n", "data/flights/f.yml:1:1: top level is not a mapping, expected fields such as 'id: …' [not-a-mapping]"),
    (b"id: caf\xe9\n", "data/flights/f.yml:1:8: byte 0xe9 is not UTF-8, expected a UTF-8 text file [not-utf8]"),
    ("a: x\u202ey\n", "data/flights/f.yml:1:5: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed, expected plain text [invisible-character]"),
    ("a: x\u2028y\n", "data/flights/f.yml:1:5: invisible character U+2028 (LINE SEPARATOR) is not allowed, expected plain text [invisible-character]"),
    ("a: " + "[" * 30 + "]" * 30 + "\n", "data/flights/f.yml:1:27: nesting is deeper than 24 levels, expected a flat fact [too-deep]"),
    ("a: " + "x" * (300 * 1024) + "\n", "data/flights/f.yml:1:1: file is 307,204 bytes, expected at most 262,144 bytes per fact file [file-too-large]"),
])
def test_traps_are_located_errors(raw, message):
    assert problem(raw) == message


def test_alias_bomb_is_rejected_at_the_first_anchor():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n" + "".join(
        f"l{i}: &l{i} [*{'c' if i == 0 else f'l{i-1}'}, *{'c' if i == 0 else f'l{i-1}'}]\n" for i in range(40))
    assert problem(bomb) == "data/flights/f.yml:1:4: anchor &a is not allowed, expected the value written out in full [yaml-anchor]"


@pytest.mark.parametrize("written", ["NO", "yes", "on", "off", "12:30", "0755", "1e3", ".nan", "2024-12-14", "~x"])
def test_scalars_stay_the_text_written(written):
    assert parse(f"value: {written}\n".encode(), "f.yml").data == {"value": written}


def test_plain_null_is_no_value_but_quoted_null_is_text():
    assert parse(b"a: null\nb: ~\nc:\nd: 'null'\n", "f.yml").data == {"a": None, "b": None, "c": None, "d": "null"}


def test_bom_and_crlf_are_accepted():
    doc = parse("\ufeffid: a\r\nname: b\r\n".encode(), "f.yml")
    assert doc.data == {"id": "a", "name": "b"}
    assert doc.where(("name",)) == (2, 7)


def test_every_value_and_key_is_located():
    doc = parse(b"id: a\nobservations:\n  - status: active\n    sources: [x, y]\n", "f.yml")
    assert doc.where(("observations", 0, "status")) == (3, 13)
    assert doc.where(("observations", 0, "sources", 1)) == (4, 18)
    assert doc.where(("observations", 0, "status"), key=True) == (3, 5)
    assert doc.where(("observations", 0, "missing")) == (3, 5)


def test_files_of_the_same_layout_share_their_positions_and_each_still_finds_its_own():
    one = parse(b"id: a\norigin: {country: BY}\nsources: [x, y]\n", "data/flights/a.yml")
    two = parse(b"id: b\norigin: {country: LY}\nsources: [z, w]\n", "data/flights/b.yml")
    three = parse(b"id: c\n\norigin: {country: LY}\nsources: [z]\n", "data/flights/c.yml")
    assert all(a is b for a, b in zip(one.marks, two.marks)) and one.marks.keys() == two.marks.keys()
    assert all(one.marks[loc] is two.marks[loc] for loc in one.marks)  # one (line, column) object for both
    assert one.where(("sources", 1)) == two.where(("sources", 1)) == (3, 14)
    assert three.where(("sources", 0)) == (4, 11) and three.where(("origin",), key=True) == (3, 1)


def test_a_short_value_written_in_many_files_is_one_text_and_a_long_one_is_kept_as_written():
    long = "a summary of a flight in words of its own, longer than a name or an id"
    first = parse(f"operator: Synthetic air force\nsummary: {long}\n".encode(), "data/flights/a.yml")
    second = parse(f"operator: Synthetic air force\nsummary: {long}\n".encode(), "data/flights/b.yml")
    assert first.data["operator"] is second.data["operator"]
    assert first.data["summary"] == second.data["summary"] == long and first.data["summary"] is not second.data["summary"]
