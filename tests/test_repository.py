"""Repository files editors and CI rely on: workflows, issue forms, pre-commit, editor settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from support import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
FORMS = sorted(p for p in (ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def load(path: Path) -> dict:
    # Parsed with the safe loader; GitHub's 'on:' key is YAML 1.1's True, so read it both ways.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on") or workflow.get(True) or {}


def test_there_is_a_ci_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_pull_requests_get_read_only_tokens_and_no_secrets(path: Path) -> None:
    workflow = load(path)
    on = triggers(workflow)
    assert "pull_request_target" not in on, "pull_request_target runs untrusted code with secrets"
    assert workflow["permissions"] == {"contents": "read"}
    text = path.read_text(encoding="utf-8")
    assert "${{ secrets." not in text
    for job_name, job in workflow["jobs"].items():
        writes = {k: v for k, v in job.get("permissions", {}).items() if v == "write"}
        if writes:
            assert "github.ref == 'refs/heads/main'" in job.get("if", ""), f"{job_name} writes outside main"
            assert "github.event_name == 'push'" in job["if"]
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout"):
                assert step.get("with", {}).get("persist-credentials") is False


def test_ci_validates_builds_strict_tests_and_deploys_main_only() -> None:
    workflow = load(ROOT / ".github/workflows/ci.yml")
    assert set(triggers(workflow)) == {"pull_request", "push"}
    assert triggers(workflow)["push"]["branches"] == ["main"]
    runs = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    assert runs[1:4] == ["./dev validate", "./dev build", "./dev test"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in deploy["steps"])
    assert "--strict" in (ROOT / "dev").read_text() and "strict: true" in (ROOT / "mkdocs.yml").read_text()


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_forms_ask_for_a_source(path: Path) -> None:
    form = load(path)
    assert form["name"] and form["description"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    source = next(item for key, item in fields.items() if key.startswith("source"))
    assert source["type"] == "textarea"
    assert source["validations"]["required"] is True


def test_issue_forms_exist() -> None:
    assert {p.name for p in FORMS} == {"correction.yml", "new-record.yml"}


def test_pre_commit_runs_the_validator_schema_check_and_linters() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["kb-validate"]["entry"] == "./dev validate"
    assert hooks["kb-schema"]["entry"] == "./dev schema --check"
    assert {"ruff", "ruff-format"} <= hooks.keys()
    ruff_repo = next(repo for repo in config["repos"] if "ruff" in repo["repo"])
    pinned = re.search(r"ruff==([\d.]+)", (ROOT / "requirements-dev.txt").read_text()).group(1)
    assert ruff_repo["rev"] == f"v{pinned}", "pre-commit's ruff must match the pinned ruff"


def test_editor_settings_map_every_schema_to_its_folder() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text())
    mapping = settings["yaml.schemas"]
    for schema in (ROOT / "schemas").glob("*.schema.json"):
        kind = schema.name.removesuffix(".schema.json")
        assert f"data/{kind}/*.yaml" in mapping[f"./schemas/{schema.name}"]
    for template in (ROOT / "data/_templates").glob("*.yaml"):
        first = template.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schemas/{template.stem}.schema.json"


def test_no_unsafe_yaml_loader_anywhere() -> None:
    """Ruff's S506 rule is on as well; this also covers files ruff does not lint."""
    unsafe = re.compile(
        r"yaml\.(unsafe_load|load_all|full_load)\(|yaml\.load\((?![^)]*Loader=yaml\.(C?Safe)Loader)|Loader=yaml\.(Full|Unsafe)?Loader\b"
    )
    offenders = []
    for path in [*ROOT.glob("hooks/**/*.py"), *ROOT.glob("tests/**/*.py"), *ROOT.glob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if unsafe.search(line) and "unsafe = re.compile" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
    ruff = (ROOT / "pyproject.toml").read_text()
    assert '"S"' in ruff  # flake8-bandit rules, S506 among them
