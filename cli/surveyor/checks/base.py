"""Check classes, their metadata, and the verdict a check returns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from surveyor.model import Resource, Severity, Side, Status

if TYPE_CHECKING:
    from surveyor.resourceset import ResourceSet

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{3}$")
ATTACK_TECHNIQUE = re.compile(r"^T\d{4}(\.\d{3})?$")
ATTACK_VERSION = "v16.1"


@dataclass(frozen=True)
class Remediation:
    terraform: str  # a snippet that fixes it
    console: str  # console or CLI steps


@dataclass(frozen=True)
class RuleMeta:
    """Everything an on-call needs beside the logic. Validated at load time."""

    id: str
    title: str
    severity: Severity
    resource_types: tuple[str, ...]
    description: str
    rationale: str
    remediation: Remediation
    runbook: str
    sides: frozenset[Side]
    owner: str = "cloud-security"
    sla: timedelta | None = None  # None: the severity's default
    mitre_attack: tuple[str, ...] = ()
    attack_version: str = ATTACK_VERSION
    # Framework name -> control ids, e.g. {"CIS AWS Foundations v3.0.0": ("2.1.4",)}
    compliance: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    side_reason: str = ""  # required when sides is not both
    references: tuple[str, ...] = ()

    @property
    def effective_sla(self) -> timedelta:
        return self.sla if self.sla is not None else self.severity.default_sla


@dataclass(frozen=True)
class Verdict:
    """What `evaluate` returns: PASS, FAIL or UNKNOWN, naming the attribute."""

    status: Status
    message: str
    attribute: str | None = None  # dotted path, used to place the finding

    @classmethod
    def passed(cls, message: str, attribute: str | None = None) -> Verdict:
        return cls(Status.PASS, message, attribute)

    @classmethod
    def failed(cls, message: str, attribute: str | None = None) -> Verdict:
        return cls(Status.FAIL, message, attribute)

    @classmethod
    def unknown(cls, message: str, attribute: str | None = None) -> Verdict:
        return cls(Status.UNKNOWN, message, attribute)


@dataclass(frozen=True)
class CheckContext:
    """What a check may consult beyond its own resource."""

    resources: ResourceSet
    side: Side


class Check:
    """Base class of every check. A subclass sets `meta` and `evaluate`.

    A module in a policy directory defines exactly one subclass; defining it is
    the registration (no side effects at import).
    """

    meta: ClassVar[RuleMeta]

    def applies_to(self, resource: Resource, context: CheckContext) -> bool:
        """Narrow further than `resource_types` (e.g. symmetric keys only)."""
        return True

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raise NotImplementedError

    @staticmethod
    def describe_value(value: Any) -> str:
        """A value as a message shows it, as Terraform writes it: true/false,
        quoted strings, and short."""
        if isinstance(value, bool):
            return "true" if value else "false"
        text = repr(value) if not isinstance(value, str) else f'"{value}"'
        return text if len(text) <= 80 else text[:77] + "..."
