"""Git history as data: any file name, a broken old edition, and one read per revision however many files."""
import subprocess

from generator import cli
from generator.tools import diff
from tests.trees import flight

IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]


def git(root, *args):
    subprocess.run(["git", *IDENTITY, *args], cwd=root, check=True, capture_output=True)


def committed(project, message, tag=None):
    if not (project.root / ".git").exists():
        git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", message)
    if tag:
        git(project.root, "tag", tag)


def test_non_ascii_file_names_under_an_edition_tag_diff_and_build(brief, capsys):
    project = brief({"data/flights/vol-é.yml": flight("f1")})
    committed(project, "edition one", tag="edition-1")
    (project.data / "flights" / "vol-é.yml").rename(project.data / "flights" / "f1.yml")
    (project.data / "flights" / "f2.yml").write_text(flight("f2"))
    committed(project, "renamed")
    assert cli.main(["-C", str(project.root), "diff", "edition-1", "HEAD"]) == 0
    assert capsys.readouterr().out == "Fact changes from edition-1 to HEAD\n+ flight f2 (added): Belarus (airfield unknown) → Libya (airfield unknown), 14 Dec 2024\n"
    assert cli.main(["-C", str(project.root), "build"]) == 0
    changes = (project.docs / "changes.md").read_text()
    assert "cannot be read" in changes and "vol&#45;é&#46;yml" in changes  # the old edition's bad file name


def test_a_bad_file_in_an_old_edition_is_reported_on_the_what_changed_page_and_the_build_goes_on(brief, capsys):
    project = brief({"data/flights/f1.yml": flight("f1", "credibility: 9\n")})
    committed(project, "edition one", tag="edition-1")
    (project.data / "flights" / "f1.yml").write_text(flight("f1"))
    committed(project, "fixed")
    assert cli.main(["-C", str(project.root), "build"]) == 0
    text = (project.docs / "changes.md").read_text()
    lines = text.splitlines()
    heading = lines.index("# What changed")  # after the page's front matter (its description)
    assert lines[heading + 2:heading + 4] == [
        "The previous edition (edition&#45;1) cannot be read with this version of the brief, so no comparison is",
        "shown: data&#47;flights&#47;f1&#46;yml&#58;8&#58;14&#58; credibility&#58; &#39;9&#39; is not a valid "
        "credibility, expected a whole number from 1 to 6 &#91;invalid&#45;number&#93;"]
    assert (project.site / "changes.html").is_file()


def test_a_revision_is_read_with_a_fixed_number_of_git_calls_however_many_files(brief, monkeypatch):
    project = brief({f"data/flights/f{n}.yml": flight(f"f{n}") for n in range(60)})
    (project.data / "sources" / "outside.yml").symlink_to("/etc/hostname")
    committed(project, "many")
    calls = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls.append(args[:2]) or real(args, **kw))
    files = diff.files_at(project.root, "HEAD")
    assert calls == [["git", "ls-tree"], ["git", "cat-file"], ["git", "cat-file"]]
    assert files["data/flights/f59.yml"] == (project.data / "flights" / "f59.yml").read_bytes()
    assert str(files["data/sources/outside.yml"]) == ("data/sources/outside.yml:1:1: is a symbolic link in HEAD, "
                                                       "expected a file [not-a-file]")
