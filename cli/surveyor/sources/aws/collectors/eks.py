"""EKS: clusters with their API endpoint access (DescribeCluster per cluster)."""

from __future__ import annotations

from typing import Any, ClassVar

from surveyor.sources.aws.framework import (
    CollectContext,
    Collector,
    Failed,
    Operations,
    Scope,
)

CLUSTER = "aws_eks_cluster"


class EksCollector(Collector):
    service = "eks"
    scope = Scope.REGIONAL
    resource_types = (CLUSTER,)
    operations: ClassVar[Operations] = {
        "ListClusters": (CLUSTER,),
        "DescribeCluster": (CLUSTER,),
    }

    def collect(self, ctx: CollectContext) -> None:
        client = ctx.client()
        names = ctx.paginate(client, "ListClusters", "clusters")
        if isinstance(names, Failed):
            return
        ctx.map(lambda name: _cluster(ctx, client, str(name)), names)


def _cluster(ctx: CollectContext, client: Any, name: str) -> None:
    guess = ctx.regional_arn("eks", f"cluster/{name}")
    reply = ctx.call(client, "DescribeCluster", name=name, resource_id=guess)
    if isinstance(reply, Failed):
        ctx.emit(
            CLUSTER,
            guess,
            {"name": name, "vpc_config": reply.unknown},
            name=name,
            arn=guess,
        )
        return
    cluster = (reply or {}).get("cluster", {})
    arn = str(cluster.get("arn") or guess)
    vpc = cluster.get("resourcesVpcConfig") or {}
    ctx.emit(
        CLUSTER,
        arn,
        {
            "name": name,
            "arn": arn,
            "version": cluster.get("version"),
            "role_arn": cluster.get("roleArn"),
            "vpc_config": [
                {
                    "endpoint_public_access": bool(
                        vpc.get("endpointPublicAccess", True)
                    ),
                    "endpoint_private_access": bool(
                        vpc.get("endpointPrivateAccess", False)
                    ),
                    "public_access_cidrs": list(vpc.get("publicAccessCidrs", [])),
                    "subnet_ids": sorted(vpc.get("subnetIds", [])),
                    "security_group_ids": sorted(vpc.get("securityGroupIds", [])),
                }
            ],
        },
        name=name,
        arn=arn,
        tags=dict(cluster.get("tags") or {}),
    )
