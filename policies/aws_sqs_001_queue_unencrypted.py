"""AWS-SQS-001: an SQS queue should be encrypted at rest (SSE-KMS or SSE-SQS)."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class SqsQueueEncrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-SQS-001",
        title="SQS queue not encrypted",
        severity=Severity.MEDIUM,
        resource_types=("aws_sqs_queue",),
        description=(
            "A queue is encrypted at rest when kms_master_key_id names a KMS key "
            "(SSE-KMS) or sqs_managed_sse_enabled is true (SSE-SQS, keys owned by "
            "SQS). Both count as encrypted. Since October 2022 SQS turns SSE-SQS on "
            "for new queues, so a queue that sets neither attribute passes; the rule "
            "fails a queue that turns SSE-SQS off (sqs_managed_sse_enabled = false) "
            "without naming a KMS key, and a live queue with both off."
        ),
        rationale=(
            "Messages wait in the queue until consumed, up to 14 days; encryption at "
            "rest keeps that backlog unreadable to anyone who reaches the storage "
            "without the service's own controls."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_sqs_queue" "jobs" {\n'
                '  name                    = "jobs"\n'
                "  sqs_managed_sse_enabled = true\n"
                "  # or, for a key you control:\n"
                "  # kms_master_key_id = aws_kms_key.sqs.id\n"
                "}"
            ),
            console=(
                "Console: SQS > Queues > <queue> > Edit > Encryption > Server-side "
                "encryption Enabled (Amazon SQS key, or an AWS KMS key) > Save.\n"
                "CLI: aws sqs set-queue-attributes --queue-url <url> "
                "--attributes SqsManagedSseEnabled=true"
            ),
        ),
        runbook=(
            "1. Find who turned encryption off (CloudTrail SetQueueAttributes) and "
            "why; some cross-account producers cannot use KMS keys they cannot reach. "
            "2. Turn on SSE-SQS, which needs no key policy, unless a KMS key is "
            "required. 3. Send and receive a test message to confirm producers and "
            "consumers still work."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1530",),
        compliance={"AWS Foundational Security Best Practices": ("SQS.1",)},
        references=(
            "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        key = resource.get("kms_master_key_id")
        raw_managed = resource.get("sqs_managed_sse_enabled")
        managed = as_bool(raw_managed)
        if not is_unknown(key) and key:
            return Verdict.passed(
                f"kms_master_key_id = {self.describe_value(key)} (SSE-KMS)",
                "kms_master_key_id",
            )
        source = getattr(key, "address", None)  # a reference keeps its resource
        if is_unknown(key) and isinstance(source, str):
            return Verdict.passed(
                f"kms_master_key_id references {source} (SSE-KMS)", "kms_master_key_id"
            )
        if managed is True:
            return Verdict.passed(
                "sqs_managed_sse_enabled = true (SSE-SQS)", "sqs_managed_sse_enabled"
            )
        if is_unknown(key):
            return Verdict.unknown(
                unknown_reason(key, "kms_master_key_id"), "kms_master_key_id"
            )
        if is_unknown(managed):
            return Verdict.unknown(
                unknown_reason(raw_managed, "sqs_managed_sse_enabled"),
                "sqs_managed_sse_enabled",
            )
        if managed is None and resource.side is Side.IAC:
            # SQS has turned SSE-SQS on for new queues since October 2022.
            return Verdict.passed(
                "neither kms_master_key_id nor sqs_managed_sse_enabled is set: SQS "
                "encrypts new queues with SSE-SQS by default"
            )
        shown = (
            "is not set"
            if raw_managed is None
            else f"= {Check.describe_value(raw_managed)}"
        )
        return Verdict.failed(
            f"sqs_managed_sse_enabled {shown} and kms_master_key_id is not set: "
            "messages are stored unencrypted",
            "sqs_managed_sse_enabled",
        )
