"""The config file and suppressions inside a whole scan and the `scan` command.

The sources are replaced by a fixed resource set and the policy set by one
test rule, so these tests pin the wiring, not any Terraform parsing.
"""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import surveyor.scan as scan_module
from surveyor.config import load_config
from surveyor.model import Location, Resource, Severity, Side, Status
from surveyor.resourceset import ResourceSet
from surveyor.scan import ScanOptions, ScanSetupError, run_scan

POLICY = """\
from typing import ClassVar

from surveyor.checks.base import Check, Remediation, RuleMeta, Verdict
from surveyor.model import Severity, Side


class Versioning(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="{rule_id}",
        title="versioning off",
        severity=Severity.MEDIUM,
        resource_types=("aws_s3_bucket",),
        description="d",
        rationale="r",
        remediation=Remediation("t", "c"),
        runbook="rb",
        sides=frozenset(Side),
    )

    def evaluate(self, resource, context):
        if resource.get("versioning"):
            return Verdict.passed("versioning on", "versioning")
        return Verdict.failed("versioning off", "versioning")
"""

MAIN_TF = """\
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_s3_bucket" "scratch" {
  # surveyor:ignore TEST-S3-001 scratch data, recreated nightly
  bucket = "scratch"
}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with main.tf, two test rules and no built-in rules."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "main.tf").write_text(MAIN_TF)
    policies = tmp_path / "team-policies"
    policies.mkdir()
    for rule_id in ("TEST-S3-001", "TEST-S3-002"):
        module = rule_id.lower().replace("-", "_")
        (policies / f"{module}_versioning.py").write_text(
            POLICY.format(rule_id=rule_id)
        )
    empty = tmp_path / "no-builtins"
    empty.mkdir()
    monkeypatch.setattr(scan_module, "builtin_policy_dir", lambda: empty)
    monkeypatch.setattr(scan_module, "collect", _fixed_resources)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _fixed_resources(options: ScanOptions, root: Path) -> tuple[ResourceSet, list[str]]:
    buckets = [
        Resource(
            type="aws_s3_bucket",
            address=f"aws_s3_bucket.{name}",
            attributes={"bucket": name},
            side=Side.IAC,
            location=Location("main.tf", start, end),
        )
        for name, start, end in (("logs", 1, 3), ("scratch", 5, 8))
    ]
    return ResourceSet(buckets), ["terraform"]


def write_config(project: Path, text: str) -> Path:
    path = project / ".surveyor.toml"
    path.write_text(textwrap.dedent(text))
    return path


def scan(project: Path, **kw: object) -> list[tuple[str, str, Status]]:
    config_path = project / ".surveyor.toml"
    config = load_config(config_path) if config_path.exists() else None
    report = run_scan(ScanOptions(paths=[project / "main.tf"], config=config, **kw))  # type: ignore[arg-type]
    return sorted((r.rule_id, r.resource, r.status) for r in report.results)


def test_config_selects_policies_rules_and_waivers(project: Path) -> None:
    write_config(
        project,
        """
        policies = ["team-policies"]
        [rules]
        disable = ["TEST-S3-002"]
        [[waivers]]
        rule = "TEST-S3-*"
        resource = "aws_s3_bucket.logs"
        reason = "log bucket, versioning not needed"
        """,
    )
    assert scan(project) == [
        ("TEST-S3-001", "aws_s3_bucket.logs", Status.SUPPRESSED),
        ("TEST-S3-001", "aws_s3_bucket.scratch", Status.SUPPRESSED),
    ]


def test_command_line_rules_beat_the_config(project: Path) -> None:
    write_config(
        project, 'policies = ["team-policies"]\n[rules]\nenable = ["TEST-S3-001"]\n'
    )
    results = scan(project, only_rules={"TEST-S3-002"})
    assert {rule for rule, _, _ in results} == {"TEST-S3-002"}


def test_strict_ignores_every_suppression(project: Path) -> None:
    write_config(
        project,
        """
        policies = ["team-policies"]
        [rules]
        enable = ["TEST-S3-001"]
        [[waivers]]
        rule = "TEST-S3-001"
        reason = "all accepted"
        """,
    )
    statuses = {status for _, _, status in scan(project, strict=True)}
    assert statuses == {Status.FAIL}


def test_overrides_reach_results_and_the_rule_table(project: Path) -> None:
    write_config(
        project,
        """
        policies = ["team-policies"]
        [rules]
        enable = ["TEST-S3-001"]
        [rules.severity]
        "TEST-S3-001" = "critical"
        [rules.owner]
        "TEST-S3-001" = "storage-team"
        [rules.sla]
        "TEST-S3-001" = 2
        """,
    )
    report = run_scan(
        ScanOptions(
            paths=[project / "main.tf"],
            config=load_config(project / ".surveyor.toml"),
            include_suppressed_in_sarif=True,
        )
    )
    (rule,) = report.rules
    assert rule.severity is Severity.CRITICAL
    assert rule.owner == "storage-team"
    assert rule.sla == timedelta(days=2)
    assert {r.severity for r in report.results} == {Severity.CRITICAL}
    assert report.include_suppressed_in_sarif is True


def test_severity_filter_uses_the_overridden_severity(project: Path) -> None:
    write_config(
        project,
        """
        policies = ["team-policies"]
        [rules.severity]
        "TEST-S3-002" = "high"
        """,
    )
    results = scan(project, min_severity=Severity.HIGH)
    assert {rule for rule, _, _ in results} == {"TEST-S3-002"}


def test_an_unknown_rule_id_in_the_config_names_its_line(project: Path) -> None:
    path = write_config(
        project, 'policies = ["team-policies"]\n\n[rules]\ndisable = ["TEST-S3-009"]\n'
    )
    with pytest.raises(ScanSetupError) as caught:
        scan(project)
    assert str(caught.value).startswith(f"{path}:4: unknown rule id TEST-S3-009")


def test_a_waiver_matching_no_rule_is_an_error(project: Path) -> None:
    path = write_config(
        project,
        'policies = ["team-policies"]\n'
        '[[waivers]]\nrule = "TEST-S3-01"\nreason = "x"\n',
    )
    with pytest.raises(ScanSetupError) as caught:
        scan(project)
    assert str(caught.value).startswith(f"{path}:3: waiver rule 'TEST-S3-01'")


# --- the command -------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str]:
    from surveyor.cli import app, register

    if not app.registered_commands:
        register()
    result = CliRunner().invoke(app, ["scan", *args])
    return result.exit_code, result.stderr


def test_fail_on_comes_from_the_config_unless_given(project: Path) -> None:
    write_config(project, 'fail_on = "high"\npolicies = ["team-policies"]\n')
    out = str(project / "out.json")

    assert invoke("main.tf", "-f", "json", "-o", out)[0] == 0
    assert invoke("main.tf", "-f", "json", "-o", out, "--fail-on", "medium")[0] == 1


def test_suppressed_findings_never_fail_the_scan(project: Path) -> None:
    write_config(
        project,
        'policies = ["team-policies"]\n[[waivers]]\nrule = "*"\nreason = "accepted"\n',
    )
    out = str(project / "out.json")

    assert invoke("main.tf", "-f", "json", "-o", out)[0] == 0
    assert invoke("main.tf", "-f", "json", "-o", out, "--strict")[0] == 1


def test_an_explicit_config_file_is_used(project: Path) -> None:
    other = project / "ci.toml"
    other.write_text('fail_on = "critical"\npolicies = ["team-policies"]\n')
    out = str(project / "out.json")

    assert invoke("main.tf", "-f", "json", "-o", out, "--config", str(other))[0] == 0
    code, stderr = invoke("main.tf", "--config", str(project / "missing.toml"))
    assert code == 2
    assert "missing.toml: no such config file" in stderr


def test_a_bad_config_exits_2_with_one_line_per_problem(project: Path) -> None:
    path = write_config(project, 'fail_on = "hgh"\n[rules]\nenabled = []\n')

    code, stderr = invoke("main.tf")

    assert code == 2
    lines = stderr.strip().splitlines()
    assert lines[0].startswith(f"surveyor: error: {path}:1: fail_on = 'hgh'")
    assert lines[1].startswith(f"surveyor: error: {path}:3: unknown key rules.enabled")


def test_suppressed_results_reach_sarif_only_when_asked(project: Path) -> None:
    import json

    write_config(
        project,
        'policies = ["team-policies"]\n[rules]\nenable = ["TEST-S3-001"]\n'
        '[[waivers]]\nrule = "*"\nresource = "aws_s3_bucket.logs"\nreason = "ok"\n',
    )
    out = project / "out.sarif"

    def sarif_statuses(*flags: str) -> list[bool]:
        invoke("main.tf", "-f", "sarif", "-o", str(out), *flags)
        (run,) = json.loads(out.read_text())["runs"]
        return sorted(bool(r.get("suppressions")) for r in run["results"])

    assert sarif_statuses() == []  # logs waived, scratch suppressed inline
    assert sarif_statuses("--include-suppressed") == [True, True]
    assert sarif_statuses("--strict") == [False, False]
