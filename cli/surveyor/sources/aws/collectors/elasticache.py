"""ElastiCache: replication groups; the list call carries the encryption flags."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

GROUP = "aws_elasticache_replication_group"


class ElastiCacheCollector(Collector):
    service = "elasticache"
    scope = Scope.REGIONAL
    resource_types = (GROUP,)
    operations: ClassVar[Operations] = {"DescribeReplicationGroups": (GROUP,)}

    def collect(self, ctx: CollectContext) -> None:
        groups = ctx.paginate(
            ctx.client(), "DescribeReplicationGroups", "ReplicationGroups"
        )
        if isinstance(groups, Failed):
            return
        for group in groups:
            _emit(ctx, group)


def _emit(ctx: CollectContext, group: dict[str, Any]) -> None:
    group_id = str(group["ReplicationGroupId"])
    arn = str(
        group.get("ARN")
        or ctx.regional_arn("elasticache", f"replicationgroup:{group_id}")
    )
    ctx.emit(
        GROUP,
        arn,
        {
            "replication_group_id": group_id,
            "arn": arn,
            "description": group.get("Description"),
            "at_rest_encryption_enabled": bool(
                group.get("AtRestEncryptionEnabled", False)
            ),
            "transit_encryption_enabled": bool(
                group.get("TransitEncryptionEnabled", False)
            ),
            "kms_key_id": group.get("KmsKeyId"),
        },
        name=group_id,
        arn=arn,
    )
