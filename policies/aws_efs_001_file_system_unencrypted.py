"""AWS-EFS-001: an EFS file system should be encrypted at rest."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class EfsFileSystemEncrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EFS-001",
        title="EFS file system not encrypted",
        severity=Severity.HIGH,
        resource_types=("aws_efs_file_system",),
        description=(
            "An EFS file system is encrypted at rest only when it is created with "
            "encrypted = true; the Terraform provider's default is false and the "
            "setting cannot be changed afterwards."
        ),
        rationale=(
            "Shared file systems collect application data, exports and backups. "
            "Without encryption at rest, the data and its metadata are readable by "
            "anyone who reaches the storage outside the file system's own controls."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_efs_file_system" "shared" {\n'
                "  encrypted  = true\n"
                "  kms_key_id = aws_kms_key.efs.arn  # optional\n"
                "}"
            ),
            console=(
                "Encryption cannot be turned on for an existing file system. Create "
                "an encrypted one (Console: EFS > Create file system > Customize > "
                "Enable encryption of data at rest; CLI: aws efs create-file-system "
                "--encrypted --kms-key-id <key>), copy the data with AWS DataSync, "
                "switch the mount targets' clients, then delete the old one."
            ),
        ),
        runbook=(
            "1. Find the file system's owner (tags, mount targets' security groups). "
            "2. Plan a migration: new encrypted file system, DataSync copy, a short "
            "write freeze while clients remount. 3. Delete the unencrypted file system "
            "and its backups once the copy is verified. In Terraform, changing "
            "encrypted forces replacement: copy the data before applying."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.4.1",),
            "AWS Foundational Security Best Practices": ("EFS.1",),
        },
        references=(
            "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("encrypted")
        enabled = as_bool(raw, default=False)
        if is_unknown(enabled):
            return Verdict.unknown(unknown_reason(raw, "encrypted"), "encrypted")
        if enabled:
            return Verdict.passed("encrypted = true", "encrypted")
        shown = (
            "is not set (provider default false)"
            if raw is None
            else f"= {Check.describe_value(raw)}"
        )
        return Verdict.failed(
            f"encrypted {shown}: file data is stored unencrypted", "encrypted"
        )
