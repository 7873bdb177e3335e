"""AWS-EC-001: an ElastiCache replication group should be encrypted at rest."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class ElastiCacheAtRestEncryption(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-EC-001",
        title="ElastiCache replication group not encrypted at rest",
        severity=Severity.HIGH,
        resource_types=("aws_elasticache_replication_group",),
        description=(
            "A Redis OSS or Valkey replication group encrypts its disk (swap, "
            "backups, snapshots in S3) only when at_rest_encryption_enabled is true. "
            "The rule fails false and, on the Terraform side, an attribute that is "
            "not written (the provider's default for Redis is false)."
        ),
        rationale=(
            "Caches hold sessions, tokens and query results. Backups and swap of an "
            "unencrypted group are readable outside the cache's own controls, and "
            "the setting can only be chosen when the group is created."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_elasticache_replication_group" "sessions" {\n'
                "  # ...\n"
                "  at_rest_encryption_enabled = true\n"
                "  kms_key_id                 = aws_kms_key.cache.arn\n"
                "}"
            ),
            console=(
                "At-rest encryption cannot be enabled on an existing group. Take a "
                "backup (aws elasticache create-snapshot --replication-group-id <id> "
                "--snapshot-name <name>), create a new group from it with "
                "--at-rest-encryption-enabled (Console: ElastiCache > Create > "
                "Encryption at rest), move clients to the new endpoint, delete the "
                "old group."
            ),
        ),
        runbook=(
            "1. Find the owning service from the tags and the security groups. "
            "2. Restore a snapshot into a new encrypted group (Terraform: this "
            "attribute forces replacement; plan a cut-over window). 3. Repoint "
            "clients, verify hit rates, delete the old group and its unencrypted "
            "snapshots."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1530",),
        compliance={"AWS Foundational Security Best Practices": ("ElastiCache.4",)},
        references=(
            "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("at_rest_encryption_enabled")
        enabled = as_bool(raw, default=False)
        if is_unknown(enabled):
            return Verdict.unknown(
                unknown_reason(raw, "at_rest_encryption_enabled"),
                "at_rest_encryption_enabled",
            )
        if enabled:
            return Verdict.passed(
                "at_rest_encryption_enabled = true", "at_rest_encryption_enabled"
            )
        shown = (
            "is not set (provider default false)"
            if raw is None
            else f"= {Check.describe_value(raw)}"
        )
        return Verdict.failed(
            f"at_rest_encryption_enabled {shown}: backups and swap are unencrypted",
            "at_rest_encryption_enabled",
        )
