"""`surveyor coverage`: ATT&CK and compliance coverage, gaps shown."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import typer
from test_report_samples import make_rule
from test_rules_command import write_user_check
from typer.testing import CliRunner

from surveyor.attack import TACTICS, TECHNIQUES, attack_coverage
from surveyor.checks.base import ATTACK_TECHNIQUE, RuleMeta
from surveyor.commands import coverage
from surveyor.model import Severity


def run(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    coverage.register(app)

    @app.command("noop")
    def _noop() -> None:
        """Unused."""

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_attack_table_is_consistent() -> None:
    tactic_ids = {t.id for t in TACTICS}
    for technique in TECHNIQUES.values():
        assert ATTACK_TECHNIQUE.match(technique.id), technique.id
        assert set(technique.tactics) <= tactic_ids
        if technique.is_sub:
            assert technique.parent in TECHNIQUES
            assert TECHNIQUES[technique.parent].tactics == technique.tactics
    assert all(any(tac.id in t.tactics for t in TECHNIQUES.values()) for tac in TACTICS)


def test_a_sub_technique_rule_covers_its_parent_under_every_tactic() -> None:
    rules = [make_rule("AWS-IAM-009", Severity.HIGH, attack=("T1078.004",))]

    result = attack_coverage(rules)

    for tactic in result.tactics:
        valid = [t for t in tactic.techniques if t.technique.id == "T1078"]
        if tactic.tactic.id in ("TA0001", "TA0003", "TA0004", "TA0005"):
            (entry,) = valid
            assert entry.covered and entry.rules == ()
            assert entry.all_rules == ("AWS-IAM-009",)
        else:
            assert not valid


def test_uncovered_tactics_and_techniques_are_gaps() -> None:
    rules = [make_rule("AWS-S3-001", Severity.CRITICAL, attack=("T1530",))]

    result = attack_coverage(rules)

    covered = [t.tactic.id for t in result.tactics if t.covered]
    assert covered == ["TA0009"]
    gaps = [t.technique.id for t in result.techniques if not t.covered]
    assert "T1190" in gaps and "T1530" not in gaps


def test_ids_outside_the_table_versions_and_unmapped_rules_are_reported() -> None:
    odd: RuleMeta = make_rule("AWS-X-001", Severity.LOW, attack=("T1200",))
    old = dataclasses.replace(
        make_rule("AWS-X-002", Severity.LOW, attack=("T1530",)), attack_version="v14"
    )
    bare = make_rule("AWS-X-003", Severity.LOW)

    result = attack_coverage([odd, old, bare])

    assert result.unmapped == {"T1200": ("AWS-X-001",)}
    assert result.other_versions == {"AWS-X-002": "v14"}
    assert result.without_attack == ("AWS-X-003",)


def test_coverage_text_shows_gaps_and_compliance_controls(tmp_path: Path) -> None:
    code, out, _ = run("coverage", "--policies", str(write_user_check(tmp_path)))

    assert code == 0
    assert out.startswith("MITRE ATT&CK Enterprise v16.1, cloud (IaaS): ")
    assert "GAP" in out
    assert "TA0009 Collection:" in out
    collection = out.split("TA0009 Collection:")[1].split("\n\n")[0]
    assert "T1530 Data from Cloud Storage" in collection and "ACME-S3-001" in collection
    assert "ACME Baseline v1: 1 controls mapped by 1 rules" in out
    assert "  TAG-1  ACME-S3-001" in out


def test_coverage_json_lists_frameworks_and_controls_in_natural_order(
    tmp_path: Path,
) -> None:
    code, out, _ = run(
        "coverage", "--format", "json", "--policies", str(write_user_check(tmp_path))
    )

    assert code == 0
    document = json.loads(out)
    attack = document["attack"]
    assert attack["version"] == "v16.1"
    assert attack["summary"]["tactics"] == len(TACTICS)
    assert 0 < attack["summary"]["techniques_covered"] < attack["summary"]["techniques"]
    frameworks = {f["framework"]: f["controls"] for f in document["compliance"]}
    assert frameworks["ACME Baseline v1"] == [{"id": "TAG-1", "rules": ["ACME-S3-001"]}]
    for controls in frameworks.values():
        ids = [c["id"] for c in controls]
        assert ids == sorted(ids, key=coverage._natural)


def test_natural_order_puts_ten_after_nine() -> None:
    assert sorted(["2.1.10", "2.1.9", "EC2.13", "EC2.2"], key=coverage._natural) == [
        "2.1.9",
        "2.1.10",
        "EC2.2",
        "EC2.13",
    ]
