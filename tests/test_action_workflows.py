"""The ready workflows in docs/workflows are valid and wired as documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

WORKFLOWS = Path(__file__).resolve().parent.parent / "docs" / "workflows"


def load(name: str) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    return document


def steps_of(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    (job,) = workflow["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def surveyor_step(workflow: dict[Any, Any]) -> dict[str, Any]:
    return next(
        s for s in steps_of(workflow) if s.get("uses", "").endswith("/surveyor@v1")
    )


def test_pull_request_workflow_scans_terraform_and_may_upload() -> None:
    workflow = load("pull-request.yml")
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True

    assert "pull_request" in triggers and "push" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    step = surveyor_step(workflow)
    assert step["with"]["category"] == "surveyor/terraform/"
    assert "aws" not in step["with"]
    assert steps_of(workflow)[0]["uses"].startswith("actions/checkout@")


def test_live_workflow_assumes_a_role_through_oidc_before_scanning() -> None:
    workflow = load("scheduled-live-scan.yml")
    steps = steps_of(workflow)

    assert "schedule" in workflow[True]
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["permissions"]["security-events"] == "write"
    names = [s.get("uses", "") for s in steps]
    credentials = next(
        i for i, u in enumerate(names) if "configure-aws-credentials" in u
    )
    scan = steps.index(surveyor_step(workflow))
    assert credentials < scan
    assert "role-to-assume" in steps[credentials]["with"]
    assert "aws-access-key-id" not in steps[credentials]["with"]
    assert surveyor_step(workflow)["with"]["aws"] == "true"
    assert surveyor_step(workflow)["with"]["category"].startswith("surveyor/aws/")
