"""Broken and hostile fact files, one case per file in corpus/: each gives exactly these messages."""
import shutil
from pathlib import Path

import pytest

from generator import cli

CORPUS = Path(__file__).parent / "corpus"

CASES = [
    (['assessments/cycle-a.yml', 'assessments/cycle-b.yml'], 1, [
        'data/assessments/cycle-a.yml:10:16: superseded_by: superseded_by forms a cycle (cycle-a → cycle-b → cycle-a), expected a chain that ends [cycle]',
    ]),
    (['bases/latitude-91.yml'], 1, [
        "data/bases/latitude-91.yml:4:31: location.coordinates.lat: '91' is not a valid latitude, expected a decimal number from -90 to 90 [invalid-coordinate]",
    ]),
    (['bases/longitude-181.yml'], 1, [
        "data/bases/longitude-181.yml:4:40: location.coordinates.lon: '-181' is not a valid longitude, expected a decimal number from -180 to 180 [invalid-coordinate]",
    ]),
    (['bases/nan-latitude.yml'], 1, [
        "data/bases/nan-latitude.yml:4:31: location.coordinates.lat: '.nan' is not a valid latitude, expected a decimal number from -90 to 90 [invalid-coordinate]",
        "data/bases/nan-latitude.yml:4:42: location.coordinates.lon: '1e3' is not a valid longitude, expected a decimal number from -180 to 180 [invalid-coordinate]",
    ]),
    (['flights/alias-bomb.yml'], 1, [
        'data/flights/alias-bomb.yml:2:4: anchor &a is not allowed, expected the value written out in full [yaml-anchor]',
    ]),
    (['flights/anchor-alias.yml'], 1, [
        'data/flights/anchor-alias.yml:2:9: anchor &o is not allowed, expected the value written out in full [yaml-anchor]',
    ]),
    (['flights/arrival-before-departure.yml'], 1, [
        'data/flights/arrival-before-departure.yml:3:10: arrival: arrival 2024-12-14 is before departure 2024-12-15T10:00Z, expected arrival after departure [arrival-before-departure]',
    ]),
    (['flights/basis-on.yml'], 1, [
        "data/flights/basis-on.yml:6:8: basis: 'on' is not a known basis, expected one of: tracked, reported, inferred [unknown-choice]",
    ]),
    (['flights/binary-tag.yml'], 1, [
        'data/flights/binary-tag.yml:8:7: explicit tag !!binary is not allowed, expected a plain value [yaml-tag]',
    ]),
    (['flights/bom-crlf.yml'], 0, [
    ]),
    (['flights/callsign-no.yml'], 0, [
    ]),
    (['flights/credibility-0755.yml'], 1, [
        "data/flights/credibility-0755.yml:8:14: credibility: '0755' is not a valid credibility, expected a whole number from 1 to 6 [invalid-number]",
    ]),
    (['flights/deep-nesting.yml'], 1, [
        'data/flights/deep-nesting.yml:2:30: nesting is deeper than 24 levels, expected a flat fact [too-deep]',
    ]),
    (['flights/duplicate-nested-key.yml'], 1, [
        "data/flights/duplicate-nested-key.yml:6:3: duplicate key 'country' (first on line 5), expected each key once [duplicate-key]",
    ]),
    (['flights/duplicate-top-key.yml'], 1, [
        "data/flights/duplicate-top-key.yml:8:1: duplicate key 'basis' (first on line 6), expected each key once [duplicate-key]",
    ]),
    (['flights/empty.yml'], 1, [
        'data/flights/empty.yml:1:1: file is empty, expected a mapping of fields [empty-file]',
    ]),
    (['flights/id-dotdot.yml'], 1, [
        "data/flights/id-dotdot.yml:1:5: id: '..' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]",
    ]),
    (['flights/id-slash.yml'], 1, [
        "data/flights/id-slash.yml:1:5: id: 'a/b' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]",
    ]),
    (['flights/id-space.yml'], 1, [
        "data/flights/id-space.yml:1:5: id: 'id space' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]",
    ]),
    (['flights/id-upper.yml'], 1, [
        "data/flights/id-upper.yml:1:5: id: 'Id-Upper' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]",
    ]),
    (['flights/impossible-date.yml'], 1, [
        "data/flights/impossible-date.yml:3:10: arrival: '2024-02-30' is not a real date or time, expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00) [impossible-date]",
    ]),
    (['flights/malformed-icao.yml'], 1, [
        "data/flights/malformed-icao.yml:4:20: origin.airfield: 'OSLK1' is not an ICAO airfield code, expected four capital letters such as OSLK [invalid-icao]",
    ]),
    (['flights/merge-key.yml'], 1, [
        'data/flights/merge-key.yml:3:3: merge key << is not allowed, expected the fields written out in full [yaml-merge-key]',
    ]),
    (['flights/missing-reference.yml', 'flights/sub/missing-reference.yml'], 1, [
        "data/flights/missing-reference.yml:7:11: sources[0]: no source with id 'nobody', expected the id of a fact in data/sources/ [unknown-reference]",
        "data/flights/sub/missing-reference.yml:1:5: id: duplicate id 'missing-reference', also in data/flights/missing-reference.yml, expected each id once [duplicate-id]",
    ]),
    (['flights/naive-time.yml'], 1, [
        "data/flights/naive-time.yml:3:10: arrival: '2024-12-14T03:10' has no time zone, expected UTC written with a trailing Z, or the local time with its offset from UTC (+02:00) [time-without-zone]",
    ]),
    (['flights/not-utf8.yml'], 1, [
        'data/flights/not-utf8.yml:2:10: byte 0xe9 is not UTF-8, expected a UTF-8 text file [not-utf8]',
    ]),
    (['flights/oversized.yml'], 1, [
        'data/flights/oversized.yml:1:1: file is 270,142 bytes, expected at most 262,144 bytes per fact file [file-too-large]',
    ]),
    (['flights/python-tag.yml'], 1, [
        'data/flights/python-tag.yml:8:7: explicit tag !!python/object/apply:os.system is not allowed, expected a plain list [yaml-tag]',
    ]),
    (['flights/syntax-error.yml'], 1, [
        "data/flights/syntax-error.yml:3:1: YAML syntax error: expected ',' or '}', but got '<stream end>', expected valid YAML [yaml-syntax]",
    ]),
    (['flights/tab-indent.yml'], 1, [
        'data/flights/tab-indent.yml:3:1: tab in indentation, expected spaces [tab-indent]',
    ]),
    (['flights/time-1230.yml'], 1, [
        "data/flights/time-1230.yml:3:10: arrival: '12:30' is not a date, expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC, or with an offset such as +02:00) [invalid-time]",
    ]),
    (['flights/two-documents.yml'], 1, [
        'data/flights/two-documents.yml:8:1: a second YAML document starts here, expected one fact per file [several-documents]',
    ]),
    (['flights/unknown-country.yml'], 1, [
        "data/flights/unknown-country.yml:4:19: origin.country: 'XK' is not an ISO 3166-1 alpha-2 country code, expected for example SY, LY or BY [invalid-country]",
    ]),
    (['flights/unknown-icao.yml'], 1, [
        "data/flights/unknown-icao.yml:4:20: origin.airfield: 'QQQQ' is not a known ICAO airfield code, expected a code listed in airportsdata [unknown-airfield]",
    ]),
    (['sources/bidi-override.yml'], 1, [
        'data/sources/bidi-override.yml:2:13: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/data-url.yml'], 1, [
        "data/sources/data-url.yml:7:6: url: 'data:text/html;base64,PHNjcmlwdD4=' is not an http:// or https:// URL, expected a web address [invalid-url]",
    ]),
    (['sources/javascript-url.yml'], 1, [
        "data/sources/javascript-url.yml:7:6: url: 'javascript:alert(1)' is not an http:// or https:// URL, expected a web address [invalid-url]",
    ]),
    (['sources/leading-space-url.yml'], 1, [
        "data/sources/leading-space-url.yml:7:6: url: ' javascript:alert(1)' contains white space, expected an http:// or https:// URL [invalid-url]",
    ]),
    (['sources/scheme-relative-url.yml'], 1, [
        "data/sources/scheme-relative-url.yml:7:6: url: '//evil.example/x' is not an http:// or https:// URL, expected a web address [invalid-url]",
    ]),
    (['sources/smuggled-url.yml'], 1, [
        "data/sources/smuggled-url.yml:7:6: url: 'java\\tscript:alert(1)' contains white space, expected an http:// or https:// URL [invalid-url]",
    ]),
    (['sources/vbscript-url.yml'], 1, [
        "data/sources/vbscript-url.yml:7:6: url: 'vbscript:msgbox' is not an http:// or https:// URL, expected a web address [invalid-url]",
    ]),
    # loaded values, ids, lengths and dates (escapes, reserved names, limits per field, years)
    (['sources/escaped-bidi.yml'], 1, [
        'data/sources/escaped-bidi.yml:2:8: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-csi.yml'], 1, [
        'data/sources/escaped-csi.yml:2:8: invisible character U+009B (control character) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-delete.yml'], 1, [
        'data/sources/escaped-delete.yml:2:8: invisible character U+007F (control character) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-escape.yml'], 1, [
        'data/sources/escaped-escape.yml:2:8: invisible character U+001B (control character) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-key.yml'], 1, [
        'data/sources/escaped-key.yml:7:1: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-line-separator.yml'], 1, [
        'data/sources/escaped-line-separator.yml:2:8: invisible character U+2028 (LINE SEPARATOR) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-next-line.yml'], 1, [
        'data/sources/escaped-next-line.yml:2:8: invisible character U+0085 (control character) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/escaped-nul.yml'], 1, [
        'data/sources/escaped-nul.yml:2:8: invisible character U+0000 (control character) is not allowed, expected plain text [invisible-character]',
    ]),
    (['sources/title-line-break.yml'], 1, [
        'data/sources/title-line-break.yml:2:8: title: a line break is not allowed in a title, expected one line of text [not-one-line]',
    ]),
    (['flights/id-trailing-newline.yml'], 1, [
        "data/flights/id-trailing-newline.yml:1:5: id: 'id-trailing-newline\\n' is not a valid id, expected lower-case letters, digits and single hyphens (for example hmeimim-air-base) [invalid-id]",
    ]),
    (['bases/index.yml'], 1, [
        "data/bases/index.yml:1:5: id: 'index' is reserved for a page the brief generates, expected another id [reserved-id]",
    ]),
    (['bases/long-name.yml'], 1, [
        'data/bases/long-name.yml:2:7: name: text is 201 characters long, expected at most 200 characters for a name [text-too-long]',
    ]),
    (['events/long-summary.yml'], 1, [
        'data/events/long-summary.yml:4:10: summary: text is 20,300 characters long, expected at most 20,000 characters for a summary, judgment or description [text-too-long]',
    ]),
    (['bases/emoji-name.yml'], 0, [
    ]),
    (['flights/formula-registration.yml'], 0, [
    ]),
    (['sources/markup-title.yml'], 0, [
    ]),
    (['events/year-1.yml'], 1, [
        "data/events/year-1.yml:3:18: date.between[0]: '0001-01-01' is outside the years 1900 to 2100, expected a date in that range [date-out-of-range]",
    ]),
    (['events/year-9999.yml'], 1, [
        "data/events/year-9999.yml:3:7: date: '9999-12-31' is outside the years 1900 to 2100, expected a date in that range [date-out-of-range]",
    ]),
]


def test_every_corpus_file_has_a_case():
    named = {rel for rels, _, _ in CASES for rel in rels}
    assert named == {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.yml")}


@pytest.mark.parametrize("files, code, messages", CASES, ids=[c[0][0] for c in CASES])
def test_corpus_case(brief, capsys, files, code, messages):
    project = brief({})
    for rel in files:
        target = project.data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, target)
    assert cli.main(["-C", str(project.root), "validate"]) == code
    out, err = capsys.readouterr()
    lines = err.splitlines()
    if code:
        assert lines == messages + [f"{len(messages)} error{'s' if len(messages) != 1 else ''}."]
        assert "Traceback" not in err and out == ""
    else:
        assert err == "" and out.startswith("data/: valid")


ACCEPTED = [rels[0] for rels, code, _ in CASES if code == 0 and rels[0] not in ("flights/bom-crlf.yml",)]


@pytest.fixture(scope="module")
def accepted_site(tmp_path_factory):
    """Every valid but hostile corpus file in one brief, built."""
    from tests.conftest import new_brief

    project = new_brief(tmp_path_factory.mktemp("accepted") / "brief", {})
    for rel in ACCEPTED:
        (project.data / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / rel, project.data / rel)
    assert cli.main(["-C", str(project.root), "build"]) == 0
    return project


def test_valid_hostile_text_is_published_as_data(accepted_site):
    import csv
    import io
    import json

    from bs4 import BeautifulSoup

    site = accepted_site.site
    rows = csv.DictReader(io.StringIO((site / "data" / "flights.csv").read_text(encoding="utf-8"), newline=""))
    flight = next(row for row in rows if row["id"] == "formula-registration")
    assert [flight[k][:2] for k in ("registration", "summary", "operator")] == ["'=", "'@", "'-"]
    base = BeautifulSoup((site / "bases" / "emoji-name.html").read_text(encoding="utf-8"), "html.parser")
    assert base.title.get_text().startswith("Base 🛩 𝔸 ✈ Ñ") and base.select_one("article h1").get_text().startswith("Base 🛩")
    sources = BeautifulSoup((site / "sources.html").read_text(encoding="utf-8"), "html.parser")
    heading = sources.find(id="source-markup-title")
    assert heading.get_text().startswith('</title><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe> <!--')
    assert "{{ cycler" in sources.select_one("article").get_text() and not sources.select("iframe")
    figure = BeautifulSoup((site / "flights" / "index.html").read_text(encoding="utf-8"), "html.parser")
    names = [t.get("name") for t in json.loads(figure.find("script", id="flights-per-day-data").string)["data"]]
    assert 'Belarus (airfield unknown) → &lt;a href="https://evil.example/"&gt;Benghazi&lt;/a&gt;, Libya' in names
