"""Canonical resources to and from JSON (snapshots, fixtures, JSON reports).

UNKNOWN is written as {"$unknown": "<reason>"}; nothing else uses that key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveyor.model.location import Location
from surveyor.model.resource import CollectionError, Resource, Side
from surveyor.model.unknown import Unknown

UNKNOWN_KEY = "$unknown"


def value_to_json(value: Any) -> Any:
    if isinstance(value, Unknown):
        return {UNKNOWN_KEY: value.reason}
    if isinstance(value, Mapping):
        return {str(k): value_to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [value_to_json(v) for v in value]
    return value


def value_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and UNKNOWN_KEY in value:
            return Unknown(str(value[UNKNOWN_KEY]))
        return {k: value_from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [value_from_json(v) for v in value]
    return value


def location_to_json(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {
        "path": location.path,
        "start_line": location.start_line,
        "end_line": location.end_line,
    }


def location_from_json(data: Mapping[str, Any] | None) -> Location | None:
    if not data:
        return None
    return Location(str(data["path"]), int(data["start_line"]), int(data["end_line"]))


def error_to_json(error: CollectionError) -> dict[str, Any]:
    return {
        "operation": error.operation,
        "region": error.region,
        "code": error.code,
        "message": error.message,
        "resource_types": list(error.resource_types),
        "resource_id": error.resource_id,
    }


def error_from_json(data: Mapping[str, Any]) -> CollectionError:
    return CollectionError(
        operation=str(data["operation"]),
        region=str(data["region"]),
        code=str(data["code"]),
        message=str(data.get("message", "")),
        resource_types=tuple(data.get("resource_types", ())),
        resource_id=data.get("resource_id"),
    )


def resource_to_json(resource: Resource) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": resource.type,
        "address": resource.address,
        "side": resource.side.value,
        "name": resource.name,
        "attributes": value_to_json(resource.attributes),
        "tags": value_to_json(resource.tags),
    }
    optional: dict[str, Any] = {
        "arn": resource.arn,
        "account": resource.account,
        "region": resource.region,
        "location": location_to_json(resource.location),
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    if resource.errors:
        data["errors"] = [error_to_json(e) for e in resource.errors]
    return data


def resource_from_json(data: Mapping[str, Any]) -> Resource:
    """The inverse of resource_to_json; `address` defaults to the ARN."""
    arn = data.get("arn")
    return Resource(
        type=str(data["type"]),
        address=str(data.get("address") or arn),
        attributes=value_from_json(dict(data.get("attributes", {}))),
        side=Side(data.get("side", "live")),
        name=str(data.get("name", "")),
        location=location_from_json(data.get("location")),
        arn=arn,
        account=data.get("account"),
        region=data.get("region"),
        tags=value_from_json(dict(data.get("tags", {}))),
        errors=tuple(error_from_json(e) for e in data.get("errors", ())),
    )
