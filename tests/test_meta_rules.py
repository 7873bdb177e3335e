"""Walk the registry: every rule has complete metadata and fixtures per side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveyor.checks.loader import LoadedCheck, builtin_policy_dir, load_checks
from surveyor.model import Side
from surveyor.model.types import KNOWN_TYPES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KNOWN_FRAMEWORKS = {
    "CIS AWS Foundations v3.0.0",
    "AWS Foundational Security Best Practices",
    "CSA CCM v4",
}
LOADED = load_checks([builtin_policy_dir()], known_types=KNOWN_TYPES)


def rule_ids() -> list[str]:
    return [item.meta.id for item in LOADED]


def loaded(rule_id: str) -> LoadedCheck:
    return next(item for item in LOADED if item.meta.id == rule_id)


def terraform_statuses(rule_id: str) -> set[str]:
    found: set[str] = set()
    for expected in (FIXTURES / rule_id / "terraform").glob("*/expected.json"):
        data = json.loads(expected.read_text())
        found.update(status for status, items in data.items() if items)
    return found


def live_statuses(rule_id: str) -> set[str]:
    found: set[str] = set()
    for case in (FIXTURES / rule_id / "live").glob("*.json"):
        data = json.loads(case.read_text())
        found.update(status for status, items in data["expected"].items() if items)
    return found


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_metadata_is_complete(rule_id: str) -> None:
    meta = loaded(rule_id).meta
    missing = [
        name
        for name in ("title", "description", "rationale", "runbook", "owner")
        if not getattr(meta, name).strip()
    ]
    if not meta.remediation.console.strip():
        missing.append("remediation.console")
    if Side.IAC in meta.sides and not meta.remediation.terraform.strip():
        missing.append("remediation.terraform")
    if not meta.mitre_attack:
        missing.append("mitre_attack")
    if not meta.attack_version.startswith("v"):
        missing.append("attack_version")
    assert not missing, f"{rule_id}: empty metadata: {missing}"
    unknown = set(meta.compliance) - KNOWN_FRAMEWORKS
    assert not unknown, f"{rule_id}: unknown compliance frameworks {sorted(unknown)}"
    for framework, ids in meta.compliance.items():
        assert ids and all(i.strip() for i in ids), f"{rule_id}: {framework} has no ids"
    assert meta.title[0].isupper(), f"{rule_id}: title should start with a capital"


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_has_failing_and_passing_fixtures_for_each_side(rule_id: str) -> None:
    sides = loaded(rule_id).meta.sides
    problems = []
    if Side.IAC in sides:
        statuses = terraform_statuses(rule_id)
        for status in ("FAIL", "PASS"):
            if status not in statuses:
                problems.append(
                    f"no Terraform fixture under fixtures/{rule_id}/terraform/ "
                    f"expects a {status}"
                )
    if Side.LIVE in sides:
        statuses = live_statuses(rule_id)
        for status in ("FAIL", "PASS"):
            if status not in statuses:
                problems.append(
                    f"no live fixture fixtures/{rule_id}/live/*.json expects a {status}"
                )
    assert not problems, f"{rule_id}: " + "; ".join(problems)


def test_every_fixture_directory_names_a_loaded_rule() -> None:
    ids = set(rule_ids())
    orphans = sorted(
        p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in ids
    )
    assert not orphans, f"fixture directories without a rule: {orphans}"


def test_fixture_sides_match_the_rule_sides() -> None:
    wrong = []
    for item in LOADED:
        root = FIXTURES / item.meta.id
        if (root / "live").is_dir() and Side.LIVE not in item.meta.sides:
            wrong.append(f"{item.meta.id} has live fixtures but is IaC-only")
        if (root / "terraform").is_dir() and Side.IAC not in item.meta.sides:
            wrong.append(f"{item.meta.id} has Terraform fixtures but is live-only")
    assert not wrong, "; ".join(wrong)
