"""ACME-TAG-001: every S3 bucket names the team that owns it."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.model import Resource, Severity, Side, is_unknown


class S3BucketOwnerTag(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="ACME-TAG-001",
        title="S3 bucket has no owner tag",
        severity=Severity.LOW,
        resource_types=("aws_s3_bucket",),
        description="The bucket has no non-empty `owner` tag.",
        rationale=(
            "When a bucket is found public at 3 a.m., the on-call must know whom "
            "to wake; an owner tag answers that without archaeology."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket" "this" {\n'
                '  bucket = "acme-reports"\n'
                '  tags   = { owner = "team-reports" }\n'
                "}"
            ),
            console=(
                "S3 console > bucket > Properties > Tags > Edit > add owner. "
                "CLI: aws s3api put-bucket-tagging --bucket NAME "
                "--tagging 'TagSet=[{Key=owner,Value=team-reports}]'"
            ),
        ),
        runbook="Find the creator in CloudTrail (CreateBucket) and ask them.",
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        written = resource.get("tags")  # the tags attribute, as written or read
        if is_unknown(written):
            return Verdict.unknown("tags are not known statically", "tags")
        owner = (resource.tags or written or {}).get("owner")
        if is_unknown(owner):
            return Verdict.unknown("tags.owner is not known statically", "tags")
        if not owner:
            return Verdict.failed("tags has no owner", "tags")
        return Verdict.passed(f"tags.owner = {self.describe_value(owner)}", "tags")
