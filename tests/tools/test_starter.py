"""brief init: a new brief from nothing that validates, builds into pages saying there are no facts yet, and grows."""
import json
import shutil
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import cli
from generator.facts.models import KINDS
from tests.conftest import REPO


def run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def article(site, rel: str) -> str:
    return " ".join(BeautifulSoup((site / rel).read_bytes(), "html.parser").select_one("article").get_text(" ").split())


def test_init_writes_a_valid_empty_brief_that_builds_and_then_grows(tmp_path, capsys):
    folder = tmp_path / "new-brief"
    code, out, err = run(capsys, "init", folder, "--title", "Airlift: \"watch\" #1", "--tlp", "TLP:GREEN",
                         "--edition", "2025-01-10", "--publisher", "Example desk")
    assert (code, err) == (0, "")
    assert out == (f"wrote a new brief into {folder} (37 files): next, brief -C {folder} build, "
                   "then add facts with brief new\n")
    assert (folder / "data" / "brief.yml").read_text() == (
        "# yaml-language-server: $schema=../schemas/brief.schema.json\n"
        'title: "Airlift: \\"watch\\" #1"\nedition: 2025-01-10\ntlp: TLP:GREEN\npublisher: "Example desk"\n'
        "# summary: one paragraph shown under the title on the overview page\n"
        "# publish: TLP:CLEAR  # the marking the published site is built at; until set, nothing is deployed\n")
    assert sorted(p.name for p in (folder / "data").iterdir()) == sorted([*KINDS, "brief.yml"])
    assert all((folder / "data" / kind / "README.md").is_file() for kind in KINDS)

    assert run(capsys, "-C", folder, "validate")[:2] == (0, "data/: valid (0 sources, 0 bases, 0 flights, 0 assessments, 0 events)\n")
    assert run(capsys, "-C", folder, "build")[0] == 0
    site = folder / "site"
    assert article(site, "index.html").startswith('Airlift: "watch" #1 ¶ Edition of 10 Jan 2025 · TLP:GREEN No facts yet This brief is new')
    for page, kind in [("bases/index.html", "bases"), ("flights/index.html", "flights"),
                       ("assessments.html", "assessments"), ("sources.html", "sources"), ("timeline.html", "events"),
                       ("sourcing.html", "assessments")]:
        assert f"No {kind} yet This brief has no facts of this kind yet. Add one with brief new" in article(site, page)

    code, out, _ = run(capsys, "-C", folder, "new", "source", "--id", "desk-report", "--title", "Desk report",
                       "--kind", "news", "--reliability", "C")
    assert (code, out) == (0, "wrote data/sources/desk-report.yml: review it, then run brief validate\n")
    assert run(capsys, "-C", folder, "build")[0] == 0
    sources = article(site, "sources.html")
    assert "Desk report" in sources and "No sources yet" not in sources
    assert "No facts yet" not in article(site, "index.html")


def test_the_new_brief_carries_checked_workflows_editor_schemas_and_a_validating_pre_commit_hook(tmp_path, capsys):
    folder = tmp_path / "b"
    assert run(capsys, "init", folder)[0] == 0
    assert "tlp: TLP:AMBER  # TLP 2.0" in (folder / "data" / "brief.yml").read_text()
    hook = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert (hook["entry"], hook["pass_filenames"]) == ("brief validate", False)
    assert json.loads((folder / ".vscode" / "settings.json").read_text()) == json.loads((REPO / ".vscode" / "settings.json").read_text())
    assert sorted(p.name for p in (folder / "schemas").iterdir()) == sorted(p.name for p in (REPO / "schemas").iterdir())
    workflows = sorted((folder / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["check.yml", "comment.yml", "publish.yml"]
    for path in workflows:
        assert "pip install --no-deps -e ." not in path.read_text()  # a brief is not a checkout of intelbrief
    node = shutil.which("node")
    lint = subprocess.run([node, str(REPO / "tests" / "lint_workflows.cjs"), *map(str, workflows)], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert json.loads(lint) == []
    assert "mkdocs==" in (folder / "requirements.txt").read_text()


@pytest.mark.parametrize("setup, args, message", [
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("x")), [],
     "error: {dir}: holds notes.txt, expected a new or empty folder (brief init never overwrites)\n"),
    (lambda d: d.write_text("x"), [],
     "error: {dir}: is a file, expected a new or empty folder (brief init never overwrites)\n"),
    (lambda d: None, ["--tlp", "TLP:BLUE"],
     "data/brief.yml:4:6: tlp: 'TLP:BLUE' is not a known TLP 2.0 label, expected one of: TLP:CLEAR, TLP:GREEN, "
     "TLP:AMBER, TLP:AMBER+STRICT, TLP:RED [unknown-choice]\n1 error; nothing was written.\n"),
])
def test_init_refuses_what_it_cannot_start_cleanly(tmp_path, capsys, setup, args, message):
    folder = tmp_path / "b"
    setup(folder)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, "init", folder, *args)
    assert (code, out, err) == (1, "", message.format(dir=folder))
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
