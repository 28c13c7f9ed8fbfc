"""Links inside the brief cannot carry what the brief keeps elsewhere into a site: content/ and templates/ may link
only to a regular file inside themselves, and nothing left in the generated docs folder reaches the site engine."""
import os
import subprocess
import sys

import pytest

from generator import build, cli
from generator.errors import ValidationFailed
from tests.trees import flight

RED_FLIGHT = flight("zqx-red-flight", "tlp: TLP:RED\nsummary: Zqxredsummary withheld\n")
CONFIG = '[remote "origin"]\n\turl = https://x-access-token:zqxtoken@example.org/brief.git\n'


def link(path, target):
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


def red_brief(brief):
    project = brief({"data/flights/zqx-red-flight.yml": RED_FLIGHT})
    (project.root / ".git").mkdir()
    (project.root / ".git" / "config").write_text(CONFIG)
    return project


def leaked(project) -> list[str]:
    """Files of the built site that hold the RED flight's text or the repository's token."""
    if not project.site.exists():
        return []
    return sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("*")
                  if p.is_file() and (b"Zqxredsummary" in p.read_bytes() or b"zqxtoken" in p.read_bytes()))


@pytest.mark.parametrize("where, target, line", [
    ("content/raw", "../data",
     "content/raw:1:1: symbolic link to ../data leads to a folder, expected a link to a file inside content/ "
     "[symlink-outside]"),
    ("content/notes.txt", "../.git/config",
     "content/notes.txt:1:1: symbolic link to ../.git/config leads outside content/, expected a link to a file inside "
     "content/ [symlink-outside]"),
    ("content/red.md", "../data/flights/zqx-red-flight.yml",
     "content/red.md:1:1: symbolic link to ../data/flights/zqx-red-flight.yml leads outside content/, expected a link "
     "to a file inside content/ [symlink-outside]"),
    ("content/deep/red.txt", "../../templates/../data/flights/zqx-red-flight.yml",
     "content/deep/red.txt:1:1: symbolic link to ../../templates/../data/flights/zqx-red-flight.yml leads outside "
     "content/, expected a link to a file inside content/ [symlink-outside]"),
    ("templates/base.md.j2", "../data/flights/zqx-red-flight.yml",
     "templates/base.md.j2:1:1: symbolic link to ../data/flights/zqx-red-flight.yml leads outside templates/, "
     "expected a link to a file inside templates/ [symlink-outside]"),
])
@pytest.mark.parametrize("edition", [["--release", "TLP:CLEAR"], ["--encrypt"]])
def test_a_link_out_of_content_or_templates_is_refused_and_publishes_nothing(brief, where, target, line, edition):
    project = red_brief(brief)
    if where.startswith("templates/"):
        (project.root / where).unlink()
    link(project.root / where, target)
    env = {**os.environ, "BRIEF_PASSPHRASE": "correct horse battery staple"}
    done = subprocess.run([sys.executable, "-m", "generator", "-C", str(project.root), "build", *edition],
                          capture_output=True, text=True, env=env)
    assert (done.returncode, done.stderr.splitlines()) == (1, [line, "1 error; nothing was written."])
    assert not project.site.exists() and leaked(project) == []


def test_content_itself_may_not_be_a_link(brief, capsys):
    project = red_brief(brief)
    os.rename(project.content, project.root / "pages")
    link(project.content, "data")
    assert cli.main(["-C", str(project.root), "build", "--release", "TLP:CLEAR"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content:1:1: is a symbolic link (to data), expected the folder itself [symlink-outside]",
        "1 error; nothing was written."]
    assert not project.site.exists()


def test_a_link_to_a_file_inside_content_is_published(brief, capsys):
    project = brief({})
    (project.content / "figures").mkdir()
    (project.content / "figures" / "plan.txt").write_text("the plan as written")
    link(project.content / "plan.txt", "figures/plan.txt")
    assert cli.main(["-C", str(project.root), "build"]) == 0
    assert (project.site / "plan.txt").read_text() == "the plan as written"


def test_a_link_left_in_the_generated_docs_stops_the_build_before_anything_is_built(brief):
    project = red_brief(brief)
    link(project.docs / "raw", "../../data")  # as a pull request could commit it under .brief/
    link(project.docs / "config.txt", "../../.git/config")
    with pytest.raises(ValidationFailed) as refused:
        build.build(project, release="TLP:CLEAR")
    assert sorted(p.code for p in refused.value.problems) == ["owned-symlink", "owned-symlink"]
    assert not project.site.exists() or leaked(project) == []
    assert (project.data / "flights" / "zqx-red-flight.yml").is_file()  # nothing it led to was touched
