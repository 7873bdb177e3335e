"""The canonical data shapes every stage shares."""

from surveyor.model.location import Location
from surveyor.model.resource import CollectionError, Resource, Side
from surveyor.model.result import Result, Status
from surveyor.model.severity import Severity
from surveyor.model.unknown import UNKNOWN, Unknown, contains_unknown, is_unknown

__all__ = [
    "UNKNOWN",
    "CollectionError",
    "Location",
    "Resource",
    "Result",
    "Severity",
    "Side",
    "Status",
    "Unknown",
    "contains_unknown",
    "is_unknown",
]
