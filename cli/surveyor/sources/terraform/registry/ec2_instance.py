"""terraform-aws-modules/ec2-instance/aws: one EC2 instance.

Targets the module's v3.x to v6.x (the inputs read here are the same). The instance is
`aws_instance.this[0]` (`aws_instance.ignore_ami[0]` with
`ignore_ami_changes = true`, `aws_spot_instance_request.this[0]` with
`create_spot_instance = true`), unless `create = false`.

`metadata_options` is a map whose keys the module fills with its defaults:
http_endpoint "enabled", http_put_response_hop_limit 1 and http_tokens
"required" (IMDSv2) since v6.0, "optional" before (a `version` capping the
major at 5 or lower selects it); `associate_public_ip_address` is passed as
given; `root_block_device` / `ebs_block_device` are lists of maps (a single
map is accepted too) passed as blocks.
"""

from __future__ import annotations

from typing import Any

from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.registry.adapter import (
    Adapter,
    Inputs,
    Planned,
    creates,
)

V5 = 5
METADATA_DEFAULTS: dict[str, Any] = {  # v6
    "http_endpoint": "enabled",
    "http_tokens": "required",
    "http_put_response_hop_limit": 1,
}
_PASSED = (
    "ami",
    "instance_type",
    "associate_public_ip_address",
    "subnet_id",
    "vpc_security_group_ids",
    "iam_instance_profile",
    "ebs_optimized",
    "monitoring",
    "user_data",
    "tags",
)


def build(inputs: Inputs, submodule: str, prefix: str) -> list[Planned]:
    if not creates(inputs.get("create", True)):
        return []
    type_, name = "aws_instance", "this"
    if inputs.get("create_spot_instance", False) is True:
        type_ = "aws_spot_instance_request"
    elif inputs.get("ignore_ami_changes", False) is True:
        name = "ignore_ami"
    attributes: dict[str, Any] = {}
    where: dict[str, str] = {}
    for input_name in _PASSED:
        if inputs.given(input_name):
            attributes[input_name] = inputs.get(input_name)
            where[input_name] = input_name
    metadata = inputs.get("metadata_options", {})
    defaults = dict(METADATA_DEFAULTS)
    pinned = inputs.pinned_major()
    if pinned is not None and pinned <= V5:
        defaults["http_tokens"] = "optional"  # IMDSv1 allowed until v6.0
    if isinstance(metadata, dict):
        attributes["metadata_options"] = [{**defaults, **metadata}]
        for key in metadata:
            where[f"metadata_options.0.{key}"] = f"metadata_options.{key}"
    else:
        attributes["metadata_options"] = [metadata]
    if inputs.given("metadata_options"):
        where["metadata_options"] = "metadata_options"
    for device in ("root_block_device", "ebs_block_device"):
        if not inputs.given(device):
            continue
        value = inputs.get(device)
        blocks = [value] if isinstance(value, dict) else value
        attributes[device] = blocks if isinstance(blocks, (list, Unknown)) else []
        where[device] = device
    return [Planned(type_, name, attributes, where)]


ADAPTER = Adapter(
    source="terraform-aws-modules/ec2-instance/aws",
    build=build,
    min_major=3,
    outputs={"id": "aws_instance", "arn": "aws_instance"},
)
