"""AWS-S3-004: bucket versioning is not enabled."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, hcl_value, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown


class S3VersioningDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-S3-004",
        title="Bucket versioning disabled",
        severity=Severity.MEDIUM,
        resource_types=("aws_s3_bucket",),
        description=(
            "The bucket does not keep object versions: versioning was never "
            "enabled or is suspended. A bucket created with Object Lock "
            "(object_lock_enabled = true) has versioning on and passes."
        ),
        rationale=(
            "Without versioning an overwrite or delete is final. Ransomware and "
            "a stolen key with s3:DeleteObject or s3:PutObject can destroy data "
            "that versioning (ideally with a lifecycle rule and MFA delete or "
            "Object Lock) would let you restore."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket_versioning" "this" {\n'
                "  bucket = aws_s3_bucket.this.id\n"
                "  versioning_configuration {\n"
                '    status = "Enabled"\n'
                "  }\n"
                "}"
            ),
            console=(
                "S3 console > bucket > Properties > Bucket Versioning > Edit > "
                "Enable. CLI: aws s3api put-bucket-versioning --bucket NAME "
                "--versioning-configuration Status=Enabled"
            ),
        ),
        runbook=(
            "Confirm with the bucket owner (tags) whether the data can be "
            "recreated. If not, enable versioning now and add a lifecycle rule "
            "expiring noncurrent versions to bound cost. Check CloudTrail for "
            "recent DeleteObject/PutObject bursts on the bucket if the setting "
            "was suspended rather than never enabled."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1485",),
        compliance={"AWS Foundational Security Best Practices": ("S3.14",)},
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        block = first_block(resource.get("versioning"))
        if is_unknown(block):
            return Verdict.unknown(
                unknown_reason(resource.get("versioning"), "versioning"), "versioning"
            )
        if block is None:
            # Object Lock can only be enabled at creation and turns versioning
            # on with it; Terraform then often declares no versioning at all.
            lock = as_bool(resource.get("object_lock_enabled"), default=False)
            if lock is True:
                return Verdict.passed(
                    "object_lock_enabled = true (S3 enables versioning with it)",
                    "object_lock_enabled",
                )
            if is_unknown(lock):
                return Verdict.unknown(
                    unknown_reason(
                        resource.get("object_lock_enabled"), "object_lock_enabled"
                    ),
                    "object_lock_enabled",
                )
            return Verdict.failed(
                "versioning is not configured (S3 default: disabled)", "versioning"
            )
        assert not isinstance(block, Unknown)
        enabled = as_bool(block.get("enabled"), default=False)
        if is_unknown(enabled):
            return Verdict.unknown(
                unknown_reason(block.get("enabled"), "versioning.enabled"),
                "versioning.0.enabled",
            )
        if enabled:
            return Verdict.passed("versioning.enabled = true", "versioning.0.enabled")
        return Verdict.failed(
            f"versioning.enabled = {hcl_value(block.get('enabled'))} "
            "(suspended or never enabled)",
            "versioning.0.enabled",
        )
