"""AWS-S3-005: bucket server access logging is not enabled."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown
from surveyor.resourceset import ResourceSet


class S3AccessLoggingDisabled(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-S3-005",
        title="Bucket server access logging disabled",
        severity=Severity.LOW,
        resource_types=("aws_s3_bucket",),
        description=(
            "The bucket has no server access logging target, so S3 keeps no "
            "per-request record of who read, wrote or deleted its objects. A "
            "bucket that is itself the logging target of another bucket in the "
            "scan passes: logging the log bucket only moves the question to "
            "the next bucket, and logging it into itself loops."
        ),
        rationale=(
            "CloudTrail records object-level calls only when data events are "
            "paid for; server access logs are the cheap record an investigation "
            "needs to tell which objects left the bucket and from where."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_s3_bucket_logging" "this" {\n'
                "  bucket        = aws_s3_bucket.this.id\n"
                "  target_bucket = aws_s3_bucket.access_logs.id\n"
                '  target_prefix = "s3/${aws_s3_bucket.this.id}/"\n'
                "}"
            ),
            console=(
                "S3 console > bucket > Properties > Server access logging > Edit > "
                "Enable, choose a destination bucket in the same region. CLI: aws "
                "s3api put-bucket-logging --bucket NAME --bucket-logging-status "
                '\'{"LoggingEnabled":{"TargetBucket":"LOGS",'
                '"TargetPrefix":"NAME/"}}\''
            ),
        ),
        runbook=(
            "Enable logging to the account's access-log bucket (never the bucket "
            "itself). A destination bucket declared in another scan is not "
            "recognised here: suppress the finding with that reason. If an "
            "incident is open, check whether "
            "CloudTrail data events cover the bucket for the period in question."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        mitre_attack=("T1562.008",),
        compliance={"AWS Foundational Security Best Practices": ("S3.9",)},
        references=(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        logging = resource.get("logging")
        block = first_block(logging)
        if is_unknown(block):
            return Verdict.unknown(unknown_reason(logging, "logging"), "logging")
        if block is None:
            sources = _logged_into(resource, context)
            if sources:
                return Verdict.passed(
                    "no logging of its own, but it receives the server access "
                    f"logs of {', '.join(sources)}"
                )
            return Verdict.failed("logging is not configured", "logging")
        assert not isinstance(block, Unknown)
        target = block.get("target_bucket")
        if target is None or target == "":
            return Verdict.failed(
                "logging.target_bucket is not set", "logging.0.target_bucket"
            )
        # A target that is another resource's computed id is still a target:
        # the decision does not depend on which bucket it is. Any other
        # unknown (a variable without a value) could still be null.
        address = getattr(target, "address", None)
        if is_unknown(target) and address is None:
            return Verdict.unknown(
                unknown_reason(target, "logging.target_bucket"),
                "logging.0.target_bucket",
            )
        shown = f"{address}.id" if is_unknown(target) else self.describe_value(target)
        return Verdict.passed(
            f"logging.target_bucket = {shown}", "logging.0.target_bucket"
        )


def _logged_into(resource: Resource, context: CheckContext) -> list[str]:
    """Addresses of the other buckets whose access logs go to this bucket.

    A target is this bucket when it is a reference to it (Terraform:
    target_bucket = aws_s3_bucket.logs.id) or its name (literal or live).
    """
    index = context.resources.memo(_INDEX_KEY, _log_targets)
    found = list(index.get((resource.side, "address", resource.address), ()))
    name = resource.get("bucket")
    if isinstance(name, str):
        found.extend(index.get((resource.side, "name", name), ()))
    return sorted(set(found) - {resource.address})


_INDEX_KEY = "AWS-S3-005/log-targets"
_Target = tuple[Side, str, str]  # (side, "address" or "name", value)


def _log_targets(resources: ResourceSet) -> dict[_Target, list[str]]:
    """Every bucket's logging target, once per scan: target -> source buckets."""
    index: dict[_Target, list[str]] = {}
    for bucket in resources.of_type("aws_s3_bucket"):
        block = first_block(bucket.get("logging"))
        if not isinstance(block, Mapping):
            continue
        target = block.get("target_bucket")
        address = getattr(target, "address", None)
        if isinstance(address, str):
            index.setdefault((bucket.side, "address", address), []).append(
                bucket.address
            )
        elif isinstance(target, str):
            index.setdefault((bucket.side, "name", target), []).append(bucket.address)
    return index
