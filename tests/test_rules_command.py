"""`surveyor rules`: the catalog, one rule's page, and user policies beside it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import typer
from typer.testing import CliRunner

from surveyor.checks.loader import builtin_policy_dir, load_checks
from surveyor.commands import rules
from surveyor.model.types import KNOWN_TYPES

USER_CHECK = """
from datetime import timedelta

from surveyor.checks import Check, Remediation, RuleMeta, Severity, Side, Verdict


class OwnerTag(Check):
    meta = RuleMeta(
        id="ACME-S3-001",
        title="Buckets carry an owner tag",
        severity=Severity.LOW,
        resource_types=("aws_s3_bucket",),
        description="Every bucket has an owner tag.",
        rationale="Unowned buckets are never cleaned up.",
        remediation=Remediation(
            terraform="tags = {{ owner = \\"team\\" }}", console="Add it."
        ),
        runbook="Ask in #storage who owns it.",
        sides=frozenset({{Side.IAC, Side.LIVE}}),
        sla=timedelta(days={days}),
        mitre_attack=({attack}),
        compliance={{"ACME Baseline v1": ("TAG-1",)}},
    )

    def evaluate(self, resource, context):
        return Verdict.passed("ok")
"""


def write_user_check(directory: Path, days: int = 14, attack: str = '"T1530",') -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "acme_s3_001_owner_tag.py"
    path.write_text(textwrap.dedent(USER_CHECK.format(days=days, attack=attack)))
    return directory


def run(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    rules.register(app)

    @app.command("noop")
    def _noop() -> None:  # a second command keeps `rules` a named subcommand
        """Unused."""

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def builtin_ids() -> list[str]:
    return [
        c.meta.id for c in load_checks([builtin_policy_dir()], known_types=KNOWN_TYPES)
    ]


def test_rules_lists_every_builtin_rule_in_text() -> None:
    code, out, _ = run("rules")

    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()[1:] if line.strip()][:-1]
    assert listed == builtin_ids()
    assert out.splitlines()[0].split() == ["ID", "SEVERITY", "SIDES", "ATT&CK", "TITLE"]


def test_rules_json_carries_every_metadata_field(tmp_path: Path) -> None:
    code, out, _ = run(
        "rules", "--format", "json", "--policies", str(write_user_check(tmp_path))
    )

    assert code == 0
    document = json.loads(out)
    by_id = {rule["id"]: rule for rule in document["rules"]}
    assert set(by_id) == {*builtin_ids(), "ACME-S3-001"}
    mine = by_id["ACME-S3-001"]
    assert (
        mine["sla"] == "P14D" and mine["sla_days"] == 14 and not mine["sla_is_default"]
    )
    assert mine["remediation"] == {
        "terraform": 'tags = { owner = "team" }',
        "console": "Add it.",
    }
    assert mine["compliance"] == {"ACME Baseline v1": ["TAG-1"]}
    assert mine["sides"] == ["iac", "live"]
    expected_keys = {
        "id",
        "title",
        "severity",
        "resource_types",
        "sides",
        "owner",
        "sla",
        "sla_days",
        "sla_is_default",
        "mitre_attack",
        "attack_version",
        "compliance",
        "description",
        "rationale",
        "remediation",
        "runbook",
        "side_reason",
        "references",
    }
    assert all(set(rule) == expected_keys for rule in document["rules"])


def test_rules_show_renders_one_rule_for_a_terminal(tmp_path: Path) -> None:
    code, out, _ = run(
        "rules", "show", "acme-s3-001", "--policies", str(write_user_check(tmp_path))
    )

    assert code == 0
    assert out.startswith("ACME-S3-001  Buckets carry an owner tag\n")
    for heading in (
        "Description",
        "Why it matters",
        "Fix in Terraform",
        "Fix in the console",
        "Runbook",
        "MITRE ATT&CK v16.1",
        "Compliance",
    ):
        assert f"\n{heading}\n" in out
    assert "respond within 14 day(s) (P14D)" in out
    assert "T1530 Data from Cloud Storage (Collection)" in out
    assert "ACME Baseline v1: TAG-1" in out


def test_rules_show_takes_policies_given_before_the_subcommand(tmp_path: Path) -> None:
    code, out, _ = run(
        "rules", "--policies", str(write_user_check(tmp_path)), "show", "ACME-S3-001"
    )

    assert code == 0 and "Buckets carry an owner tag" in out


def test_rules_show_unknown_id_is_one_line_and_exit_2() -> None:
    code, out, err = run("rules", "show", "AWS-NOPE-999")

    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        "surveyor: error: unknown rule id AWS-NOPE-999; `surveyor rules` lists them"
    ]


def test_rules_with_a_broken_policy_directory_exits_2_naming_the_file(
    tmp_path: Path,
) -> None:
    (tmp_path / "acme_s3_002_bad.py").write_text("import nowhere_to_be_found\n")

    code, _, err = run("rules", "--policies", str(tmp_path))

    assert code == 2
    assert "acme_s3_002_bad.py" in err and len(err.strip().splitlines()) == 1


def test_rules_rejects_an_unknown_format() -> None:
    code, _, err = run("rules", "--format", "yaml")

    assert code == 2 and "unknown format 'yaml'" in err


def test_rules_show_works_through_the_real_entry_point() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "surveyor", "rules", "show", "AWS-S3-001"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("AWS-S3-001  ")
