"""The check contract: what a policy module defines and the engine runs."""

from surveyor.checks.base import (
    Check,
    CheckContext,
    Remediation,
    RuleMeta,
    Verdict,
)
from surveyor.model import UNKNOWN, Resource, Severity, Side, is_unknown

__all__ = [
    "UNKNOWN",
    "Check",
    "CheckContext",
    "Remediation",
    "Resource",
    "RuleMeta",
    "Severity",
    "Side",
    "Verdict",
    "is_unknown",
]
