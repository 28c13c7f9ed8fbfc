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
    assert out == (f"wrote a new brief into {folder} (42 files): next, brief -C {folder} build, "
                   "then add facts with brief new\n")
    assert (folder / "data" / "brief.yml").read_text() == (
        "# yaml-language-server: $schema=../schemas/brief.schema.json\n"
        'title: "Airlift: \\"watch\\" #1"\nedition: 2025-01-10\ntlp: TLP:GREEN\npublisher: "Example desk"\n'
        "# bottom_line: the judgment-led opening paragraph of the overview and page 1 of the PDF\n"
        "# implications: [{text: what the judgments mean for the reader, rests_on: [assessment ids]}]\n"
        "# outlook: {text: what is expected next, horizon: YYYY-MM-DD or words, likelihood: likely}\n"
        "# scope: {cutoff: YYYY-MM-DD, covers: …, not_covered: …, author: …, contact: …}\n"
        "# gaps: [{question: …, why: what the answer would change, bears_on: [assessment ids], answer: …}]\n"
        "# summary: background; the overview opens with it when there is no bottom_line\n"
        "# publish: TLP:CLEAR  # the marking the published site is built at; until set, nothing is deployed\n")
    assert sorted(p.name for p in (folder / "data").iterdir()) == sorted([*KINDS, "brief.yml"])
    assert all((folder / "data" / kind / "README.md").is_file() for kind in KINDS)
    assert list((folder / "data" / "indicators").iterdir()) == [folder / "data" / "indicators" / "README.md"]
    assert "brief new indicator --id airlift-continues" in (folder / "data" / "indicators" / "README.md").read_text()

    assert run(capsys, "-C", folder, "validate")[:2] == (0, "data/: valid (0 sources, 0 bases, 0 flights, 0 assessments, 0 events)\n")
    assert run(capsys, "-C", folder, "build")[0] == 0
    site = folder / "site"
    assert article(site, "index.html").startswith('Airlift: "watch" #1 ¶ Edition of 10 Jan 2025 · information cut-off 10 Jan 2025 · TLP:GREEN No facts yet This brief is new')
    for page, kind in [("bases/index.html", "bases"), ("flights/index.html", "flights"),
                       ("assessments.html", "assessments"), ("sources.html", "sources"), ("timeline.html", "events"),
                       ("sourcing.html", "assessments"), ("indicators.html", "indicators")]:
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
    for path in workflows:  # a brief is not a checkout of intelbrief: only its runtime lock and intelbrief itself
        installs = [line.strip() for line in path.read_text().splitlines() if "pip install" in line]
        assert installs == ["python -m pip install --require-hashes -r requirements/runtime.txt",
                            "python -m pip install --no-deps --no-build-isolation -r requirements/intelbrief.txt"]
    node = shutil.which("node")
    lint = subprocess.run([node, str(REPO / "tests" / "lint_workflows.cjs"), *map(str, workflows)], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert json.loads(lint) == []
    lock = (folder / "requirements" / "runtime.txt").read_text()
    assert lock.endswith((REPO / "requirements" / "runtime.txt").read_text().split("make locks\n", 1)[1])
    assert "mkdocs==" in lock and "--hash=sha256:" in lock and "pytest" not in lock
    assert not (folder / "requirements.txt").exists()


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


# ---------------------------------------------------------------- no credentials in what brief init writes


TOKEN = "ghs_" + "k7Q2" * 9  # the shape of a GitHub Actions installation token


def checkout_with_origin(tmp_path, monkeypatch, url: str) -> str:
    """A copy of the files brief init reads, committed in a git checkout whose origin remote is url; its commit."""
    from generator.tools import starter

    root = tmp_path / "intelbrief"
    for rel in (*starter.COPIED, starter.RUNTIME_LOCK):
        source = REPO / rel
        if source.is_dir():
            shutil.copytree(source, root / rel)
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / rel)
    def git(*args):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                              capture_output=True, text=True, check=True).stdout.strip()
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "intelbrief")
    git("remote", "add", "origin", url)
    monkeypatch.setattr(starter, "SOURCE", root)
    monkeypatch.setattr(starter, "CHECKOUT", root)
    return git("rev-parse", "HEAD")


def test_init_writes_the_origin_address_without_the_token_it_was_cloned_with(tmp_path, capsys, monkeypatch):
    commit = checkout_with_origin(tmp_path, monkeypatch, f"https://x-access-token:{TOKEN}@github.com/example/intelbrief")
    folder = tmp_path / "b"
    assert run(capsys, "init", folder)[:2] == (0, f"wrote a new brief into {folder} (42 files): next, brief -C {folder} "
                                                  "build, then add facts with brief new\n")
    assert (folder / "requirements" / "intelbrief.txt").read_text().splitlines()[-1] == (
        f"intelbrief @ git+https://github.com/example/intelbrief@{commit}")
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert [p for p in written if TOKEN[4:12] in p.read_text() or "x-access-token" in p.read_text()] == []


@pytest.mark.parametrize("origin, spec, where", [
    (f"https://github.com/example/intelbrief.git?access_token={TOKEN}", None, "the intelbrief checkout's origin remote"),
    ("https://github.com/example/intelbrief", f"git+https://github.com/example/intelbrief@main#egg=x&token={TOKEN}",
     "--intelbrief"),
], ids=["origin-token-in-query", "spec-token-in-query"])
def test_init_refuses_an_address_that_still_carries_a_secret(tmp_path, capsys, monkeypatch, origin, spec, where):
    checkout_with_origin(tmp_path, monkeypatch, origin)
    folder = tmp_path / "b"
    code, out, err = run(capsys, "init", folder, *(["--intelbrief", spec] if spec else []))
    assert (code, out, err) == (1, "", f"error: {where}: its URL carries what looks like a credential (a token or a key "
                                       "in the address), expected a URL without one; nothing was written\n")
    assert not folder.exists()


def test_init_strips_user_information_from_an_address_given_on_the_command_line(tmp_path, capsys):
    folder = tmp_path / "b"
    spec = f"git+https://someone:{TOKEN}@git.example.org/desk/intelbrief@0123abc"
    assert run(capsys, "init", folder, "--intelbrief", spec)[0] == 0
    assert (folder / "requirements" / "intelbrief.txt").read_text().splitlines()[-1] == (
        "intelbrief @ git+https://git.example.org/desk/intelbrief@0123abc")


def test_init_refuses_a_copied_file_holding_a_credential_and_names_its_line(tmp_path, capsys, monkeypatch):
    checkout_with_origin(tmp_path, monkeypatch, "https://github.com/example/intelbrief")
    from generator.tools import starter

    settings = starter.SOURCE / "mkdocs.yml"
    settings.write_text(settings.read_text() + f"repo_url: https://deploy:{TOKEN}@github.com/example/brief\n")
    line = len(settings.read_text().splitlines())
    folder = tmp_path / "b"
    code, out, err = run(capsys, "init", folder)
    assert (code, out, err) == (1, "", f"error: mkdocs.yml:{line}: a URL with user information or a credential, expected "
                                       f"none (it comes from {settings}); nothing was written\n")
    assert TOKEN not in err and not folder.exists()
