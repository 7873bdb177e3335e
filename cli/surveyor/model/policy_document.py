"""IAM-style policy documents, parsed once, and the questions checks ask of them.

Every question is tri-state: True, False, or UNKNOWN when the answer depends
on a value static evaluation could not determine. A document arrives as a JSON
string, a dict (possibly with UNKNOWN leaves, from `jsonencode` of a partly
known value), URL-encoded JSON (what the IAM API returns), None, or UNKNOWN.

Invalid policy text raises `PolicyParseError`: Terraform cannot apply such a
policy and the API never returns one, so a check reports UNKNOWN naming the
parse error rather than guessing PASS or FAIL.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from surveyor.model.unknown import UNKNOWN, Unknown

# The Terraform source's stand-in for statements of an unknown source document.
UNKNOWN_STATEMENTS = "$unknown_statements"

Tri = bool | Unknown  # True, False, or UNKNOWN
Value = str | Unknown  # one element of an Action/Resource/principal list


def is_unknown(value: object) -> TypeGuard[Unknown]:
    """surveyor.model.is_unknown, narrowing the type for mypy."""
    return isinstance(value, Unknown)


def is_computed(value: object) -> bool:
    """An UNKNOWN computed by another resource or data source (it has an address).

    Such a value (an ARN, an account or VPC endpoint id) is never the wildcard
    "*"; an unset variable is a plain UNKNOWN and could be anything.
    """
    return isinstance(value, Unknown) and isinstance(
        getattr(value, "address", None), str
    )


class PolicyParseError(ValueError):
    """Policy text that is not a JSON policy document."""


def tri_any(values: Iterable[Tri]) -> Tri:
    """True if any is True; else UNKNOWN if any is unknown; else False."""
    saw_unknown = False
    for value in values:
        if is_unknown(value):
            saw_unknown = True
        elif value:
            return True
    return UNKNOWN if saw_unknown else False


def tri_all(values: Iterable[Tri]) -> Tri:
    """False if any is False; else UNKNOWN if any is unknown; else True."""
    saw_unknown = False
    for value in values:
        if is_unknown(value):
            saw_unknown = True
        elif not value:
            return False
    return UNKNOWN if saw_unknown else True


def tri_not(value: Tri) -> Tri:
    return value if is_unknown(value) else not value


def _values(raw: Any) -> tuple[Value, ...]:
    """A policy element as a tuple: single values become one-element tuples."""
    if raw is None:
        return ()
    if is_unknown(raw):
        return (raw,)  # keep the reason (and a reference's address) for messages
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out: list[Value] = []
    for item in items:
        if is_unknown(item):
            out.append(item)
        elif isinstance(item, (dict, list)):
            # Not a valid element; keep it visible rather than dropping it.
            out.append(json.dumps(item, sort_keys=True))
        else:
            out.append(str(item).lower() if isinstance(item, bool) else str(item))
    return tuple(out)


@dataclass(frozen=True)
class Principals:
    """A Principal element: `"*"` (`wildcard`) or {type: (values...)}."""

    wildcard: bool = False
    by_type: Mapping[str, tuple[Value, ...]] | None = None
    unknown: bool = False  # the whole element could not be determined

    @classmethod
    def parse(cls, raw: Any) -> Principals | None:
        if raw is None:
            return None
        if is_unknown(raw):
            return cls(unknown=True)
        if isinstance(raw, str):
            if raw == "*":
                return cls(wildcard=True)
            return cls(by_type={"AWS": (raw,)})
        if isinstance(raw, Mapping):
            return cls(by_type={str(k): _values(v) for k, v in raw.items()})
        return cls(unknown=True)

    def values(self, kind: str) -> tuple[Value, ...]:
        if not self.by_type:
            return ()
        for key, found in self.by_type.items():
            if key.lower() == kind.lower():
                return found
        return ()

    def is_everyone(self) -> Tri:
        """`"*"` or {"AWS": "*"}: any principal, authenticated or not."""
        if self.wildcard:
            return True
        if self.unknown:
            return UNKNOWN
        # {"AWS": "*"}, and {"*": "*"} as a "*" principals block may render.
        candidates = (*self.values("AWS"), *self.values("*"))
        found: list[Tri] = [
            False if is_computed(v) else UNKNOWN if is_unknown(v) else v == "*"
            for v in candidates
        ]
        return tri_any(found)

    def items(self) -> list[tuple[str, Value]]:
        """(type, value) pairs; `"*"` gives ("*", "*")."""
        if self.wildcard:
            return [("*", "*")]
        if self.unknown:
            return [("*", UNKNOWN)]
        return [(kind, v) for kind, vs in (self.by_type or {}).items() for v in vs]


@dataclass(frozen=True)
class Condition:
    """One (operator, key) pair of a Condition block with its values."""

    operator: str  # "StringEquals", "ForAnyValue:StringLike", ...
    key: str  # "aws:SourceArn"
    values: tuple[Value, ...]


# Condition keys that pin who may call, or from where, to something narrower
# than "anyone". Compared lower-case (condition keys are case-insensitive).
RESTRICTING_KEYS: frozenset[str] = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:vpcsourceip",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalservicename",
        "aws:principalservicenameslist",
        "aws:userid",
        "aws:username",
        "aws:federatedprovider",
        "s3:dataaccesspointaccount",
        "s3:dataaccesspointarn",
        "kms:calleraccount",
        "kms:viaservice",
        "lambda:sourcefunctionarn",
    }
)
# Keys that restrict only with a Bool operator and the value "true".
RESTRICTING_BOOL_KEYS: frozenset[str] = frozenset({"aws:principalisawsservice"})

# Operators that require the key to match the listed values. Negated forms
# (StringNotEquals, NotIpAddress, ...) and `...IfExists` (true when the key is
# absent, as aws:SourceVpce is for internet requests) do not restrict, nor does
# ForAllValues (true for an empty set).
_MATCHING_OPERATORS: frozenset[str] = frozenset(
    {
        "stringequals",
        "stringequalsignorecase",
        "stringlike",
        "arnequals",
        "arnlike",
        "ipaddress",
        "numericequals",
    }
)
_WILDCARD_NETWORKS = frozenset({"0.0.0.0/0", "::/0", "::0/0"})


def _is_wildcard_value(value: str) -> bool:
    """A value that matches anything: "*", "arn:aws:*:*", "0.0.0.0/0"..."""
    if value in _WILDCARD_NETWORKS:
        return True
    stripped = value.lower().replace("arn", "").replace("aws", "")
    return "*" in value and not stripped.replace("*", "").replace(":", "").strip()


def _operator_restricts(operator: str) -> bool:
    op = operator.lower()
    if op.endswith("ifexists"):
        return False
    if op.startswith("forallvalues:"):
        return False
    op = op.removeprefix("foranyvalue:")
    return op in _MATCHING_OPERATORS


def condition_restricts(condition: Condition) -> Tri:
    """Does this condition narrow the callers to something less than everyone?"""
    key = condition.key.lower()
    if key in RESTRICTING_BOOL_KEYS:
        if condition.operator.lower() != "bool":
            return False
        return tri_any(
            (v.lower() == "true") if isinstance(v, str) else UNKNOWN
            for v in condition.values
        )
    if key not in RESTRICTING_KEYS or not _operator_restricts(condition.operator):
        return False
    if not condition.values:
        return False
    known = [v for v in condition.values if isinstance(v, str)]
    if any(_is_wildcard_value(v) for v in known):
        return False  # one wildcard alternative admits everyone
    unresolved = [v for v in condition.values if not isinstance(v, str)]
    return UNKNOWN if any(not is_computed(v) for v in unresolved) else True


@dataclass(frozen=True)
class Statement:
    effect: Value
    actions: tuple[Value, ...] = ()
    not_actions: tuple[Value, ...] = ()
    resources: tuple[Value, ...] = ()
    not_resources: tuple[Value, ...] = ()
    principals: Principals | None = None
    not_principals: Principals | None = None
    conditions: tuple[Condition, ...] = ()
    conditions_unknown: bool = False  # a Condition block or operator is UNKNOWN
    sid: str = ""
    index: int = 0  # position in the document's Statement list

    @classmethod
    def parse(cls, raw: Mapping[str, Any], index: int = 0) -> Statement:
        fields = {str(k).lower(): v for k, v in raw.items()}
        effect = fields.get("effect", "Allow")
        conditions, conditions_unknown = _parse_conditions(fields.get("condition"))
        sid = fields.get("sid", "")
        return cls(
            effect=UNKNOWN if is_unknown(effect) else str(effect),
            actions=_values(fields.get("action")),
            not_actions=_values(fields.get("notaction")),
            resources=_values(fields.get("resource")),
            not_resources=_values(fields.get("notresource")),
            principals=Principals.parse(fields.get("principal")),
            not_principals=Principals.parse(fields.get("notprincipal")),
            conditions=conditions,
            conditions_unknown=conditions_unknown,
            sid="" if is_unknown(sid) else str(sid),
            index=index,
        )

    def is_allow(self) -> Tri:
        return (
            (self.effect.lower() == "allow")
            if isinstance(self.effect, str)
            else UNKNOWN
        )

    def is_deny(self) -> Tri:
        return (
            (self.effect.lower() == "deny") if isinstance(self.effect, str) else UNKNOWN
        )

    def allows_all_actions(self) -> Tri:
        """Action `*`/`*:*`, or a NotAction (everything but a few) that is not `*`."""
        if self.not_actions:
            return tri_not(tri_any(_matches(v, {"*", "*:*"}) for v in self.not_actions))
        return tri_any(_matches(v, {"*", "*:*"}) for v in self.actions)

    def covers_all_resources(self) -> Tri:
        return tri_any(_matches(v, {"*"}) for v in self.resources)

    def grants_admin(self) -> Tri:
        """Allow of every action on every resource."""
        return tri_all(
            [self.is_allow(), self.allows_all_actions(), self.covers_all_resources()]
        )

    def has_restricting_condition(self) -> Tri:
        found = tri_any(condition_restricts(c) for c in self.conditions)
        if found is False and self.conditions_unknown:
            return UNKNOWN
        return found

    def is_public(self) -> Tri:
        """Allow to any principal (or NotPrincipal) with no restricting condition."""
        if self.not_principals is not None:
            everyone: Tri = True  # Allow + NotPrincipal: all but a few
        elif self.principals is None:
            everyone = False
        else:
            everyone = self.principals.is_everyone()
        unrestricted = tri_not(self.has_restricting_condition())
        return tri_all([self.is_allow(), everyone, unrestricted])

    def action_list(self) -> str:
        """The actions as a message shows them."""
        if self.not_actions:
            return "NotAction " + _show(self.not_actions)
        return _show(self.actions)


def _matches(value: Value, accepted: set[str]) -> Tri:
    return (value.lower() in accepted) if isinstance(value, str) else UNKNOWN


def _show(values: tuple[Value, ...]) -> str:
    return (
        "["
        + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)
        + "]"
    )


def _parse_conditions(raw: Any) -> tuple[tuple[Condition, ...], bool]:
    if raw is None:
        return (), False
    if not isinstance(raw, Mapping):
        return (), True
    found: list[Condition] = []
    unknown = False
    for operator, block in raw.items():
        if not isinstance(block, Mapping):
            unknown = True
            continue
        for key, values in block.items():
            found.append(Condition(str(operator), str(key), _values(values)))
    return tuple(found), unknown


@dataclass(frozen=True)
class PolicyDocument:
    statements: tuple[Statement, ...]
    # Statement entries (or the whole list) that could not be determined.
    unknown_statements: int = 0
    version: str = ""

    @classmethod
    def parse(cls, value: Any) -> PolicyDocument | Unknown | None:
        """A document, UNKNOWN, or None for no policy; raises PolicyParseError."""
        if value is None:
            return None
        if is_unknown(value):
            return value
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str):
            if not value.strip():
                return None
            value = _decode_text(value)
        if not isinstance(value, Mapping):
            raise PolicyParseError(
                f"policy must be a JSON object, got {type(value).__name__}"
            )
        return cls._from_mapping(value)

    @classmethod
    def _from_mapping(cls, data: Mapping[str, Any]) -> PolicyDocument:
        fields = {str(k).lower(): v for k, v in data.items()}
        raw = fields.get("statement", [])
        version = fields.get("version", "")
        if is_unknown(raw):
            return cls((), unknown_statements=1)
        items = raw if isinstance(raw, (list, tuple)) else [raw]
        statements: list[Statement] = []
        unknown = 0
        for index, item in enumerate(items):
            if isinstance(item, Mapping) and UNKNOWN_STATEMENTS in item:
                unknown += 1  # a source document that could not be rendered
            elif isinstance(item, Mapping):
                statements.append(Statement.parse(item, index))
            elif is_unknown(item):
                unknown += 1
            else:
                raise PolicyParseError(
                    f"Statement[{index}] must be an object, got {type(item).__name__}"
                )
        return cls(tuple(statements), unknown, "" if is_unknown(version) else version)

    def _ask(self, answers: Iterable[Tri]) -> Tri:
        found = tri_any(answers)
        if found is False and self.unknown_statements:
            return UNKNOWN
        return found

    def admin_statements(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.grants_admin() is True)

    def grants_admin(self) -> Tri:
        """Some statement allows every action (or NotAction) on `*`."""
        return self._ask(s.grants_admin() for s in self.statements)

    def public_statements(self) -> tuple[Statement, ...]:
        """Statements that certainly allow anyone, absent a restricting condition."""
        return tuple(s for s in self.statements if s.is_public() is True)

    def allows_public(self) -> Tri:
        return self._ask(s.is_public() for s in self.statements)

    def denies_insecure_transport(self) -> Tri:
        """A Deny for everyone on all (S3) actions when aws:SecureTransport is false."""
        return self._ask(_denies_plain_http(s) for s in self.statements)

    def trusted_principals(self) -> list[tuple[str, Value, Statement]]:
        """(type, value, statement) of each principal an Allow statement names."""
        found: list[tuple[str, Value, Statement]] = []
        for statement in self.statements:
            if statement.is_allow() is False or statement.principals is None:
                continue
            for kind, value in statement.principals.items():
                found.append((kind, value, statement))
        return found


def _denies_plain_http(statement: Statement) -> Tri:
    if statement.principals is None:
        return False
    everyone = statement.principals.is_everyone()
    all_actions = tri_any(_matches(v, {"*", "s3:*"}) for v in statement.actions)
    insecure = tri_any(
        tri_all(
            [
                c.operator.lower() == "bool",
                c.key.lower() == "aws:securetransport",
                tri_any(
                    (v.lower() == "false") if isinstance(v, str) else UNKNOWN
                    for v in c.values
                ),
            ]
        )
        for c in statement.conditions
    )
    if insecure is False and statement.conditions_unknown:
        insecure = UNKNOWN
    return tri_all([statement.is_deny(), everyone, all_actions, insecure])


def _decode_text(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("%"):
        stripped = urllib.parse.unquote(stripped)
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise PolicyParseError(
            f"policy is not valid JSON (line {exc.lineno} column {exc.colno}: "
            f"{exc.msg})"
        ) from exc
