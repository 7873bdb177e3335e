"""`data "aws_iam_policy_document"` rendered to the JSON policy AWS stores.

Single-element lists render as a plain string, as the AWS provider does. A
document with unknown parts is returned as a structure with UNKNOWN leaves
(like jsonencode), so checks can still judge what is known.
"""

from __future__ import annotations

import json
from typing import Any

from surveyor.model.unknown import Unknown, contains_unknown
from surveyor.sources.terraform.values import plain

_LISTS = (
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
)


def render_policy_document(attributes: dict[str, Any]) -> Any:
    statements: list[Any] = []
    for source in _documents(attributes.get("source_policy_documents")):
        statements = _merge(statements, source)
    own = attributes.get("statement", [])
    if isinstance(own, Unknown):
        return Unknown("policy document statements are unknown")
    statements = _merge(statements, [_statement(s) for s in own])
    for override in _documents(attributes.get("override_policy_documents")):
        statements = _merge(statements, override)
    document: dict[str, Any] = {"Version": attributes.get("version", "2012-10-17")}
    if attributes.get("policy_id") is not None:
        document["Id"] = attributes["policy_id"]
    document["Statement"] = statements
    document = plain(document)
    if contains_unknown(document):
        return document
    return json.dumps(document, separators=(",", ":"))


def _documents(value: Any) -> list[list[Any]]:
    if value is None:
        return []
    if isinstance(value, Unknown):
        return [[{"$unknown_statements": value}]]
    found: list[list[Any]] = []
    for text in value:
        parsed = json.loads(text) if isinstance(text, str) else text
        if isinstance(parsed, dict):
            body = parsed.get("Statement", [])
            found.append(body if isinstance(body, list) else [body])
        else:
            found.append([Unknown("source policy document is unknown")])
    return found


def _merge(current: list[Any], incoming: list[Any]) -> list[Any]:
    """Statements with a Sid replace the same Sid; others are appended."""
    merged = list(current)
    for statement in incoming:
        sid = statement.get("Sid") if isinstance(statement, dict) else None
        index = next(
            (
                i
                for i, s in enumerate(merged)
                if sid and isinstance(s, dict) and s.get("Sid") == sid
            ),
            None,
        )
        if index is None:
            merged.append(statement)
        else:
            merged[index] = statement
    return merged


def _one_or_many(values: Any) -> Any:
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if block.get("sid"):
        out["Sid"] = block["sid"]
    out["Effect"] = block.get("effect", "Allow")
    for key, name in _LISTS:
        if block.get(key) is not None:
            out[name] = _one_or_many(block[key])
    for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(key):
            out[name] = _principals(block[key])
    if block.get("condition"):
        out["Condition"] = _conditions(block["condition"])
    return out


def _principals(blocks: list[dict[str, Any]]) -> Any:
    if any(
        b.get("type") == "*" and b.get("identifiers") in (["*"], "*") for b in blocks
    ):
        return "*"
    out: dict[str, Any] = {}
    for block in blocks:
        kind = block.get("type", Unknown("principal type"))
        identifiers = block.get("identifiers", [])
        if isinstance(kind, Unknown):
            return Unknown("principal type is unknown")
        existing = out.setdefault(kind, [])
        if isinstance(identifiers, list) and isinstance(existing, list):
            existing.extend(identifiers)
        else:
            out[kind] = Unknown("principal identifiers are unknown")
    return {k: _one_or_many(v) for k, v in out.items()}


def _conditions(blocks: list[dict[str, Any]]) -> Any:
    out: dict[str, Any] = {}
    for block in blocks:
        test, variable = block.get("test"), block.get("variable")
        if isinstance(test, Unknown) or isinstance(variable, Unknown):
            return Unknown("condition operator or key is unknown")
        out.setdefault(str(test), {})[str(variable)] = _one_or_many(
            block.get("values", [])
        )
    return out
