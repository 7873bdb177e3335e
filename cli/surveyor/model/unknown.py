"""The UNKNOWN value: what static evaluation or collection could not determine."""

from __future__ import annotations

from typing import Any, Final


class Unknown:
    """A value that cannot be known; carries why, for messages.

    Every instance compares equal to every other: a check asks "is it unknown",
    never "which unknown".
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"UNKNOWN({self.reason})" if self.reason else "UNKNOWN"

    def __str__(self) -> str:
        return "(unknown)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown)

    def __hash__(self) -> int:
        return hash(Unknown)

    def __bool__(self) -> bool:
        # Truthiness of an unknown is a bug waiting to happen: refuse it.
        raise TypeError("truth value of UNKNOWN is undefined; test is_unknown()")


UNKNOWN: Final = Unknown()


def is_unknown(value: object) -> bool:
    return isinstance(value, Unknown)


def contains_unknown(value: Any) -> bool:
    """True when the value or anything nested inside it is unknown."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False
