"""A brief from nothing: `brief init DIR` writes an empty but valid brief, ready to fill in and publish.

The page templates, site settings, methodology page, workflows, editor settings and runtime lock are those of
the intelbrief checkout the command runs from (or, installed from a wheel, the copy packed into it), so a new
brief starts from the same, tested files. No URL it writes carries a user name, password or token.
"""
from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from generator import provenance
from generator.errors import BriefError, ValidationFailed
from generator.facts import dataset
from generator.facts.models import KINDS, SINGULAR
from generator.tools import schema

PACKED = Path(__file__).resolve().parents[1] / "starter"  # an installed wheel's copy (setup.py packs it)
CHECKOUT = Path(__file__).resolve().parents[2]  # the intelbrief checkout: templates/, mkdocs.yml, .github/
SOURCE = PACKED if PACKED.is_dir() else CHECKOUT
COPIED = ("mkdocs.yml", "templates", "content/methodology.md", ".vscode/settings.json", ".github/workflows")
RUNTIME_LOCK = "requirements/runtime.txt"  # intelbrief's runtime packages, each with its hashes
OWN = "requirements/intelbrief.txt"  # where a brief installs intelbrief itself from
# The workflows' line installing intelbrief from its own checkout, and the brief's line that replaces it.
INSTALL_HERE = "python -m pip install --no-deps --no-build-isolation -e ."
INSTALL_OWN = f"python -m pip install --no-deps --no-build-isolation -r {OWN}"
# User information in a URL (https://user:token@host/…: everything between :// and the last @ before the path).
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s?#]*@")
# What still looks like a credential once user information is gone: tokens by their well-known prefixes, and
# query parameters that carry keys or signatures.
SECRET = re.compile(r"(?i)\b(gh[pousr]_[a-z0-9]{16,}|github_pat_\w{16,}|glpat-[\w-]{16,}|x-access-token|xox[abpr]-[\w-]{10,})"
                    r"|[?&](access_token|private_token|token|api_key|apikey|key|secret|password|passwd|sig|signature)=")
DEFAULT_TLP = "TLP:AMBER"  # until the writer decides: limited disclosure, never public by accident

ABOUT = {
    "sources": ("Where each fact comes from: a report, a statement, a tracking service, a data set. Grade its "
                "reliability on the Admiralty scale (A–F); a source that relays another names it under `via`.",
                "brief new source --id news-report-2025-01 --title \"…\" --publisher \"…\" --kind news --reliability B"),
    "bases": ("A site whose posture the brief follows, located by ICAO code or coordinates with a source, with "
              "dated observations of its status, each with its sources and credibility (1–6).",
              "brief new base --id hmeimim-air-base --name \"Hmeimim Air Base\" --country SY --icao OSLK --kind \"air base\" "
              "--source news-report-2025-01"),
    "flights": ("One flight, or a group counted together (`count: {at_least: 3}`): departure, arrival, origin and "
                "destination as far as the sources say, the basis (tracked, reported, inferred) and credibility.",
                "brief new flight --id il76-hmeimim-2025-01-03 --origin OSLK --destination LY --basis reported "
                "--source news-report-2025-01"),
    "assessments": ("An analytic judgment: ICD 203 likelihood and confidence as separate fields, the evidence it "
                    "rests on, and its sources. Retire a judgment, never by deleting it: `status: superseded` with "
                    "`superseded_by` when a newer one replaces it, `status: withdrawn` with a `note` saying why when "
                    "it no longer holds.",
                    "brief new assessment --id airlift-continues --title \"…\" --judgment \"…\" --likelihood likely "
                    "--confidence low --source news-report-2025-01"),
    "events": ("Context for the timeline that is neither a flight nor a base observation, dated and sourced.",
               "brief new event --id ceasefire-announced --title \"…\" --date 2025-01-05 --summary \"…\" "
               "--source news-report-2025-01"),
    "indicators": ("What would show a judgment coming true, or failing, and what it would signal if met. The build "
                   "checks each `watch` condition against the facts at the edition date: flights between two places "
                   "in the last days, a base's latest status, or events since a date; `watch: manual` with `status` "
                   "and `sources` for what no fact can show. The overview's What to watch and the Indicators page "
                   "show each one as met, possibly met or not met, and What changed calls out every change.",
                   "brief new indicator --id airlift-continues --title \"…\" --signals \"…\" "
                   "--bears-on-assessment airlift-continues --bears-on-direction supports --watch-flights-from BY "
                   "--watch-flights-to LY --watch-flights-at-least 3 --watch-flights-within-days 7"),
}

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): run `pre-commit install` once; each commit is then checked.
repos:
  - repo: local
    hooks:
      - id: brief-validate
        name: brief validate
        entry: brief validate
        language: system
        pass_filenames: false
        files: ^data/
"""

GITIGNORE = "/site/\n/site.*/\n/.brief/\n__pycache__/\n.venv/\n"


def create(folder: Path, *, title: str | None, tlp: str | None, edition: str | None, publisher: str | None,
           intelbrief: str | None = None) -> list[str]:
    """Write a new brief into folder (which must be empty or new); returns the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        found = "is a file" if not folder.is_dir() else f"holds {', '.join(sorted(p.name for p in folder.iterdir())[:3])}"
        raise BriefError(f"{folder}: {found}, expected a new or empty folder (brief init never overwrites)")
    files = starter_files(title=title, tlp=tlp, edition=edition, publisher=publisher, intelbrief=intelbrief)
    check(files)
    refuse_credentials(files)
    for rel, body in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    return list(files)


def check(files: dict[str, bytes]) -> None:
    """The new brief must validate as it is: options that make it invalid are refused before anything is written."""
    facts = {rel: body for rel, body in files.items() if rel == f"data/{dataset.BRIEF_FILE}"}
    facts.update({f"data/{kind}/": b"" for kind in KINDS})
    _, problems = dataset.collect(facts)
    if problems:
        raise ValidationFailed(problems)


def starter_files(*, title, tlp, edition, publisher, intelbrief=None) -> dict[str, bytes]:
    """Every file of a new brief, as bytes, by path."""
    files = {f"data/{dataset.BRIEF_FILE}": brief_file(title, tlp, edition, publisher).encode()}
    for kind, (about, example) in ABOUT.items():
        files[f"data/{kind}/README.md"] = folder_readme(kind, about, example).encode()
    files.update(copied())
    files["content/narrative.md"] = NARRATIVE.encode()
    for name, text in schema.all_schemas().items():
        files[f"{schema.SCHEMA_DIR}/{name}"] = text.encode()
    for rel in [r for r in files if r.startswith(".github/workflows/")]:
        lines = files[rel].decode().splitlines(keepends=True)
        files[rel] = "".join(line.replace(INSTALL_HERE, INSTALL_OWN) for line in lines).encode()
    files[RUNTIME_LOCK] = runtime_lock().encode()
    files[OWN] = own_requirement(intelbrief).encode()
    files[".pre-commit-config.yaml"] = PRE_COMMIT.encode()
    files[".gitignore"] = GITIGNORE.encode()
    files["README.md"] = README.encode()
    return dict(sorted(files.items()))


def brief_file(title, tlp, edition, publisher) -> str:
    """data/brief.yml: the given values, or placeholders that validate and say what to fill in."""
    today = datetime.now(timezone.utc).date().isoformat()
    lines = [f"# yaml-language-server: $schema=../{schema.SCHEMA_DIR}/brief.schema.json",
             f"title: {_text(title or 'Untitled brief')}" + ("" if title else "  # the brief's title"),
             f"edition: {edition or today}" + ("" if edition else "  # the date of this edition"),
             f"tlp: {tlp or DEFAULT_TLP}" + ("" if tlp else "  # TLP 2.0: CLEAR, GREEN, AMBER, AMBER+STRICT or RED"),
             f"publisher: {_text(publisher)}" if publisher else "# publisher: who issues the brief",
             "# bottom_line: the judgment-led opening paragraph of the overview and page 1 of the PDF",
             "# implications: [{text: what the judgments mean for the reader, rests_on: [assessment ids]}]",
             "# outlook: {text: what is expected next, horizon: YYYY-MM-DD or words, likelihood: likely}",
             "# scope: {cutoff: YYYY-MM-DD, covers: …, not_covered: …, author: …, contact: …}",
             "# gaps: [{question: …, why: what the answer would change, bears_on: [assessment ids], answer: …}]",
             "# summary: background; the overview opens with it when there is no bottom_line",
             "# publish: TLP:CLEAR  # the marking the published site is built at; until set, nothing is deployed"]
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are YAML double-quoted strings)."""
    return json.dumps(value, ensure_ascii=False)


def folder_readme(kind: str, about: str, example: str) -> str:
    return (f"# {kind.capitalize()}\n\n{about}\n\nOne YAML file per {SINGULAR[kind]}, named after its id "
            f"(`data/{kind}/<id>.yml`, the id in lower-case words joined by hyphens); sub-folders are allowed. "
            f"Start one with:\n\n```sh\n{example}\n```\n\nthen run `brief validate`. The fields are described in "
            f"`schemas/{SINGULAR[kind]}.schema.json`, which editors use to complete and check them.\n")


def copied() -> dict[str, bytes]:
    """The files a new brief shares with this checkout of intelbrief."""
    files: dict[str, bytes] = {}
    for rel in COPIED:
        path = SOURCE / rel
        if path.is_dir():
            files.update({p.relative_to(SOURCE).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()})
        elif path.is_file():
            files[rel] = path.read_bytes()
        else:
            raise BriefError(f"{path}: missing, expected the intelbrief checkout that brief init copies its "
                             "templates and settings from (run it from a full checkout)")
    return files


def runtime_lock() -> str:
    """intelbrief's runtime lock, as the brief's: every package pinned with its hashes, installed with --require-hashes."""
    path = SOURCE / RUNTIME_LOCK
    if not path.is_file():
        raise BriefError(f"{path}: missing, expected intelbrief's runtime lock, which brief init copies into the "
                         "new brief (run it from a full checkout or an installed intelbrief)")
    body = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith(("# This file was autogenerated", "#    make locks")))
    return (f"# The packages {provenance.describe()} runs on,\n"
            f"# each pinned with the hashes of its files; the workflows install them with\n"
            f"# python -m pip install --require-hashes -r {RUNTIME_LOCK}\n"
            f"# On upgrading intelbrief, replace this file with the new version's {RUNTIME_LOCK}.\n" + body)


def own_requirement(intelbrief: str | None) -> str:
    """requirements/intelbrief.txt: where the workflows install intelbrief from (its dependencies are the lock)."""
    spec = intelbrief or _origin()
    if spec:
        spec = public_url(spec, "--intelbrief" if intelbrief else "the intelbrief checkout's origin remote")
    own = f"intelbrief @ {spec}\n" if spec else ("# intelbrief itself: add where your team installs it from, e.g.\n"
                                                 "# intelbrief @ git+https://github.com/ORG/intelbrief@COMMIT\n")
    return (f"# Installed by the workflows after {RUNTIME_LOCK}: python -m pip install --no-deps "
            f"--no-build-isolation -r {OWN}\n# A git address pinned to a commit names exactly what is installed.\n" + own)


def public_url(spec: str, where: str) -> str:
    """spec with the user information (user names, passwords, tokens) taken out of every URL in it; a spec that
    still carries something that looks like a secret is refused, naming where it came from but not the secret."""
    cleaned = USERINFO.sub(r"\1", spec)
    if SECRET.search(cleaned):
        raise BriefError(f"{where}: its URL carries what looks like a credential (a token or a key in the address), "
                         "expected a URL without one; nothing was written")
    return cleaned


def refuse_credentials(files: dict[str, bytes]) -> None:
    """Nothing brief init writes may carry a credential in a URL (a brief is committed and pushed as it is)."""
    for rel, body in files.items():
        for number, line in enumerate(body.decode("utf-8", "replace").splitlines(), 1):
            if USERINFO.search(line) or SECRET.search(line):
                raise BriefError(f"{rel}:{number}: a URL with user information or a credential, expected none (it "
                                 f"comes from {SOURCE / rel if (SOURCE / rel).is_file() else 'brief init'}); "
                                 "nothing was written")


def _origin() -> str | None:
    """git+URL@commit to install this intelbrief from: the checkout's https origin remote and commit, or the git
    address and commit pip recorded when it installed intelbrief from one."""
    def git(folder, *args):
        try:
            done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    if SOURCE == CHECKOUT and (CHECKOUT / ".git").exists():
        url, commit = git(CHECKOUT, "remote", "get-url", "origin"), git(CHECKOUT, "rev-parse", "HEAD")
    else:  # installed from a wheel: pip's record of where from (a git address, or a clone on this machine)
        try:
            recorded = json.loads(metadata.distribution("intelbrief").read_text("direct_url.json") or "{}")
        except (metadata.PackageNotFoundError, ValueError):
            recorded = {}
        vcs, url = recorded.get("vcs_info") or {}, recorded.get("url", "")
        if vcs.get("vcs") == "git":
            commit = vcs.get("commit_id", "")
        elif url.startswith("file://") and "+" not in provenance.full_commit():  # the clone, at the commit built
            clone = Path(url2pathname(urlsplit(url).path))
            url, commit = git(clone, "remote", "get-url", "origin"), provenance.full_commit()
        else:
            url = commit = ""
    return f"git+{url}@{commit}" if url.startswith("https://") and commit else None


NARRATIVE = """\
# Narrative

*Hand-written analysis. Write it here, in Markdown; every number comes from the facts, never typed:
for example, the brief records {{ figures.flights }} flights and follows {{ figures.bases }} bases.*
"""

README = """\
# An intelligence brief

Facts in `data/` (one YAML file per fact), built by intelbrief into a static site.

```sh
brief new source --id … --title … --kind … --reliability …   # add facts (or write the files)
brief validate                                                # check every fact
brief serve                                                   # preview at http://127.0.0.1:8000
brief build                                                   # the site, in site/
```

Each folder of `data/` has a README on what goes there. Pull requests are checked by
`.github/workflows/check.yml`; `publish.yml` deploys `main` to GitHub Pages. The workflows install
intelbrief's runtime packages from `requirements/runtime.txt`, every file checked against its hash, and
intelbrief itself from the address in `requirements/intelbrief.txt`:

```sh
python -m pip install --require-hashes -r requirements/runtime.txt
python -m pip install --no-deps --no-build-isolation -r requirements/intelbrief.txt
```
"""
