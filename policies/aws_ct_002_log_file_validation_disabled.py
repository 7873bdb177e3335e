"""AWS-CT-002: a trail does not validate its log files."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class TrailLogFileValidationDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-CT-002",
        title="Trail log file validation disabled",
        severity=Severity.MEDIUM,
        resource_types=("aws_cloudtrail",),
        description=(
            "enable_log_file_validation is false or not set (the default is "
            "false), so CloudTrail writes no signed digest files for the trail."
        ),
        rationale=(
            "Digest files let you prove that a log file was not changed or "
            "deleted after delivery. An intruder with write access to the log "
            "bucket can otherwise edit away the record of what they did."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_cloudtrail" "main" {\n'
                "  # ...\n"
                "  enable_log_file_validation = true\n"
                "}"
            ),
            console=(
                "CloudTrail console > Trails > trail > General details > Edit > "
                "Log file validation: Enabled. CLI: aws cloudtrail update-trail "
                "--name TRAIL --enable-log-file-validation"
            ),
        ),
        runbook=(
            "Enable validation (no downtime). Validation covers only files "
            "delivered from then on; if tampering is suspected for earlier "
            "periods, compare the bucket's object versions and S3 access logs."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.008",),
        compliance={
            "CIS AWS Foundations v3.0.0": ("3.2",),
            "AWS Foundational Security Best Practices": ("CloudTrail.4",),
        },
        references=(
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "cloudtrail-log-file-validation-intro.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        attribute = "enable_log_file_validation"
        value = resource.get(attribute)
        enabled = as_bool(value, default=False)
        if is_unknown(enabled):
            return Verdict.unknown(unknown_reason(value, attribute), attribute)
        if enabled:
            return Verdict.passed(f"{attribute} = true", attribute)
        shown = "not set (default false)" if value is None else "false"
        return Verdict.failed(f"{attribute} is {shown}", attribute)
