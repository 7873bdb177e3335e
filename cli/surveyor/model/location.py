"""Where a resource or one of its attributes is written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A span in a file; `path` is relative to the scan root, POSIX separators."""

    path: str
    start_line: int
    end_line: int

    def at_line(self, line: int) -> Location:
        return Location(self.path, line, line)

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}"
