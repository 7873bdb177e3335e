"""AWS-DDB-001: a DynamoDB table should be encrypted with a customer-managed key."""

from __future__ import annotations

import re
from typing import ClassVar

from surveyor.checks.base import Check, CheckContext, Remediation, RuleMeta, Verdict
from surveyor.checks.helpers import as_bool, first_block, unknown_reason
from surveyor.model import Resource, Severity, Side, Unknown, is_unknown

_AWS_MANAGED_ALIAS = "alias/aws/dynamodb"
# A key or alias this configuration manages is customer-managed by definition.
# (A data source may look up alias/aws/dynamodb itself, so it stays unknown.)
_CMK_RESOURCE = re.compile(r"(?:^|\.)(?<!data\.)aws_kms_(?:key|alias)\.")


class DynamoDbTableCustomerManagedKey(Check):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="AWS-DDB-001",
        title="DynamoDB table not encrypted with a customer-managed key",
        severity=Severity.LOW,
        resource_types=("aws_dynamodb_table",),
        description=(
            "Every DynamoDB table is encrypted at rest, by default with a key AWS "
            "owns. This rule asks for a customer-managed KMS key "
            "(server_side_encryption { enabled = true, kms_key_arn = <your key> }); "
            "the AWS-owned key and the AWS-managed key aws/dynamodb both fail."
        ),
        rationale=(
            "With an AWS-owned or AWS-managed key, anyone allowed to read the table "
            "can read its data: there is no key policy to narrow access, no way to "
            "revoke the key in an incident, and no CloudTrail record of each use. "
            "A customer-managed key adds a second, auditable permission on the data."
        ),
        remediation=Remediation(
            terraform=(
                'resource "aws_dynamodb_table" "orders" {\n'
                "  # ...\n"
                "  server_side_encryption {\n"
                "    enabled     = true\n"
                "    kms_key_arn = aws_kms_key.dynamodb.arn\n"
                "  }\n"
                "}"
            ),
            console=(
                "Console: DynamoDB > Tables > <table> > Additional settings > "
                "Encryption > Manage encryption > 'Stored in your account, owned and "
                "managed by you' and pick the key.\n"
                "CLI: aws dynamodb update-table --table-name <table> "
                "--sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=<key-arn>"
            ),
        ),
        runbook=(
            "1. Find the table's owner from its tags and ask whether it holds "
            "regulated or customer data; if not, a documented waiver is acceptable "
            "(low severity). 2. Otherwise create or pick a customer-managed key whose "
            "policy admits the application roles, then switch the table encryption to "
            "it (online, no downtime). 3. Confirm with `aws dynamodb describe-table` "
            "that SSEDescription.KMSMasterKeyArn names the new key."
        ),
        sides=frozenset({Side.IAC, Side.LIVE}),
        owner="data-platform",
        mitre_attack=("T1486",),
        compliance={},
        references=(
            "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
        ),
    )

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raw = resource.get("server_side_encryption")
        block = first_block(raw)
        if is_unknown(block):
            return Verdict.unknown(
                unknown_reason(raw, "server_side_encryption"), "server_side_encryption"
            )
        if block is None:
            return Verdict.failed(
                "server_side_encryption is not set: the table uses the AWS-owned "
                "key, not a customer-managed key"
            )
        assert not isinstance(block, Unknown)
        path = "server_side_encryption.0"
        enabled = as_bool(block.get("enabled"), default=False)
        if is_unknown(enabled):
            return Verdict.unknown(
                unknown_reason(block.get("enabled"), f"{path}.enabled"),
                f"{path}.enabled",
            )
        if not enabled:
            return Verdict.failed(
                f"{path}.enabled = {Check.describe_value(block.get('enabled'))}: the "
                "table uses the AWS-owned key, not a customer-managed key",
                f"{path}.enabled",
            )
        key = block.get("kms_key_arn")
        source = getattr(key, "address", None)  # a reference keeps its resource
        if is_unknown(key) and isinstance(source, str) and _CMK_RESOURCE.search(source):
            return Verdict.passed(
                f"{path}.kms_key_arn references {source} (customer-managed)",
                f"{path}.kms_key_arn",
            )
        if is_unknown(key):
            return Verdict.unknown(
                unknown_reason(key, f"{path}.kms_key_arn"), f"{path}.kms_key_arn"
            )
        if not key:
            return Verdict.failed(
                f"{path}.enabled = true without kms_key_arn: the table uses the "
                f"AWS-managed key {_AWS_MANAGED_ALIAS}, not a customer-managed key",
                f"{path}.enabled",
            )
        if isinstance(key, str) and key.endswith(_AWS_MANAGED_ALIAS):
            return Verdict.failed(
                f"{path}.kms_key_arn = {self.describe_value(key)}, the AWS-managed "
                "key, not a customer-managed key",
                f"{path}.kms_key_arn",
            )
        return Verdict.passed(
            f"{path}.kms_key_arn = {self.describe_value(key)} (customer-managed)",
            f"{path}.kms_key_arn",
        )
