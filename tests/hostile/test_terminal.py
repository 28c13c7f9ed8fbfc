"""Control characters from the facts never reach a terminal or a workflow log raw: they are shown as escapes."""
import subprocess

from generator import cli
from generator.facts.text import visible


def test_visible_escapes_controls_bidi_marks_and_separators_only():
    assert visible("a\x1b[31mb\u202ec\u2028d\x85e\tf\ng é ✈ \\n") == "a\\x1b[31mb\\u202ec\\u2028d\\x85e\\tf\\ng é ✈ \\n"


def test_validate_prints_a_bad_id_with_its_newline_escaped(brief, capsys):
    project = brief({"data/sources/s.yml": 'id: "s\\n\\x1b[2J"\ntitle: T\npublisher: p\npublished: unknown\n'
                                           "kind: news\nreliability: B\n"})
    assert cli.main(["-C", str(project.root), "validate"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/sources/s.yml:1:5: invisible character U+001B (control character) is not allowed, expected plain text "
        "[invisible-character]")
    assert cli.main(["-C", str(project.root), "validate", "--format", "github"]) == 1
    assert "\x1b" not in capsys.readouterr().out


def test_diff_shows_a_changed_value_with_its_line_breaks_escaped(brief, capsys):
    project = brief({"data/sources/s.yml": "id: s\ntitle: T\npublisher: p\npublished: unknown\nkind: news\n"
                                           "reliability: B\nnote: one\n"})
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one"]):
        subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True)
    (project.data / "sources" / "s.yml").write_text("id: s\ntitle: T\npublisher: p\npublished: unknown\nkind: news\n"
                                                    "reliability: B\nnote: |\n  two\n  ! forged line\n")
    assert cli.main(["-C", str(project.root), "diff", "HEAD"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "    note: one → two\\n! forged line\\n"


def test_a_control_character_from_a_track_file_is_escaped_in_every_validate_format(brief, capsys):
    project = brief({"data/tracks/t.json": '{"schema": "intelbrief-track/1", "points": [\n'
                                           '  ["\\u009b2J", 53.9, 28.0, 0],\n  ["2024-12-14T01:02:00Z", 53.1, 27.8, 0]\n]}\n'})
    line = ("data/tracks/t.json:2:1: points[0]: '\\x9b2J' is not a UTC time, expected YYYY-MM-DDTHH:MM:SSZ "
            "[bad-track-point]")
    assert cli.main(["-C", str(project.root), "validate"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == line
    for fmt in ("github", "json"):
        assert cli.main(["-C", str(project.root), "validate", "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert "\x9b" not in out and "\\x9b2J" in out.replace("\\\\", "\\")
