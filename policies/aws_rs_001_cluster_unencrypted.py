"""AWS-RS-001: a Redshift cluster should be encrypted at rest."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class RedshiftClusterEncrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-RS-001",
        title="Redshift cluster not encrypted",
        severity=Severity.HIGH,
        resource_types=("aws_redshift_cluster",),
        description=(
            "A Redshift cluster's data blocks, metadata and snapshots are encrypted "
            "only when encrypted is true. The rule fails an explicit false and, on "
            "the Terraform side, an encrypted attribute that is not written, because "
            "the provider versions in wide use (v5 and earlier) default it to false."
        ),
        rationale=(
            "A warehouse concentrates the organization's data; unencrypted, its "
            "storage and every snapshot copied from it can be read without the "
            "cluster's database permissions."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_redshift_cluster" "warehouse" {\n'
                "  # ...\n"
                "  encrypted  = true\n"
                "  kms_key_id = aws_kms_key.redshift.arn\n"
                "}"
            ),
            console=(
                "Console: Redshift > Clusters > <cluster> > Properties > Edit "
                "encryption > Use AWS KMS, pick the key, Save (the cluster migrates "
                "its data online, read-only for the duration).\n"
                "CLI: aws redshift modify-cluster --cluster-identifier <id> "
                "--encrypted --kms-key-id <key-arn>"
            ),
        ),
        runbook=(
            "1. Find the cluster owner and schedule the change: enabling encryption "
            "makes the cluster read-only while data migrates (hours for large "
            "clusters). 2. Run modify-cluster --encrypted with a customer-managed "
            "key. 3. Delete or re-encrypt old manual snapshots, which stay "
            "unencrypted."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="data-platform",
        mitre_attack=("T1530",),
        compliance={"AWS Foundational Security Best Practices": ("Redshift.10",)},
        references=(
            "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
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
            f"encrypted {shown}: cluster storage and snapshots are unencrypted",
            "encrypted",
        )
