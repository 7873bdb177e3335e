"""DynamoDB: tables with their server-side encryption.

DescribeTable's SSEDescription names the KMS key only when the table uses
KMS; without it the table uses the AWS-owned key, emitted as an empty
`server_side_encryption` list. A KMS key that AWS manages (aws/dynamodb) is
emitted without `kms_key_arn`, exactly as Terraform writes it (enabled = true
and no key), so AWS-DDB-001 judges both sides alike; telling the two apart
takes kms:DescribeKey, asked once per key.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

TABLE = "aws_dynamodb_table"
_ENCRYPTED = frozenset({"ENABLED", "ENABLING", "UPDATING"})


class DynamoDbCollector(Collector):
    service = "dynamodb"
    scope = Scope.REGIONAL
    resource_types = (TABLE,)
    operations: ClassVar[Operations] = {
        "ListTables": (TABLE,),
        "DescribeTable": (TABLE,),
        "kms:DescribeKey": (TABLE,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        names = ctx.paginate(client, "ListTables", "TableNames")
        if isinstance(names, Failed):
            return
        managers = _KeyManagers(ctx)
        ctx.map(lambda name: _table(ctx, client, str(name), managers), names)


class _KeyManagers:
    """KeyManager ("AWS" or "CUSTOMER") per key ARN, asked once per key."""

    def __init__(self, ctx: CollectContext) -> None:
        self._ctx = ctx
        self._known: dict[str, Any] = {}
        self._lock = threading.Lock()

    def of(self, key_arn: str, table_arn: str) -> Any:
        with self._lock:
            if key_arn in self._known:
                return self._known[key_arn]
        region = key_arn.split(":")[3] or None
        kms = self._ctx.client("kms", region)
        reply = self._ctx.call(
            kms, "kms:DescribeKey", KeyId=key_arn, resource_id=table_arn
        )
        if isinstance(reply, Failed):
            return reply.unknown  # not cached: the error belongs to this table
        manager = (reply or {}).get("KeyMetadata", {}).get("KeyManager", "CUSTOMER")
        with self._lock:
            self._known[key_arn] = manager
        return manager


def _table(ctx: CollectContext, client: Any, name: str, managers: _KeyManagers) -> None:
    guess = ctx.regional_arn("dynamodb", f"table/{name}")
    reply = ctx.call(client, "DescribeTable", TableName=name, resource_id=guess)
    if isinstance(reply, Failed):
        ctx.emit(
            TABLE,
            guess,
            {"name": name, "server_side_encryption": reply.unknown},
            name=name,
            arn=guess,
        )
        return
    table = (reply or {}).get("Table", {})
    arn = str(table.get("TableArn") or guess)
    ctx.emit(
        TABLE,
        arn,
        {
            "name": name,
            "arn": arn,
            "billing_mode": (table.get("BillingModeSummary") or {}).get(
                "BillingMode", "PROVISIONED"
            ),
            "server_side_encryption": _encryption(table, arn, managers),
            "deletion_protection_enabled": bool(
                table.get("DeletionProtectionEnabled", False)
            ),
        },
        name=name,
        arn=arn,
    )


def _encryption(table: dict[str, Any], arn: str, managers: _KeyManagers) -> Any:
    sse = table.get("SSEDescription") or {}
    if sse.get("Status") not in _ENCRYPTED or sse.get("SSEType") != "KMS":
        return []  # the AWS-owned key
    key = sse.get("KMSMasterKeyArn")
    if not key:
        return [{"enabled": True, "kms_key_arn": None}]
    manager = managers.of(str(key), arn)
    if isinstance(manager, str):
        key = key if manager == "CUSTOMER" else None
    else:
        key = manager  # UNKNOWN: DescribeKey failed
    return [{"enabled": True, "kms_key_arn": key}]
