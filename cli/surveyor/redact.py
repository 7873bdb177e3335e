"""Keep secrets out of snapshots and reports.

A redacted value becomes the string ``"<redacted:KIND>"`` so a check can still
tell that a secret was there (AWS-LMB-001 reports the variable's name) while
the value itself never leaves the process:

    redact_text("AKIAIOSFODNN7EXAMPLE")       -> "<redacted:aws-access-key-id>"
    redact_environment({"DB_PASSWORD": "x"})
        -> {"DB_PASSWORD": "<redacted:named-secret>"}
    redacted_kind("<redacted:aws-access-key-id>") -> "aws-access-key-id"
    mask_identifier("AKIAIOSFODNN7EXAMPLE")   -> "AKIA************MPLE"

`redact_value` walks any JSON-like value and redacts the strings that match a
secret pattern; `find_secret` says which pattern matched, for checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED_PREFIX = "<redacted:"
_REDACTED = re.compile(r"^<redacted:([a-z0-9-]+)>$")

# Value patterns, most specific first. Kept narrow: a false positive hides data
# a check needs, a false negative leaks a secret, and both are bugs.
_VALUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws-access-key-id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    ("private-key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("github-token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    (
        "jwt",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
    ),
)
# A 40-character base64 string is what an AWS secret access key looks like; on
# its own that is too common (hashes), so it needs a secret-sounding name.
_AWS_SECRET_VALUE = re.compile(r"^[A-Za-z0-9/+=]{40}$")
_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|private[_-]?key|"
    r"credential|auth|access[_-]?key)",
    re.IGNORECASE,
)


def redaction(kind: str) -> str:
    return f"{REDACTED_PREFIX}{kind}>"


def redacted_kind(value: object) -> str | None:
    """The kind of secret a redacted value stood for, or None if not redacted."""
    if isinstance(value, str):
        match = _REDACTED.match(value)
        if match:
            return match.group(1)
    return None


def find_secret(value: str, name: str | None = None) -> str | None:
    """The kind of secret `value` looks like (given its variable name), or None."""
    if redacted_kind(value):
        return redacted_kind(value)
    for kind, pattern in _VALUE_PATTERNS:
        if pattern.search(value):
            return kind
    if name is not None and _SECRET_NAME.search(name):
        if _AWS_SECRET_VALUE.match(value):
            return "aws-secret-access-key"
        if value:
            return "named-secret"
    return None


def redact_text(value: str, name: str | None = None) -> str:
    """`value`, or its redaction marker when it looks like a secret."""
    kind = find_secret(value, name)
    return redaction(kind) if kind else value


def redact_environment(variables: Mapping[str, Any]) -> dict[str, Any]:
    """Environment variables (Lambda, ECS) with secret-looking values redacted.

    A value is redacted when it matches a secret pattern, or when its name
    sounds like a secret (PASSWORD, API_KEY, ...) and it is not empty.
    """
    return {
        str(k): redact_text(v, str(k)) if isinstance(v, str) else v
        for k, v in variables.items()
    }


def redact_value(value: Any) -> Any:
    """Any JSON-like value with every secret-looking string redacted.

    Names are not consulted here (keys of arbitrary documents are not variable
    names); use `redact_environment` where the names mean something.
    """
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_value(v) for v in value)
    return value


def mask_identifier(identifier: str, keep: int = 4) -> str:
    """An identifier shown the way the AWS console shows key ids: ends kept."""
    if len(identifier) <= keep * 2:
        return "*" * len(identifier)
    middle = "*" * (len(identifier) - keep * 2)
    return f"{identifier[:keep]}{middle}{identifier[-keep:]}"
