"""Values of the evaluator beyond plain JSON: references that stay unknown."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from surveyor.model.unknown import Unknown


class EvalError(Exception):
    """An expression Terraform itself would reject (missing key, bad type)."""


class RefUnknown(Unknown):
    """A computed value of another resource: unknown, but we know whose.

    The resource-set merge follows `address` to join a split resource
    (aws_s3_bucket_acl.bucket = aws_s3_bucket.b.id) to its bucket.
    """

    __slots__ = ("address",)

    def __init__(self, address: str, reason: str = "") -> None:
        super().__init__(reason or f"computed by {address}")
        self.address = address


class Namespace:
    """A name whose attributes are looked up on demand (var, local, module...)."""

    __slots__ = ("_lookup", "label")

    def __init__(self, label: str, lookup: Callable[[str], Any]) -> None:
        self.label = label
        self._lookup = lookup

    def attr(self, name: str) -> Any:
        return self._lookup(name)

    def __repr__(self) -> str:
        return f"Namespace({self.label})"


class ResourceInstance:
    """One instance of a resource or data source, as an expression sees it.

    Configured attributes read back as written; anything else is computed by
    the provider and so is unknown, carrying this instance's address.
    """

    __slots__ = ("address", "attributes", "computed")

    def __init__(
        self,
        address: str,
        attributes: Mapping[str, Any],
        computed: Mapping[str, Any] | None = None,
    ) -> None:
        self.address = address
        self.attributes = attributes
        self.computed = computed or {}

    def attr(self, name: str) -> Any:
        if name in self.computed:
            return self.computed[name]
        value = self.attributes.get(name)
        if value is None or name in ("id", "arn"):
            return RefUnknown(self.address)
        return value

    def __repr__(self) -> str:
        return f"ResourceInstance({self.address})"


def plain(value: Any) -> Any:
    """The value with references turned into what a JSON consumer can hold."""
    if isinstance(value, ResourceInstance):
        return RefUnknown(value.address)
    if isinstance(value, Namespace):
        return Unknown(f"{value.label} used as a value")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def normalize_number(value: float | int) -> float | int:
    """Terraform numbers are exact: 4 / 2 is 2, not 2.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def to_template_string(value: Any) -> str:
    """How a value reads inside "${...}"; raises for what Terraform rejects."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return format_number(value)
    if value is None:
        raise EvalError("null value in a string template")
    raise EvalError(f"cannot use a {type(value).__name__} in a string template")


def format_number(value: float | int) -> str:
    value = normalize_number(value)
    if isinstance(value, int):
        return str(value)
    return repr(value)


def json_text(value: Any) -> str:
    """Terraform's jsonencode: sorted keys, no spaces, HTML-safe like Go."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
