"""AWS-RDS-004: a DB instance keeps no automated backups."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class RdsBackupsDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-RDS-004",
        title="DB instance automated backups disabled (retention 0)",
        severity=Severity.MEDIUM,
        resource_types=("aws_db_instance",),
        description=(
            "backup_retention_period is 0, which turns off automated backups and "
            "point-in-time recovery. Left unset, AWS applies a non-zero default "
            "(1 day through the API, 7 in the console), which passes. Read "
            "replicas (replicate_source_db set) are not judged: their source "
            "holds the backups and some engines do not back replicas up."
        ),
        rationale=(
            "Without automated backups a dropped table, a bad migration or a "
            "ransomware-style wipe of the database can only be undone from manual "
            "snapshots, if anyone took one."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_db_instance" "db" {\n'
                "  # ...\n"
                "  backup_retention_period = 7\n"
                '  backup_window           = "03:00-04:00"\n'
                "}"
            ),
            console=(
                "RDS console > Databases > instance > Modify > Backup > Backup "
                "retention period > 7 days > Apply immediately. CLI: aws rds "
                "modify-db-instance --db-instance-identifier ID "
                "--backup-retention-period 7 --apply-immediately"
            ),
        ),
        runbook=(
            "Enable retention now (changing from 0 causes a brief I/O suspension "
            "on single-AZ instances; pick a quiet moment if the owner asks). If "
            "retention was set to 0 recently, CloudTrail ModifyDBInstance shows "
            "who did it; treat an unexpected change as possible sabotage."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1490",),
        compliance={"AWS Foundational Security Best Practices": ("RDS.11",)},
        references=(
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
            "USER_WorkingWithAutomatedBackups.html",
        ),
    )

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        source = resource.get("replicate_source_db")
        # An unknown source may or may not make it a replica: judge it.
        return is_unknown(source) or not source

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "backup_retention_period"
        value = resource.get(attribute)
        if is_unknown(value):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        if value is None:
            return Verdict.passed(
                f"{attribute} is not set: AWS keeps automated backups by default",
                attribute,
            )
        try:
            days = int(str(value).strip())
        except ValueError:
            return Verdict.unknown(
                f"{attribute} = {self.describe_value(value)} is not a number",
                attribute,
            )
        if days <= 0:
            return Verdict.failed(
                f"{attribute} = {self.describe_value(value)}: no automated backups",
                attribute,
            )
        return Verdict.passed(f"{attribute} = {days}", attribute)
