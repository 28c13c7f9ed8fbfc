"""intelbrief as users install it: the wheel, in an empty virtual environment holding only the runtime lock.

The wheel is built from a copy of the working tree (as from a source distribution, which records its commit),
installed beside the runtime lock's packages and nothing else, and used as a new user would: brief --version,
brief init, brief build, brief validate, the example brief, and brief pdf without the pdf extra.
The runtime lock's wheels are downloaded once into a wheel house outside the checkout and installed from there
with every hash checked; with no wheel house and no registry to fill it, the tests skip, saying so.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

RUNTIME_LOCK = REPO / "requirements" / "runtime.txt"
COMMIT = "0123456789abcdef0123456789abcdef01234567"  # the commit the copied tree records, as a source distribution does
SOURCE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "generator", "mkdocs.yml", "templates",
                "content/methodology.md", ".vscode/settings.json", ".github/workflows", "requirements/runtime.txt",
                "requirements/test.txt")
EXAMPLE = ("mkdocs.yml", "templates", "content", "data")


def wheel_house() -> Path:
    """Where the runtime lock's wheels are kept between runs (outside the checkout, beside pip's own cache)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "intelbrief-tests" / "wheels"


def pip(python: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args], capture_output=True,
                          text=True, **kwargs)


def fill_wheel_house(house: Path) -> None:
    """Download the runtime lock's wheels for this machine, checked against their hashes; skip when unreachable."""
    done = pip(Path(sys.executable), "download", "--quiet", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "--timeout", "30", "--retries", "1", "-r", str(RUNTIME_LOCK), "-d", str(house))
    if done.returncode:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no output"
        if os.environ.get("CI") == "true" and "onnect" not in done.stderr:
            pytest.fail(f"pip download of the runtime lock failed: {reason}")
        pytest.skip(f"the runtime lock's wheels are not in {house} and the package registry could not supply them: "
                    f"{reason}")


def clean_env(venv_dir: Path) -> dict[str, str]:
    """The environment a user's shell would give the installed brief: no test settings, its venv first on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "BRIEF_CHROMIUM")}
    env["PATH"] = f"{venv_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["SOURCE_DATE_EPOCH"] = "1734307200"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(brief executable, environment): intelbrief's wheel and the runtime lock, in a new virtual environment."""
    if importlib.util.find_spec("build") is None:
        pytest.fail("the build package is missing: run make setup, which installs requirements/test.txt")
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    for rel in SOURCE_FILES:
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        if (REPO / rel).is_dir():
            shutil.copytree(REPO / rel, source / rel, ignore=shutil.ignore_patterns("__pycache__", "commit.txt"))
        else:
            shutil.copyfile(REPO / rel, source / rel)
    (source / "generator" / "commit.txt").write_text(COMMIT + "\n")
    built = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"),
                            str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next((work / "dist").glob("intelbrief-*-py3-none-any.whl"))

    house = wheel_house()
    house.mkdir(parents=True, exist_ok=True)
    target = work / "venv"
    venv.create(target, with_pip=False)  # empty; this environment's pip installs into it (pip --python)
    into = ["--python", str(target / "bin" / "python"), "install", "--quiet", "--no-compile", "--no-index"]
    offline = [*into, "--find-links", str(house), "--require-hashes", "-r", str(RUNTIME_LOCK)]
    done = pip(Path(sys.executable), *offline)
    if done.returncode:  # the first run on this machine, or a lock that changed: fetch what is missing
        fill_wheel_house(house)
        done = pip(Path(sys.executable), *offline)
    assert done.returncode == 0, done.stderr[-3000:]
    done = pip(Path(sys.executable), *into, "--no-deps", str(wheel))
    assert done.returncode == 0, done.stderr[-3000:]
    return target / "bin" / "brief", clean_env(target)


def brief(installed, *args, cwd: Path) -> subprocess.CompletedProcess:
    executable, env = installed
    return subprocess.run([str(executable), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.packaging
def test_the_wheel_holds_the_package_assets_and_names_its_version_and_commit(installed, tmp_path):
    done = brief(installed, "--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "intelbrief 0.2.0 (commit 0123456789ab)\n")
    site_packages = next(installed[0].parent.parent.glob("lib/python*/site-packages"))
    assert not (site_packages / "pytest").exists() and not (site_packages / "stix2").exists()  # the runtime only
    assert (site_packages / "generator" / "assets" / "vendor" / "plotly-brief.min.js").is_file()


@pytest.mark.packaging
def test_init_build_and_validate_work_from_the_installed_wheel(installed, tmp_path):
    done = brief(installed, "init", "my-brief", "--title", "Airlift watch", "--edition", "2025-01-10", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "my-brief"
    assert (folder / "requirements" / "runtime.txt").read_text().endswith(RUNTIME_LOCK.read_text().split("make locks\n", 1)[1])
    assert (folder / "templates").is_dir() and (folder / ".github" / "workflows" / "publish.yml").is_file()
    assert brief(installed, "new", "source", "--id", "desk-report", "--title", "Desk report", "--kind", "news",
                 "--reliability", "C", cwd=folder).returncode == 0
    done = brief(installed, "validate", cwd=folder)
    assert (done.returncode, done.stdout) == (0, "data/: valid (1 source, 0 bases, 0 flights, 0 assessments, 0 events)\n")
    done = brief(installed, "build", cwd=folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "site" / "sources.html").read_text()
    assert "Desk report" in page and "made with intelbrief 0.2.0 (commit 0123456789ab)" in page


@pytest.mark.packaging
def test_the_example_brief_builds_with_the_runtime_lock_alone(installed, tmp_path, example):
    for rel in EXAMPLE:
        (shutil.copytree if (REPO / rel).is_dir() else shutil.copyfile)(REPO / rel, tmp_path / rel)
    done = brief(installed, "build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 16 pages into ")
    files = sorted(p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*"))
    assert files == sorted(p.relative_to(example.site).as_posix() for p in example.site.rglob("*"))  # every asset
    assert "Hmeimim Air Base" in (tmp_path / "site" / "bases" / "hmeimim-air-base.html").read_text()


@pytest.mark.packaging
def test_pdf_without_its_extra_says_what_to_install_before_any_work(installed, tmp_path):
    for rel in EXAMPLE:
        (shutil.copytree if (REPO / rel).is_dir() else shutil.copyfile)(REPO / rel, tmp_path / rel)
    done = brief(installed, "pdf", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        1, "", "error: the playwright package is not installed, expected it to print the PDF with the system Chromium: "
               "install intelbrief with its pdf extra (pip install 'intelbrief[pdf]')\n")
    assert not (tmp_path / "site").exists()


def locked(path: Path) -> dict[str, str]:
    """{normalised name: version} of a lock, and a check that every entry carries hashes."""
    text = path.read_text()
    entries = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?: ;[^\\\n]*)? \\\n(?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
                         text, re.M)
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9]", text, re.M)), f"{path.name}: an entry without hashes"
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version, _ in entries}


def declared(requirements: list[str]) -> set[str]:
    return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r)[0]).lower() for r in requirements} - {"intelbrief"}


def test_the_locks_hold_what_pyproject_declares_with_hashes_and_the_same_versions():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime, test = locked(RUNTIME_LOCK), locked(REPO / "requirements" / "test.txt")
    assert declared(project["dependencies"]) <= set(runtime)  # else: make locks
    extras = project["optional-dependencies"]
    assert declared(extras["pdf"] + extras["test"] + extras["interop"]) <= set(test)
    assert not declared(extras["pdf"] + extras["test"] + extras["interop"]) & set(runtime)  # the runtime only
    assert {name: test[name] for name in runtime} == runtime


def test_the_wheel_packs_every_file_brief_init_copies():
    from generator.tools import starter

    tree = ast.parse((REPO / "setup.py").read_text())
    packed = next(ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "STARTER")
    assert packed == (*starter.COPIED, starter.RUNTIME_LOCK)


def test_version_names_the_checkout_commit(capsys):
    from generator import __version__, cli

    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0 and out in (f"intelbrief {__version__} (commit {head[:12]})\n",
                                               f"intelbrief {__version__} (commit {head[:12]}+changes)\n")
