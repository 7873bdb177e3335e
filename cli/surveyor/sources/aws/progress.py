"""A progress bar on stderr while collecting, only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def done(self, label: str) -> None: ...


class _Quiet:
    def done(self, label: str) -> None:
        pass


class _Bar:
    def __init__(self, bar: object, task: object) -> None:
        self._bar = bar
        self._task = task

    def done(self, label: str) -> None:
        self._bar.update(self._task, advance=1, description=label)  # type: ignore[attr-defined]


@contextmanager
def progress(total: int, *, enabled: bool | None = None) -> Iterator[Progress]:
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield _Quiet()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as RichProgress

    bar = RichProgress(
        TextColumn("collecting {task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task("AWS", total=total)
        yield _Bar(bar, task)
