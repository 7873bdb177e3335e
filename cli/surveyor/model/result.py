"""The outcome of one check against one resource."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from surveyor.model.location import Location
from surveyor.model.resource import Side
from surveyor.model.severity import Severity


class Status(enum.Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"  # the decision depends on a value that cannot be known
    ERROR = "ERROR"  # the data could not be read or the check raised
    SUPPRESSED = "SUPPRESSED"  # a FAIL that a waiver or inline comment accepts


@dataclass(frozen=True)
class Suppression:
    reason: str
    source: str  # "inline" or "config:<path>"
    owner: str | None = None
    expires: str | None = None  # ISO date


@dataclass(frozen=True)
class Result:
    rule_id: str
    status: Status
    severity: Severity
    resource_type: str
    resource: str  # address or ARN
    message: str
    side: Side | None = None  # None for file-level errors (parse failures)
    location: Location | None = None
    attribute: str | None = None
    arn: str | None = None
    account: str | None = None
    region: str | None = None
    suppression: Suppression | None = None

    @property
    def is_finding(self) -> bool:
        """Counts against --fail-on: a FAIL, or an ERROR (a failure is data)."""
        return self.status in (Status.FAIL, Status.ERROR)
