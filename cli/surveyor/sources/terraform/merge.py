"""The effective view: provider-v4 split resources merged into their parent.

A split S3 resource joins the bucket its `bucket` argument references (by
address) or names (by literal bucket name); a security-group rule joins the
group its `security_group_id` references. The parent lists the split
addresses in `components` and takes the split block's attribute lines. A
split resource whose parent cannot be found stays a resource of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from surveyor.model import Location, Resource, Side
from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.module import Emitted
from surveyor.sources.terraform.values import RefUnknown, plain

logger = logging.getLogger(__name__)

_PAB_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
_RULE_DEFAULTS: dict[str, Any] = {
    "from_port": None,
    "to_port": None,
    "protocol": None,
    "cidr_blocks": [],
    "ipv6_cidr_blocks": [],
    "security_groups": [],
    "self": False,
    "description": None,
}


@dataclass
class Draft:
    emitted: Emitted
    attributes: dict[str, Any]
    locations: dict[str, Location]
    components: list[str] = field(default_factory=list)


def _first(value: Any) -> dict[str, Any]:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _relocate(
    split: Emitted, target: Draft, mapping: dict[str, str], whole: str
) -> None:
    """Copy split locations (prefix-mapped) onto the parent's paths."""
    target.locations[whole] = split.location
    for path, location in split.locations.items():
        for source, dest in mapping.items():
            if path == source or path.startswith(source + "."):
                target.locations[dest + path[len(source) :]] = location
                break


def _normalize_bucket(attributes: dict[str, Any]) -> None:
    attributes.setdefault("acl", None)
    attributes.setdefault("grant", [])
    attributes.setdefault("policy", None)
    attributes.setdefault("public_access_block", None)
    attributes.setdefault("logging", [])
    attributes.setdefault("server_side_encryption_configuration", [])
    versioning = attributes.setdefault("versioning", [])
    if isinstance(versioning, list):
        for entry in versioning:
            if isinstance(entry, dict):
                entry.setdefault("enabled", False)
                entry.setdefault("mfa_delete", False)


def _grants(policy: Any, mapping: dict[str, str]) -> Any:
    """access_control_policy grants in the inline `grant` shape, or UNKNOWN."""
    found = policy.get("grant", [])
    if not isinstance(found, list):
        return Unknown("ACL grants are unknown")
    grants: list[Any] = []
    for index, grant in enumerate(found):
        grantee = grant.get("grantee") if isinstance(grant, dict) else None
        if not isinstance(grant, dict) or not isinstance(grantee, list):
            grants.append(Unknown("ACL grant is unknown"))
            continue
        who = _first(grantee)
        permission = grant.get("permission")
        grants.append(
            {
                "type": who.get("type"),
                "uri": who.get("uri"),
                "id": who.get("id"),
                "email_address": who.get("email_address"),
                "permissions": [permission] if permission is not None else [],
            }
        )
        mapping[f"access_control_policy.0.grant.{index}"] = f"grant.{index}"
    return grants


def _merge_acl(split: Emitted, bucket: Draft) -> None:
    attrs = split.attributes
    if "acl" in attrs:
        bucket.attributes["acl"] = attrs["acl"]
    mapping = {"acl": "acl"}
    policy = attrs.get("access_control_policy")
    if isinstance(policy, Unknown):
        bucket.attributes["grant"] = Unknown("access_control_policy is unknown")
        mapping["access_control_policy"] = "grant"
    elif _first(policy):
        bucket.attributes["grant"] = _grants(_first(policy), mapping)
        mapping["access_control_policy"] = "grant"
    _relocate(split, bucket, mapping, "acl" if "acl" in attrs else "grant")


def _merge_public_access_block(split: Emitted, bucket: Draft) -> None:
    block = {flag: split.attributes.get(flag, False) for flag in _PAB_FLAGS}
    bucket.attributes["public_access_block"] = block
    mapping = {flag: f"public_access_block.{flag}" for flag in _PAB_FLAGS}
    _relocate(split, bucket, mapping, "public_access_block")


def _merge_policy(split: Emitted, bucket: Draft) -> None:
    bucket.attributes["policy"] = split.attributes.get("policy")
    _relocate(split, bucket, {"policy": "policy"}, "policy")


def _merge_encryption(split: Emitted, bucket: Draft) -> None:
    rules = split.attributes.get("rule", [])
    whole = "server_side_encryption_configuration"
    bucket.attributes[whole] = [{"rule": rules}]
    _relocate(split, bucket, {"rule": f"{whole}.0.rule"}, whole)


def _merge_versioning(split: Emitted, bucket: Draft) -> None:
    raw = split.attributes.get("versioning_configuration")
    if isinstance(raw, Unknown) or (isinstance(raw, list) and raw and not _first(raw)):
        unknown = Unknown("versioning_configuration is unknown")
        bucket.attributes["versioning"] = [{"enabled": unknown, "mfa_delete": unknown}]
    else:
        config = _first(raw)
        bucket.attributes["versioning"] = [
            {
                "enabled": _enabled(config.get("status")),
                "mfa_delete": _enabled(config.get("mfa_delete")),
            }
        ]
    mapping = {
        "versioning_configuration.0.status": "versioning.0.enabled",
        "versioning_configuration.0.mfa_delete": "versioning.0.mfa_delete",
        "versioning_configuration.0": "versioning.0",
        "versioning_configuration": "versioning",
    }
    _relocate(split, bucket, mapping, "versioning")


def _enabled(status: Any) -> Any:
    if isinstance(status, Unknown):
        return status
    return status == "Enabled"


def _merge_logging(split: Emitted, bucket: Draft) -> None:
    attrs = split.attributes
    bucket.attributes["logging"] = [
        {
            "target_bucket": attrs.get("target_bucket"),
            "target_prefix": attrs.get("target_prefix"),
        }
    ]
    mapping = {
        "target_bucket": "logging.0.target_bucket",
        "target_prefix": "logging.0.target_prefix",
    }
    _relocate(split, bucket, mapping, "logging")


S3_SPLITS: dict[str, Callable[[Emitted, Draft], None]] = {
    "aws_s3_bucket_acl": _merge_acl,
    "aws_s3_bucket_public_access_block": _merge_public_access_block,
    "aws_s3_bucket_policy": _merge_policy,
    "aws_s3_bucket_server_side_encryption_configuration": _merge_encryption,
    "aws_s3_bucket_versioning": _merge_versioning,
    "aws_s3_bucket_logging": _merge_logging,
}
SG_RULES = (
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
)


def _normalize_rule(rule: Any) -> Any:
    if not isinstance(rule, dict):
        return rule
    return {**_RULE_DEFAULTS, **rule}


def _rule_from_split(split: Emitted) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """(direction, canonical rule, split path -> rule key) of one rule resource."""
    attrs = split.attributes
    if split.type == "aws_security_group_rule":
        rule = {k: attrs[k] for k in _RULE_DEFAULTS if k in attrs}
        if "source_security_group_id" in attrs:
            rule["security_groups"] = [attrs["source_security_group_id"]]
        mapping = {k: k for k in rule}
        mapping["source_security_group_id"] = "security_groups"
        return attrs.get("type"), _normalize_rule(rule), mapping
    direction = "ingress" if split.type.endswith("ingress_rule") else "egress"
    rule = {
        "from_port": attrs.get("from_port"),
        "to_port": attrs.get("to_port"),
        "protocol": attrs.get("ip_protocol"),
        "cidr_blocks": [attrs["cidr_ipv4"]] if "cidr_ipv4" in attrs else [],
        "ipv6_cidr_blocks": [attrs["cidr_ipv6"]] if "cidr_ipv6" in attrs else [],
        "security_groups": (
            [attrs["referenced_security_group_id"]]
            if "referenced_security_group_id" in attrs
            else []
        ),
        "description": attrs.get("description"),
    }
    mapping = {
        "from_port": "from_port",
        "to_port": "to_port",
        "ip_protocol": "protocol",
        "cidr_ipv4": "cidr_blocks",
        "cidr_ipv6": "ipv6_cidr_blocks",
        "referenced_security_group_id": "security_groups",
        "description": "description",
    }
    return direction, _normalize_rule(rule), mapping


def _merge_rule(split: Emitted, group: Draft) -> bool:
    direction, rule, keys = _rule_from_split(split)
    if direction not in ("ingress", "egress"):
        return False
    rules = group.attributes.setdefault(direction, [])
    if not isinstance(rules, list):
        return False
    index = len(rules)
    rules.append(rule)
    prefix = f"{direction}.{index}"
    _relocate(split, group, {k: f"{prefix}.{v}" for k, v in keys.items()}, prefix)
    return True


class _Index:
    def __init__(self, drafts: list[Draft], type_: str, name_key: str | None) -> None:
        self.by_address = {
            d.emitted.address: d for d in drafts if d.emitted.type == type_
        }
        self.by_name: dict[str, Draft] = {}
        for draft in self.by_address.values():
            name = draft.attributes.get(name_key) if name_key else None
            if isinstance(name, str):
                self.by_name.setdefault(name, draft)

    def find(self, reference: Any) -> Draft | None:
        if isinstance(reference, RefUnknown):
            return self.by_address.get(reference.address)
        if isinstance(reference, str):
            return self.by_name.get(reference)
        return None


def merge(emitted: list[Emitted]) -> list[Resource]:
    drafts = [
        Draft(e, dict(e.attributes), dict(e.locations))
        for e in emitted
        if e.mode == "managed" or e.type == "aws_iam_policy_document"
    ]
    for draft in drafts:
        if draft.emitted.type == "aws_s3_bucket":
            _normalize_bucket(draft.attributes)
        elif draft.emitted.type in ("aws_security_group", "aws_default_security_group"):
            for direction in ("ingress", "egress"):
                rules = draft.attributes.setdefault(direction, [])
                if isinstance(rules, list):
                    draft.attributes[direction] = [_normalize_rule(r) for r in rules]
    buckets = _Index(drafts, "aws_s3_bucket", "bucket")
    groups = _Index(drafts, "aws_security_group", None)  # ids are not names
    kept: list[Draft] = []
    for draft in drafts:
        split = draft.emitted
        merged = False
        if split.type in S3_SPLITS:
            bucket = buckets.find(split.attributes.get("bucket"))
            if bucket is not None:
                S3_SPLITS[split.type](split, bucket)
                bucket.components.append(split.address)
                merged = True
        elif split.type in SG_RULES:
            group = groups.find(split.attributes.get("security_group_id"))
            if group is not None and _merge_rule(split, group):
                group.components.append(split.address)
                merged = True
        if not merged:
            if split.type in S3_SPLITS or split.type in SG_RULES:
                logger.debug("%s: parent resource not found; kept alone", split.address)
            kept.append(draft)
    return [_resource(d) for d in kept]


def _resource(draft: Draft) -> Resource:
    emitted = draft.emitted
    tags = draft.attributes.get("tags")
    return Resource(
        type=emitted.type,
        address=emitted.address,
        attributes=plain(draft.attributes),
        side=Side.IAC,
        name=emitted.name,
        location=emitted.location,
        attribute_locations=draft.locations,
        tags=plain(tags) if isinstance(tags, dict) else {},
        components=tuple(draft.components),
    )
