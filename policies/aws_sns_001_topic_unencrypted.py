"""AWS-SNS-001: an SNS topic should be encrypted at rest with a KMS key."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import unknown_reason
from surveyor.model import Resource, Severity, Side, is_unknown


class SnsTopicEncrypted(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-SNS-001",
        title="SNS topic not encrypted",
        severity=Severity.MEDIUM,
        resource_types=("aws_sns_topic",),
        description=(
            "An SNS topic stores each message until every subscriber has it. Unless "
            "kms_master_key_id names a KMS key, those messages are kept unencrypted. "
            "Any KMS key passes, the AWS-managed alias/aws/sns included."
        ),
        rationale=(
            "Notifications often carry order data, alerts with hostnames or personal "
            "data. Server-side encryption with KMS puts a key permission between the "
            "stored messages and anyone with access to the storage."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_sns_topic" "alerts" {\n'
                '  name              = "alerts"\n'
                '  kms_master_key_id = aws_kms_key.sns.id  # or "alias/aws/sns"\n'
                "}"
            ),
            console=(
                "Console: SNS > Topics > <topic> > Edit > Encryption > Enable "
                "encryption, pick a KMS key, Save.\n"
                "CLI: aws sns set-topic-attributes --topic-arn <arn> "
                "--attribute-name KmsMasterKeyId --attribute-value alias/aws/sns"
            ),
        ),
        runbook=(
            "1. Identify the topic's publishers and subscribers (topic tags, "
            "`aws sns list-subscriptions-by-topic`). 2. If publishers are AWS services "
            "(CloudWatch alarms, EventBridge, S3), use a customer-managed key whose "
            "policy allows that service principal kms:GenerateDataKey* and "
            "kms:Decrypt - the AWS-managed key cannot. 3. Set KmsMasterKeyId, publish "
            "a test message to confirm delivery still works."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="platform",
        mitre_attack=("T1530",),
        compliance={"AWS Foundational Security Best Practices": ("SNS.1",)},
        references=(
            "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        key = resource.get("kms_master_key_id")
        source = getattr(key, "address", None)  # a reference keeps its resource
        if is_unknown(key) and isinstance(source, str):
            return Verdict.passed(
                f"kms_master_key_id references {source}", "kms_master_key_id"
            )
        if is_unknown(key):
            return Verdict.unknown(
                unknown_reason(key, "kms_master_key_id"), "kms_master_key_id"
            )
        if not key:
            shown = "is not set" if key is None else f"= {self.describe_value(key)}"
            return Verdict.failed(
                f"kms_master_key_id {shown}: messages are stored unencrypted",
                "kms_master_key_id",
            )
        return Verdict.passed(
            f"kms_master_key_id = {self.describe_value(key)}", "kms_master_key_id"
        )
