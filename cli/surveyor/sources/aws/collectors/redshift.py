"""Redshift: provisioned clusters; DescribeClusters carries encryption."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
    tags_of,
)

CLUSTER = "aws_redshift_cluster"


class RedshiftCollector(Collector):
    service = "redshift"
    scope = Scope.REGIONAL
    resource_types = (CLUSTER,)
    operations: ClassVar[Operations] = {"DescribeClusters": (CLUSTER,)}

    def collect(self, ctx: CollectContext) -> None:
        clusters = ctx.paginate(ctx.client(), "DescribeClusters", "Clusters")
        if isinstance(clusters, Failed):
            return
        for cluster in clusters:
            _emit(ctx, cluster)


def _emit(ctx: CollectContext, cluster: dict[str, Any]) -> None:
    identifier = str(cluster["ClusterIdentifier"])
    arn = ctx.regional_arn("redshift", f"cluster:{identifier}")
    ctx.emit(
        CLUSTER,
        arn,
        {
            "cluster_identifier": identifier,
            "arn": arn,
            "node_type": cluster.get("NodeType"),
            "encrypted": bool(cluster.get("Encrypted", False)),
            "kms_key_id": cluster.get("KmsKeyId"),
            "publicly_accessible": bool(cluster.get("PubliclyAccessible", False)),
        },
        name=identifier,
        arn=arn,
        tags=tags_of(cluster.get("Tags")),
    )
