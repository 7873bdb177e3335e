"""AWS-RDS-001: a DB instance whose storage is not encrypted."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

# Attributes that make the instance inherit its encryption from elsewhere.
INHERITED_FROM = ("replicate_source_db", "snapshot_identifier")


class DbStorageUnencrypted(Check):
    meta = RuleMeta(
        id="AWS-RDS-001",
        title="DB instance storage not encrypted",
        severity=Severity.HIGH,
        resource_types=("aws_db_instance",),
        description=(
            "An aws_db_instance with storage_encrypted = false or left out (the "
            "default is false). A read replica (replicate_source_db) or an "
            "instance restored from a snapshot (snapshot_identifier) that does "
            "not set storage_encrypted inherits the source's encryption, which "
            "is UNKNOWN statically. Aurora clusters are AWS-RDS-005."
        ),
        rationale=(
            "Unencrypted storage leaves the data, its automated backups, read "
            "replicas and snapshots readable by anyone who obtains a copy; a "
            "snapshot shared by mistake is a full data leak."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_db_instance" "this" {\n'
                "  # ...\n"
                "  storage_encrypted = true\n"
                "  kms_key_id        = aws_kms_key.rds.arn\n"
                "}\n"
            ),
            console=(
                "Encryption cannot be turned on in place: take a snapshot, copy "
                "it with encryption (aws rds copy-db-snapshot --kms-key-id KEY), "
                "restore a new instance from the encrypted copy and switch the "
                "application to it."
            ),
        ),
        runbook=(
            "Contain: check that no snapshot of the instance is shared or public "
            "(aws rds describe-db-snapshot-attributes) and remove such sharing. "
            "Verify: ask the owner what data it holds. Fix: migrate through an "
            "encrypted snapshot copy during a maintenance window and set "
            "storage_encrypted = true in Terraform. Follow up: add an SCP or "
            "Config rule that denies unencrypted CreateDBInstance."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1530",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("2.3.1",),
            "AWS Foundational Security Best Practices": ("RDS.3",),
        },
        references=(
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("storage_encrypted")
        value = as_bool(raw)
        if is_unknown(value):
            return Verdict.unknown(
                unknown_reason(raw, "storage_encrypted"), "storage_encrypted"
            )
        if value is True:
            return Verdict.passed("storage_encrypted = true", "storage_encrypted")
        if value is None:
            for source in INHERITED_FROM:
                if resource.get(source) is not None:
                    return Verdict.unknown(
                        f"storage_encrypted is not set, so encryption is inherited "
                        f"from {source}, which is not known statically",
                        source,
                    )
            return Verdict.failed(
                "storage_encrypted is not set (default false): storage is not encrypted"
            )
        return Verdict.failed(
            "storage_encrypted = false: storage is not encrypted", "storage_encrypted"
        )
