"""A block's body to attribute values and the line of each attribute.

Nested blocks become lists of dicts (as in Terraform state); `dynamic` blocks
are expanded into that list after the static ones; null means absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from surveyor.model.location import Location
from surveyor.model.unknown import Unknown
from surveyor.sources.terraform.evaluator import Scope, evaluate_value

# Arguments Terraform itself reads; they are not resource attributes.
META_ARGUMENTS = frozenset(
    {
        "count",
        "for_each",
        "provider",
        "depends_on",
        "lifecycle",
        "provisioner",
        "connection",
    }
)


@dataclass
class Evaluated:
    attributes: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)


def is_block_list(value: Any) -> bool:
    """Nested blocks: python-hcl2 gives a list of dicts that carry line numbers
    (an attribute's list of objects has none); such lists are never mixed."""
    return (
        type(value) is list
        and bool(value)
        and type(value[0]) is dict
        and "__start_line__" in value[0]
    )


def block_location(path: str, block: dict[str, Any]) -> Location:
    return Location(path, block["__start_line__"], block["__end_line__"])


def evaluate_block(
    block: dict[str, Any],
    scope: Scope,
    path: str,
    skip: frozenset[str] = META_ARGUMENTS,
) -> Evaluated:
    out = Evaluated()
    _fill(block, scope, path, prefix="", out=out, skip=skip)
    return out


def _fill(
    block: dict[str, Any],
    scope: Scope,
    path: str,
    *,
    prefix: str,
    out: Evaluated,
    skip: frozenset[str],
) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    lines: dict[str, int] = block.get("__lines__", {})
    key_lines: dict[str, dict[str, int]] = block.get("__key_lines__", {})
    for key, raw in block.items():
        if key.startswith("__") or key in skip or key == "dynamic":
            continue
        if is_block_list(raw):
            attributes[key] = [
                _nested(child, scope, path, f"{prefix}{key}.{i}", out)
                for i, child in enumerate(raw)
            ]
            out.locations.setdefault(prefix + key, block_location(path, raw[0]))
            continue
        value = evaluate_value(raw, scope)
        if value is None:
            continue
        attributes[key] = value
        line = lines.get(key, block["__start_line__"])
        out.locations[prefix + key] = Location(path, line, line)
        if isinstance(value, dict):
            for name, key_line in key_lines.get(key, {}).items():
                if name in value:
                    location = Location(path, key_line, key_line)
                    out.locations[f"{prefix}{key}.{name}"] = location
    for dynamic in block.get("dynamic", ()):
        for label, spec in dynamic.items():
            if isinstance(spec, dict):
                existing = attributes.setdefault(label, [])
                if isinstance(existing, list):
                    _expand_dynamic(
                        label, spec, scope, path, prefix=prefix, into=existing, out=out
                    )
    if not prefix:
        out.attributes = attributes
    return attributes


def _nested(
    child: dict[str, Any], scope: Scope, path: str, prefix: str, out: Evaluated
) -> dict[str, Any]:
    out.locations[prefix] = block_location(path, child)
    return _fill(child, scope, path, prefix=prefix + ".", out=out, skip=frozenset())


def _expand_dynamic(
    label: str,
    spec: dict[str, Any],
    scope: Scope,
    path: str,
    *,
    prefix: str,
    into: list[Any],
    out: Evaluated,
) -> None:
    """`dynamic "x" { for_each = ...; content {...} }`: one block per element.

    An unknown for_each gives one block whose iterator values are unknown, so
    a check sees "something here, not known" rather than nothing.
    """
    iterator = spec.get("iterator", label)
    iterator = iterator.strip("${}") if isinstance(iterator, str) else label
    contents = spec.get("content") or [{}]
    content = contents[0]
    source = evaluate_value(spec.get("for_each"), scope)
    pairs: list[tuple[Any, Any]]
    if isinstance(source, Unknown):
        pairs = [(Unknown("dynamic block key"), Unknown("dynamic block value"))]
    elif isinstance(source, dict):
        pairs = list(source.items())
    elif isinstance(source, list):
        pairs = [(i if not isinstance(v, str) else v, v) for i, v in enumerate(source)]
    else:
        pairs = []
    location = block_location(path, spec) if "__start_line__" in spec else None
    for key, value in pairs:
        inner = scope.child({iterator: {"key": key, "value": value}})
        index = f"{prefix}{label}.{len(into)}"
        if "__start_line__" in content:
            out.locations[index] = block_location(path, content)
        elif location is not None:
            out.locations[index] = location
        into.append(
            _fill(content, inner, path, prefix=index + ".", out=out, skip=frozenset())
        )
        if location is not None:
            out.locations.setdefault(prefix + label, location)
