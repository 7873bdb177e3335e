"""AWS-CT-003: a trail's log files are not encrypted with a KMS key."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class TrailLogsNotKmsEncrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-CT-003",
        title="Trail logs not encrypted with KMS",
        severity=Severity.MEDIUM,
        resource_types=("aws_cloudtrail",),
        description=(
            "kms_key_id is not set, so log files are encrypted only with the "
            "bucket's S3-managed keys (SSE-S3)."
        ),
        rationale=(
            "With SSE-KMS, reading the logs needs kms:Decrypt on a key whose "
            "policy you control, on top of s3:GetObject: a mistake in the log "
            "bucket's policy no longer hands the account's audit trail to "
            "whoever it exposes it to."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_cloudtrail" "main" {\n'
                "  # ...\n"
                "  kms_key_id = aws_kms_key.cloudtrail.arn  # key policy must allow\n"
                "  # cloudtrail.amazonaws.com kms:GenerateDataKey*\n"
                "}"
            ),
            console=(
                "CloudTrail console > Trails > trail > General details > Edit > "
                "Log file SSE-KMS encryption: Enabled, choose or create a key. "
                "CLI: aws cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN"
            ),
        ),
        runbook=(
            "Create (or reuse) a customer-managed key whose policy lets "
            "cloudtrail.amazonaws.com encrypt for this trail and lets the "
            "security readers decrypt, then set it on the trail. Verify delivery "
            "resumes (LatestDeliveryError in get-trail-status stays empty)."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.008",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.5",),
            "AWS Foundational Security Best Practices": ("CloudTrail.2",),
        },
        references=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "encrypting-cloudtrail-log-files-with-aws-kms.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "kms_key_id"
        value = resource.get(attribute)
        address = getattr(value, "address", None)
        if is_unknown(value) and isinstance(address, str):
            # The id/arn of another resource (a key declared here) is set, only
            # not known until apply: the trail is KMS-encrypted either way.
            return Verdict.passed(f"{attribute} is taken from {address}", attribute)
        if is_unknown(value):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        if not value:
            return Verdict.failed(
                f"{attribute} is not set: log files use SSE-S3 only", attribute
            )
        return Verdict.passed(f"{attribute} = {self.describe_value(value)}", attribute)
