"""AWS-RDS-002: a DB instance not encrypted with a customer-managed KMS key."""

from __future__ import annotations

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, referenced_type, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown

CUSTOMER_KEY_TYPES = frozenset({"aws_kms_key", "aws_kms_replica_key", "aws_kms_alias"})


def is_aws_managed_alias(key: str) -> bool:
    """alias/aws/rds, or its ARN form: the AWS-managed key."""
    return "alias/aws/" in key


class DbNotCustomerManagedKey(Check):
    meta = RuleMeta(
        id="AWS-RDS-002",
        title="DB instance not encrypted with a customer-managed KMS key",
        severity=Severity.MEDIUM,
        resource_types=("aws_db_instance",),
        description=(
            "An aws_db_instance without kms_key_id, or whose kms_key_id is the "
            "AWS-managed alias/aws/rds; one taken from an aws_kms_key (replica "
            "key, alias) the configuration declares is customer-managed by "
            "definition. This also fires on instances whose "
            "storage is not encrypted at all (they fail AWS-RDS-001 too), on "
            "purpose: turning storage_encrypted on without a key still leaves "
            "the AWS-managed key, so both findings need fixing. Live, the key "
            "named by KmsKeyId is looked up among collected KMS keys; one with "
            "key_manager AWS fails, one that was not collected is UNKNOWN."
        ),
        rationale=(
            "The AWS-managed aws/rds key's policy cannot be changed: anyone in "
            "the account allowed to use RDS can use it, and snapshots "
            "encrypted with it cannot be shared across accounts. A "
            "customer-managed key gives a key policy, rotation control and a "
            "kill switch (disable the key)."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_kms_key" "rds" {\n'
                '  description         = "RDS storage"\n'
                "  enable_key_rotation = true\n"
                "}\n\n"
                'resource "aws_db_instance" "this" {\n'
                "  # ...\n"
                "  storage_encrypted = true\n"
                "  kms_key_id        = aws_kms_key.rds.arn\n"
                "}\n"
            ),
            console=(
                "The key cannot be changed in place: snapshot the instance, copy "
                "the snapshot with --kms-key-id set to a customer-managed key "
                "(aws rds copy-db-snapshot), restore from the copy and switch "
                "over."
            ),
        ),
        runbook=(
            "Contain: nothing is exposed by this alone. Verify: confirm with "
            "the owner whether the data's classification requires a "
            "customer-managed key (regulated data usually does). Fix: migrate "
            "through an encrypted snapshot copy with the new key in a "
            "maintenance window and set kms_key_id in Terraform. Follow up: "
            "give the key a least-privilege key policy and rotation."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1486",),
        compliance={},
        references=(
            "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.Keys.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        key = resource.get("kms_key_id")
        if is_unknown(key):
            # A key this configuration declares is customer-managed by definition.
            source = referenced_type(key, context)
            if source in CUSTOMER_KEY_TYPES:
                return Verdict.passed(
                    f"kms_key_id comes from {source}, a customer-managed key",
                    "kms_key_id",
                )
            return Verdict.unknown(unknown_reason(key, "kms_key_id"), "kms_key_id")
        if not key:
            encrypted = as_bool(resource.get("storage_encrypted"))
            if encrypted is True:
                return Verdict.failed(
                    "storage_encrypted = true without kms_key_id: storage uses the "
                    "AWS-managed aws/rds key",
                    "storage_encrypted",
                )
            return Verdict.failed(
                "no kms_key_id: storage is not encrypted with a customer-managed "
                "key (and is not encrypted at all unless storage_encrypted = true)"
            )
        key = str(key)
        if is_aws_managed_alias(key):
            return Verdict.failed(
                f'kms_key_id = "{key}" is the AWS-managed key', "kms_key_id"
            )
        if resource.side is Side.LIVE:
            return _live_key_verdict(key, context)
        return Verdict.passed(
            f'kms_key_id = "{key}" is a customer-managed key', "kms_key_id"
        )


def _live_key_verdict(key: str, context: CheckContext) -> Verdict:
    found = context.resources.get(key)
    if found is None:
        matches = [
            k
            for k in context.resources.of_type("aws_kms_key", side=Side.LIVE)
            if key in (k.arn, k.get("arn"), k.get("key_id"))
        ]
        found = matches[0] if matches else None
    if found is None:
        return Verdict.unknown(
            f"KMS key {key} was not collected, so who manages it is not known",
            "kms_key_id",
        )
    manager = found.get("key_manager")
    if is_unknown(manager) or manager is None:
        return Verdict.unknown(f"key_manager of {key} is not known", "kms_key_id")
    if str(manager).upper() == "AWS":
        return Verdict.failed(f"kms_key_id {key} is an AWS-managed key", "kms_key_id")
    return Verdict.passed(f"kms_key_id {key} is a customer-managed key", "kms_key_id")
