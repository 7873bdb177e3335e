"""The canonical resource: one shape for Terraform blocks and live API objects."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveyor.model.location import Location
from surveyor.model.unknown import is_unknown


class Side(enum.Enum):
    """Where a resource came from, and which sides a check supports."""

    IAC = "iac"
    LIVE = "live"


@dataclass(frozen=True)
class CollectionError:
    """An API call that failed, so the data it would have given is missing.

    `resource_types` names the canonical types whose data is incomplete; the
    engine turns this into ERROR results for every check that needs them.
    """

    operation: str  # "s3:GetBucketPolicy"
    region: str  # "us-east-1", or "global"
    code: str  # "AccessDenied", "Throttling", "OptInRequired", ...
    message: str
    resource_types: tuple[str, ...] = ()
    resource_id: str | None = None  # set when one resource's data is missing

    def describe(self) -> str:
        where = f" for {self.resource_id}" if self.resource_id else ""
        failure = f"{self.code}: {self.message}"
        return f"{self.operation} in {self.region}{where} failed: {failure}"


@dataclass(frozen=True)
class Resource:
    """One resource in the effective (merged) view.

    `attributes` use the Terraform AWS provider's names and nesting whatever
    the source; values are JSON-like or UNKNOWN. Treat them as read-only.
    """

    type: str  # Terraform type name: "aws_s3_bucket"
    address: str  # Terraform address, or the ARN (API id) for live resources
    attributes: Mapping[str, Any]
    side: Side
    name: str = ""  # Terraform local name / API name, used to match code to live
    location: Location | None = None
    # Dotted attribute path ("acl", "ingress.0.cidr_blocks") -> where it is written.
    # A merged split resource (aws_s3_bucket_acl) contributes its own locations.
    attribute_locations: Mapping[str, Location] = field(default_factory=dict)
    arn: str | None = None
    account: str | None = None
    region: str | None = None
    tags: Mapping[str, Any] = field(default_factory=dict)
    # Addresses of split resources merged into this one (IaC only).
    components: tuple[str, ...] = ()
    # Calls that failed while collecting this resource (live only).
    errors: tuple[CollectionError, ...] = ()

    def get(self, path: str, default: Any = None) -> Any:
        """Read a dotted path ("versioning.0.enabled"); UNKNOWN stops the walk."""
        value: Any = self.attributes
        for part in path.split("."):
            if is_unknown(value):
                return value
            if isinstance(value, Mapping):
                if part not in value:
                    return default
                value = value[part]
            elif isinstance(value, list) and part.isdigit():
                index = int(part)
                if index >= len(value):
                    return default
                value = value[index]
            else:
                return default
        return value

    def location_of(self, path: str | None) -> Location | None:
        """The most precise location for an attribute path, else the block's."""
        while path:
            if path in self.attribute_locations:
                return self.attribute_locations[path]
            path = path.rpartition(".")[0]
        return self.location

    @property
    def identity(self) -> str:
        """What a person calls this resource: the address or ARN."""
        if self.side is Side.LIVE and self.arn:
            return self.arn
        return self.address
