"""AWS-RDS-005: an Aurora (or Multi-AZ) DB cluster's storage is not encrypted."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

SERVERLESS_V1 = "serverless"


class AuroraClusterUnencrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-RDS-005",
        title="Aurora cluster storage not encrypted",
        severity=Severity.HIGH,
        resource_types=("aws_rds_cluster",),
        description=(
            "storage_encrypted is false or not set on an aws_rds_cluster (the "
            "provider default is false for provisioned clusters). Aurora "
            'Serverless v1 clusters (engine_mode = "serverless") are always '
            "encrypted and pass. A Terraform cluster restored from "
            "snapshot_identifier keeps the snapshot's encryption, so it is "
            "UNKNOWN unless storage_encrypted = true."
        ),
        rationale=(
            "Cluster volumes, their automated backups and snapshots hold the "
            "whole database; unencrypted, a shared or copied snapshot exposes "
            "every row. Encryption can only be chosen when the cluster is "
            "created, so catching it in Terraform is far cheaper than later."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_rds_cluster" "db" {\n'
                "  # ...\n"
                "  storage_encrypted = true\n"
                "  kms_key_id        = aws_kms_key.rds.arn\n"
                "}"
            ),
            console=(
                "An existing cluster cannot be encrypted in place: RDS console > "
                "Snapshots > take a cluster snapshot > Actions > Restore snapshot "
                "with encryption enabled, then switch clients to the new cluster. "
                "CLI: aws rds restore-db-cluster-from-snapshot ... --kms-key-id KEY"
            ),
        ),
        runbook=(
            "Confirm whether any of the cluster's snapshots are shared "
            "(aws rds describe-db-cluster-snapshot-attributes). Plan the "
            "snapshot-restore migration with the owner; until then restrict "
            "snapshot sharing and access to the cluster's snapshots."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={"AWS Foundational Security Best Practices": ("RDS.27",)},
        references=(
            "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/"
            "Overview.Encryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "storage_encrypted"
        mode = resource.get("engine_mode")
        value = resource.get(attribute)
        encrypted = as_bool(value, default=False)
        if encrypted is True:
            return Verdict.passed(f"{attribute} = true", attribute)
        if isinstance(mode, str) and mode.lower() == SERVERLESS_V1:
            return Verdict.passed(
                'engine_mode = "serverless": Aurora Serverless v1 is always encrypted',
                "engine_mode",
            )
        if is_unknown(mode):
            return Verdict.unknown(unknown_reason(mode, "engine_mode"), "engine_mode")
        if is_unknown(encrypted):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        snapshot = resource.get("snapshot_identifier")
        if resource.side is Side.IAC and (is_unknown(snapshot) or snapshot):
            # A restored cluster is encrypted whenever its snapshot is.
            return Verdict.unknown(
                f"{attribute} is not true, but the cluster is restored from "
                "snapshot_identifier, whose encryption it keeps",
                "snapshot_identifier",
            )
        shown = "not set (default false)" if value is None else "false"
        return Verdict.failed(f"{attribute} is {shown}", attribute)
