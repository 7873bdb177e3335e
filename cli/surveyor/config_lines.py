"""Where a config file is wrong: schema problems as lines of the TOML text.

jsonschema reports a key path; the TOML parser keeps no positions, so the
text is read once more to map every written key path to its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import resources as package_files
from typing import Any

KeyPath = tuple[str | int, ...]


def schema_problems(data: Any, lines: Mapping[KeyPath, int]) -> list[tuple[int, str]]:
    """(line, message) for every way `data` breaks config-v1.json, by line;
    `lines` comes from `key_lines` of the same text."""
    return _schema_errors(data, lines)


def _schema() -> dict[str, Any]:
    text = (
        package_files.files("surveyor.schemas").joinpath("config-v1.json").read_text()
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _schema_errors(data: Any, lines: Mapping[KeyPath, int]) -> list[tuple[int, str]]:
    import jsonschema

    schema = _schema()
    validator = jsonschema.Draft202012Validator(schema)
    found = []
    for error in validator.iter_errors(data):
        path: KeyPath = tuple(error.absolute_path)
        extras = _offending_keys(error)
        found += [_describe(error, (*path, extra), lines) for extra in extras]
        if not extras:
            found.append(_describe(error, path, lines))
    return sorted(set(found))


def _offending_keys(error: Any) -> list[str]:
    """Keys an error is really about, when jsonschema reports their parent."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = error.schema.get("properties", {})
        return sorted(key for key in error.instance if key not in allowed)
    return []


def _describe(
    error: Any, path: KeyPath, lines: Mapping[KeyPath, int]
) -> tuple[int, str]:
    where = _dotted(path) or "the file"
    value = error.instance
    kind = error.validator
    if kind == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {}))) or "none"
        return line_of(lines, path), f"unknown key {where}; use one of: {allowed}"
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "a key"
        return line_of(lines, path), f"{where} lacks required key {name}; add it"
    if kind == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        return line_of(
            lines, path
        ), f"{where} = {value!r} is not allowed; use {choices}"
    if kind == "pattern" and path and path[-1] == "expires":
        return line_of(
            lines, path
        ), f"{where} = {value!r} is not a date; write it as 2026-12-31"
    if kind == "pattern" and isinstance(value, str):
        is_key = "propertyNames" in error.absolute_schema_path
        return (
            line_of(lines, (*path, value) if is_key else path),
            f"{where}: {'key ' if is_key else ''}{value!r} is not a rule id like "
            "AWS-S3-001; `surveyor rules` lists them",
        )
    if kind in ("minLength",) or (kind == "pattern" and value == ""):
        return line_of(lines, path), f"{where} is empty; write a value"
    if kind == "type":
        return (
            line_of(lines, path),
            f"{where} must be {_a(error.validator_value)}, not {type(value).__name__}; "
            "see docs/configuration.md",
        )
    return line_of(lines, path), f"{where}: {error.message}; see docs/configuration.md"


def _a(type_name: object) -> str:
    names = {
        "array": "a list",
        "object": "a table",
        "string": "a string",
        "integer": "a whole number",
    }
    return names.get(str(type_name), f"{type_name}")


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})(?:\s*\.\s*(?:{_BARE}|{_QUOTED}))*"
_ARRAY_TABLE = re.compile(rf"^\[\[\s*({_KEY})\s*\]\]")
_TABLE = re.compile(rf"^\[\s*({_KEY})\s*\]")
_ASSIGN = re.compile(rf"^({_KEY})\s*=")
_PART = re.compile(rf"{_BARE}|{_QUOTED}")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Key path -> the line that writes it, for the shapes a config uses
    (tables, arrays of tables, dotted and quoted keys). Inline tables and
    multi-line arrays map to the line of their key."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    counts: dict[KeyPath, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if match := _ARRAY_TABLE.match(line):
            key = _split_key(match[1])
            counts[key] = counts.get(key, -1) + 1
            table = (*key, counts[key])
            _record(lines, table, number)
        elif match := _TABLE.match(line):
            table = _split_key(match[1])
            _record(lines, table, number)
        elif match := _ASSIGN.match(line):
            _record(lines, (*table, *_split_key(match[1])), number)
    return lines


def _record(lines: dict[KeyPath, int], path: KeyPath, number: int) -> None:
    for size in range(1, len(path) + 1):
        lines.setdefault(path[:size], number)


def _split_key(text: str) -> tuple[str, ...]:
    # Escapes inside quoted keys are rare in a config; they are kept as written.
    return tuple(
        part[1:-1] if part[:1] in "\"'" else part for part in _PART.findall(text)
    )


def line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    """The line of a key path, else of its nearest written ancestor, else 1."""
    for size in range(len(path), 0, -1):
        if path[:size] in lines:
            return lines[path[:size]]
    return 1
