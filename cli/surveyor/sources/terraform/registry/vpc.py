"""terraform-aws-modules/vpc/aws: the VPC, its flow log and default group.

Targets the module's v3.x to v5.x (the inputs read here are the same; only
`manage_default_security_group`'s default changed, to true, in v5.0). Unless
`create_vpc = false` it creates `aws_vpc.this[0]` (`cidr`, default "10.0.0.0/16"),
`aws_flow_log.this[0]` when `enable_flow_log = true` (default false), its
`vpc_id` referring to the VPC, and, as `manage_default_security_group`
defaults to true, `aws_default_security_group.this[0]` with the rules of
`default_security_group_ingress` / `_egress` (default: none). Subnets, route
tables and gateways are not adapted (no rule judges them).
"""

from __future__ import annotations

from typing import Any

from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
    reference,
)

VPC = "aws_vpc.this[0]"
V5 = 5


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not creates(inputs.get("create_vpc", True)):
        return []
    vpc: dict[str, Any] = {
        "cidr_block": inputs.get("cidr", "10.0.0.0/16"),
        "tags": inputs.get("tags", {}),
    }
    planned = [Planned("aws_vpc", "this", vpc, {"cidr_block": "cidr"})]
    enable = inputs.get("enable_flow_log", False)
    if isinstance(enable, Unknown) or enable is True:
        flow_log: dict[str, Any] = {
            "vpc_id": reference(prefix, VPC) if enable is True else enable,
            "traffic_type": inputs.get("flow_log_traffic_type", "ALL"),
        }
        planned.append(
            Planned("aws_flow_log", "this", flow_log, {"vpc_id": "enable_flow_log"})
        )
    pinned = inputs.pinned_major()
    manages_default = pinned is None or pinned >= V5
    if creates(inputs.get("manage_default_security_group", manages_default)):
        group: dict[str, Any] = {"vpc_id": reference(prefix, VPC)}
        where: dict[str, str] = {}
        for direction in ("ingress", "egress"):
            name = f"default_security_group_{direction}"
            rules = inputs.get(name, [])
            group[direction] = (
                [_rule(r) for r in rules] if isinstance(rules, list) else rules
            )
            if inputs.given(name):
                where[direction] = name
                for index in range(len(rules) if isinstance(rules, list) else 0):
                    where[f"{direction}.{index}"] = name
        planned.append(Planned("aws_default_security_group", "this", group, where))
    return planned


def _rule(rule: Any) -> Any:
    if not isinstance(rule, dict):
        return Unknown("rule is not known statically")
    out = dict(rule)
    for family in ("cidr_blocks", "ipv6_cidr_blocks"):
        if isinstance(out.get(family), str):
            out[family] = [c.strip() for c in out[family].split(",") if c.strip()]
    if "self" in out and isinstance(out["self"], str):
        out["self"] = out["self"].lower() == "true"
    return out


ADAPTER = Adapter(
    source="terraform-aws-modules/vpc/aws",
    build=build,
    min_major=3,
    outputs={
        "vpc_id": "aws_vpc",
        "vpc_arn": "aws_vpc",
        "default_security_group_id": "aws_default_security_group",
    },
)
