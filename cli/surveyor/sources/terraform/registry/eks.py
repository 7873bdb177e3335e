"""terraform-aws-modules/eks/aws: the cluster's API endpoint settings.

Targets the module's current major versions (v20.x, and v21.x, which drops
the `cluster_` prefix of the inputs; both spellings are read). Unless
`create = false` it creates `aws_eks_cluster.this[0]` whose `vpc_config`
has `endpoint_public_access` (module default false),
`endpoint_private_access` (default true) and `public_access_cidrs` (default
["0.0.0.0/0"], effective only when the public endpoint is on).
"""

from __future__ import annotations

from typing import Any

from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
)

# input name without the v20 `cluster_` prefix: module default
_VPC_CONFIG = (
    ("endpoint_public_access", False),
    ("endpoint_private_access", True),
    # ["0.0.0.0/0"] in the module, as in the provider: left unset so that a
    # finding names the line that turned the public endpoint on.
    ("endpoint_public_access_cidrs", None),
)
_ATTRIBUTE = {"endpoint_public_access_cidrs": "public_access_cidrs"}


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not creates(inputs.get("create", True)):
        return []
    config: dict[str, Any] = {}
    where: dict[str, str] = {}
    for name, default in _VPC_CONFIG:
        attribute = _ATTRIBUTE.get(name, name)
        given = next((n for n in (f"cluster_{name}", name) if inputs.given(n)), None)
        if given:
            config[attribute] = inputs.get(given, default)
            where[f"vpc_config.0.{attribute}"] = given
        elif default is not None:
            config[attribute] = default
    cluster: dict[str, Any] = {"vpc_config": [config]}
    for name in ("cluster_name", "name"):
        if inputs.given(name):
            cluster["name"] = inputs.get(name)
            where["name"] = name
            break
    return [Planned("aws_eks_cluster", "this", cluster, where)]


ADAPTER = Adapter(
    source="terraform-aws-modules/eks/aws",
    build=build,
    min_major=20,
    outputs={"cluster_arn": "aws_eks_cluster", "cluster_name": "aws_eks_cluster"},
)
