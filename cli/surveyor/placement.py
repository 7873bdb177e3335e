"""Give every live result a file location, so GitHub code scanning accepts it.

A live result is placed on the Terraform block that declares the same
resource (matched by bucket name, security group name or id, IAM name, DB
identifier, trail name, the Name tag of volumes, instances and VPCs) when a
Terraform source is known; every other live result goes on the anchor file
(`.surveyor.toml`, line 1, unless `--live-anchor` says otherwise). KMS keys
are not matched: Terraform names them only through aws_kms_alias blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace

from surveyor.model import Location, Resource, Result, Side, is_unknown

logger = logging.getLogger(__name__)

# Canonical type -> the attributes that name the resource, in both sources.
IDENTIFYING: Mapping[str, tuple[str, ...]] = {
    "aws_s3_bucket": ("bucket",),
    "aws_security_group": ("name", "id"),
    "aws_default_security_group": ("id",),
    "aws_iam_role": ("name",),
    "aws_iam_user": ("name",),
    "aws_iam_group": ("name",),
    "aws_iam_policy": ("name", "arn"),
    "aws_iam_role_policy": ("role", "name"),
    "aws_iam_user_policy": ("user", "name"),
    "aws_iam_group_policy": ("group", "name"),
    "aws_iam_user_login_profile": ("user",),
    "aws_db_instance": ("identifier",),
    "aws_rds_cluster": ("cluster_identifier",),
    "aws_cloudtrail": ("name",),
    "aws_ebs_volume": ("tags.Name",),
    "aws_instance": ("tags.Name",),
    "aws_vpc": ("tags.Name",),
}
# Types whose identity is the whole tuple of identifying attributes, not any one.
_COMPOSITE = frozenset(
    {"aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}
)


def live_anchor_location(anchor: str) -> Location:
    return Location(anchor, 1, 1)


def place_live_results(
    results: Iterable[Result],
    live: Iterable[Resource],
    declared: Iterable[Resource],
    anchor: str,
) -> list[Result]:
    """Results with a location for every live one (others unchanged)."""
    by_address = {r.address: r for r in live if r.side is Side.LIVE}
    index = _index(r for r in declared if r.side is Side.IAC and r.location)
    fallback = live_anchor_location(anchor)
    placed = []
    for result in results:
        if result.location is not None or result.side is not Side.LIVE:
            placed.append(result)
            continue
        resource = by_address.get(result.resource) or _by_arn(by_address, result.arn)
        match = _find(index, resource) if resource else None
        if match is not None:
            where = match.location_of(result.attribute) or match.location
            placed.append(replace(result, location=where))
        else:
            placed.append(replace(result, location=fallback))
    return placed


def _by_arn(by_address: Mapping[str, Resource], arn: str | None) -> Resource | None:
    if arn is None:
        return None
    return next((r for r in by_address.values() if r.arn == arn), None)


def _index(declared: Iterable[Resource]) -> dict[tuple[str, str], Resource]:
    """(type, key) -> the declaring block; a key two blocks share is dropped."""
    index: dict[tuple[str, str], Resource] = {}
    ambiguous: set[tuple[str, str]] = set()
    for resource in declared:
        for key in _keys(resource):
            if key in index and index[key].address != resource.address:
                ambiguous.add(key)
            index.setdefault(key, resource)
    for key in ambiguous:
        logger.debug("two Terraform blocks declare %s; not placing on either", key)
        index.pop(key, None)
    return index


def _find(index: Mapping[tuple[str, str], Resource], live: Resource) -> Resource | None:
    for key in _keys(live):
        if key in index:
            return index[key]
    return None


def _keys(resource: Resource) -> list[tuple[str, str]]:
    type_ = (
        "aws_security_group"
        if resource.type.endswith("security_group")
        else resource.type
    )
    names = IDENTIFYING.get(resource.type, ())
    values = [_values(resource, name) for name in names]
    if resource.type in _COMPOSITE:
        if all(len(v) == 1 for v in values):
            return [(type_, "/".join(v[0] for v in values))]
        return []
    return [
        (type_, f"{name}={v}")
        for name, vs in zip(names, values, strict=True)
        for v in vs
    ]


def _values(resource: Resource, name: str) -> list[str]:
    """The known string values of an identifying attribute (aliases is a list)."""
    if name.startswith("tags."):
        value = resource.tags.get(name[5:]) if resource.tags else None
        if value is None:
            value = resource.get(name)
    else:
        value = resource.get(name)
    items = value if isinstance(value, list) else [value]
    return [
        str(v).removeprefix("alias/") if name == "aliases" else str(v)
        for v in items
        if isinstance(v, str) and v and not is_unknown(v)
    ]
