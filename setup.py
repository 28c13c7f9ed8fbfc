"""Packs what `brief init` copies into a new brief, and the commit intelbrief is built from, into the package.

Everything else is in pyproject.toml. From a checkout the starter files are read where they live (templates/,
mkdocs.yml, …); an installed wheel has no checkout, so the build copies them into generator/starter/ and writes
the commit to generator/commit.txt. A source distribution carries the commit the same way, for the wheel built
from it.
"""
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
STARTER = ("mkdocs.yml", "templates", "content/methodology.md", ".vscode/settings.json", ".github/workflows",
           "requirements/runtime.txt")  # the same list as generator/tools/starter.py's COPIED, and the lock
COMMIT_FILE = "commit.txt"


def commit() -> str:
    """The checkout's commit, or the one a source distribution recorded, or '' when neither is known."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        done = dirty = None
    if done is not None and done.returncode == 0 and (HERE / ".git").exists():
        return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    recorded = HERE / "generator" / COMMIT_FILE
    return recorded.read_text(encoding="utf-8").strip() if recorded.is_file() else ""


class BuildPy(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout itself
            return
        package = Path(self.build_lib) / "generator"
        target = package / "starter"
        shutil.rmtree(target, ignore_errors=True)
        for rel in STARTER:
            source = HERE / rel
            if source.is_dir():
                shutil.copytree(source, target / rel, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / rel)
        (package / COMMIT_FILE).write_text(commit() + "\n", encoding="utf-8")


class Sdist(sdist):
    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        (Path(base_dir) / "generator" / COMMIT_FILE).write_text(commit() + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
