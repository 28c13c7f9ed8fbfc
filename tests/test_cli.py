"""The brief command: messages, exit codes, help, and the README that documents it."""

import pytest

from generator import cli
from tests.conftest import REPO
from tests.trees import flight


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_reports_every_problem_and_exits_1(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1").replace("tracked", "maybe"),
                     "data/flights/f2.yml": "id: f2\nid: f3\n"})
    code, out, err = run(capsys, "-C", str(project.root), "validate")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "data/flights/f1.yml:6:8: basis: 'maybe' is not a known basis, expected one of: tracked, reported, inferred [unknown-choice]",
        "data/flights/f2.yml:2:1: duplicate key 'id' (first on line 1), expected each key once [duplicate-key]",
        "2 errors.",  # validate writes nothing, so it does not say so
    ]


def test_validate_passes_on_good_facts(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1")})
    assert run(capsys, "-C", str(project.root), "validate") == (
        0, "data/: valid (1 source, 0 bases, 1 flight, 0 assessments, 0 events)\n", "")


def test_failed_validation_writes_nothing(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1").replace("BY", "XX")})
    code, _, err = run(capsys, "-C", str(project.root), "build")
    assert code == 1 and "nothing was written" in err
    assert not project.site.exists() and not (project.root / ".brief").exists()


def test_outside_a_brief_the_message_says_what_is_expected(tmp_path, capsys):
    code, _, err = run(capsys, "-C", str(tmp_path), "validate")
    assert code == 1
    assert err == f"error: {tmp_path}: no brief here, expected a folder with mkdocs.yml and data/ (run brief inside a brief)\n"


@pytest.mark.parametrize("name, func", [(name, func) for name, func, _ in cli.COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(name, func, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: brief {name} ")
    assert " ".join(func.__doc__.split()) in " ".join(out.split())  # the description is the command's docstring
    assert f"brief {name}" in (REPO / "README.md").read_text()


def test_progress_is_shown_on_a_terminal_only(brief, monkeypatch, capsys):
    project = brief({"data/flights/f1.yml": flight("f1")})
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert cli.main(["-C", str(project.root), "build"]) == 0
    for said in (["building the site from 14 pages", "checking the HTML of 14 pages"],  # whole, then from the last
                 ["building the site from 14 pages, starting from the last build's", "checking the HTML of 0 pages"]):
        stages = [line.split("] ", 1)[1] for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
        assert stages == ["reading the fact files", "validating 3 fact files", "generating pages from 2 facts",
                          "writing the data exports and the Data page", *said, "indexing the pages for search",
                          "putting the new site in place"]
        assert cli.main(["-C", str(project.root), "build"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("CI", "true")
    assert cli.main(["-C", str(project.root), "build"]) == 0
    assert capsys.readouterr().err == ""
