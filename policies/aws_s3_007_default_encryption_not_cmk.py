"""AWS-S3-007: bucket default encryption does not use a customer-managed KMS key."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown

KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
AWS_MANAGED_ALIAS = "alias/aws/s3"
# Terraform addresses whose computed id/arn is necessarily a customer-managed
# key: a key declared in the configuration, or an alias (aws/ is reserved).
CMK_RESOURCE_TYPES = ("aws_kms_key", "aws_kms_alias", "aws_kms_replica_key")
DEFAULT_PATH = "server_side_encryption_configuration.0.rule.0"
MODULE_PREFIX = re.compile(r'^(?:module\.[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])?\.)+')


def is_declared_key(value: Any) -> bool:
    """A reference to a KMS key or alias declared in Terraform (not a data source)."""
    address = getattr(value, "address", None)
    if not is_unknown(value) or not isinstance(address, str):
        return False
    local = MODULE_PREFIX.sub("", address)  # module.x["a"].aws_kms_key.this[0]
    return local.split(".", 1)[0] in CMK_RESOURCE_TYPES


def is_aws_managed(key_id: str) -> bool:
    return key_id == AWS_MANAGED_ALIAS or key_id.endswith(f":{AWS_MANAGED_ALIAS}")


def live_key_manager(key: str, bucket: Resource, context: CheckContext) -> str | None:
    """KeyManager ("AWS"/"CUSTOMER") of a collected key named by id, ARN or alias."""
    for candidate in context.resources.of_type("aws_kms_key", side=Side.LIVE):
        names = {
            candidate.get("key_id"),
            candidate.get("arn"),
            candidate.arn,
        }
        aliases = candidate.get("aliases")
        if isinstance(aliases, list):
            names.update(str(a) for a in aliases)
            names.update(
                f"arn:aws:kms:{candidate.region}:{candidate.account}:{a}"
                for a in aliases
            )
        if key in names:
            manager = candidate.get("key_manager")
            return manager if isinstance(manager, str) else None
    return None


class S3DefaultEncryptionNotCmk(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-S3-007",
        title="Bucket default encryption does not use a customer-managed KMS key",
        severity=Severity.LOW,
        resource_types=("aws_s3_bucket",),
        description=(
            "The bucket's default encryption is SSE-S3 (AES256), or SSE-KMS / "
            "DSSE-KMS with the AWS-managed aws/s3 key, instead of a KMS key the "
            "account manages. Since January 2023 every bucket is at least SSE-S3."
        ),
        rationale=(
            "With SSE-S3 or the aws/s3 key anyone allowed s3:GetObject reads the "
            "plaintext; a customer-managed key adds a key policy you control, "
            "lets you revoke access by disabling the key, and logs every decrypt "
            "in CloudTrail."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket_server_side_encryption_configuration" '
                '"this" {\n'
                "  bucket = aws_s3_bucket.this.id\n"
                "  rule {\n"
                "    apply_server_side_encryption_by_default {\n"
                '      sse_algorithm     = "aws:kms"\n'
                "      kms_master_key_id = aws_kms_key.s3.arn\n"
                "    }\n"
                "    bucket_key_enabled = true\n"
                "  }\n"
                "}"
            ),
            console=(
                "S3 console > bucket > Properties > Default encryption > Edit > "
                "SSE-KMS > choose a customer managed key, enable Bucket Key. CLI: "
                "aws s3api put-bucket-encryption --bucket NAME "
                '--server-side-encryption-configuration \'{"Rules":[{'
                '"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":'
                '"aws:kms","KMSMasterKeyID":"KEY_ARN"},'
                '"BucketKeyEnabled":true}]}\''
            ),
        ),
        runbook=(
            "Low urgency: the data is encrypted, only not under a key you control. "
            "Create or pick a customer-managed key whose policy grants the bucket's "
            "readers kms:Decrypt, switch the default encryption, and enable Bucket "
            "Key to keep KMS costs down. Existing objects keep their old encryption "
            "until rewritten (S3 Batch Operations copy)."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1486",),
        compliance={"AWS Foundational Security Best Practices": ("S3.17",)},
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "UsingKMSEncryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        config = resource.get("server_side_encryption_configuration")
        outer = first_block(config)
        if is_unknown(outer):
            return Verdict.unknown(
                unknown_reason(config, "server_side_encryption_configuration"),
                "server_side_encryption_configuration",
            )
        if outer is None:
            return Verdict.failed(
                "server_side_encryption_configuration is not set: the bucket uses "
                "the S3 default, SSE-S3 (AES256)",
                "server_side_encryption_configuration",
            )
        assert not isinstance(outer, Unknown)
        rule = first_block(outer.get("rule"))
        default = (
            None
            if rule is None or is_unknown(rule)
            else first_block(
                rule.get("apply_server_side_encryption_by_default")  # type: ignore[union-attr]
            )
        )
        if is_unknown(rule) or is_unknown(default):
            return Verdict.unknown(
                "the default encryption rule is not known statically", DEFAULT_PATH
            )
        if default is None:
            return Verdict.failed(
                "no apply_server_side_encryption_by_default: SSE-S3 (AES256) applies",
                DEFAULT_PATH,
            )
        assert not isinstance(default, Unknown)
        return self._judge_default(default, resource, context)

    def _judge_default(
        self, default: Any, resource: Resource, context: CheckContext
    ) -> Verdict:
        path = f"{DEFAULT_PATH}.apply_server_side_encryption_by_default.0"
        algorithm = default.get("sse_algorithm")
        if is_unknown(algorithm):
            return Verdict.unknown(
                unknown_reason(algorithm, "sse_algorithm"), f"{path}.sse_algorithm"
            )
        if algorithm not in KMS_ALGORITHMS:
            return Verdict.failed(
                f"sse_algorithm = {self.describe_value(algorithm)}: S3-managed keys, "
                "not a customer-managed KMS key",
                f"{path}.sse_algorithm",
            )
        key = default.get("kms_master_key_id")
        key_path = f"{path}.kms_master_key_id"
        if is_declared_key(key):
            return Verdict.passed(
                f'sse_algorithm = "{algorithm}" with kms_master_key_id from '
                f"{key.address}",
                key_path,
            )
        if is_unknown(key):
            return Verdict.unknown(unknown_reason(key, "kms_master_key_id"), key_path)
        if not key:
            return Verdict.failed(
                f'sse_algorithm = "{algorithm}" without kms_master_key_id: the '
                "AWS-managed aws/s3 key is used",
                f"{path}.sse_algorithm",
            )
        if is_aws_managed(str(key)):
            return Verdict.failed(
                f"kms_master_key_id = {self.describe_value(key)} is the AWS-managed "
                "key",
                key_path,
            )
        if resource.side is Side.LIVE:
            manager = live_key_manager(str(key), resource, context)
            if manager == "AWS":
                return Verdict.failed(
                    f"kms_master_key_id = {self.describe_value(key)} is an "
                    "AWS-managed key (KeyManager AWS)",
                    key_path,
                )
            if manager is None and context.resources.errors_for(
                ["aws_kms_key"], resource.region
            ):
                return Verdict.unknown(
                    f"kms_master_key_id = {self.describe_value(key)}: KMS keys could "
                    "not be listed to tell who manages it",
                    key_path,
                )
        return Verdict.passed(
            f'sse_algorithm = "{algorithm}", kms_master_key_id = '
            f"{self.describe_value(key)}",
            key_path,
        )
