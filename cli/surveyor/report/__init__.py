"""Report writers: pure functions from a finished scan to text or bytes."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from surveyor.checks.base import RuleMeta
from surveyor.model import CollectionError, Result
from surveyor.resourceset import SourceNotice

# Format name -> module under surveyor.report defining `render(ScanReport) -> str`.
# Imported only when asked for, so one format's dependencies never slow another.
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
    "junit": "junit",
}


@dataclass(frozen=True)
class ScanReport:
    """Everything a writer may show; nothing a writer computes is fed back."""

    results: Sequence[Result]
    rules: Sequence[RuleMeta]  # every rule that ran, for SARIF's rule table
    root: Path  # the scan root; locations are relative to it
    kinds: tuple[str, ...]  # "terraform", "aws": what was scanned
    tool_version: str
    started_at: str  # ISO 8601 UTC
    finished_at: str
    resource_count: int = 0
    collection_errors: Sequence[CollectionError] = ()
    # Inputs not evaluated (e.g. a module whose source is not on disk).
    notices: Sequence[SourceNotice] = ()
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    # SARIF for upload leaves suppressed results out; JSON and text keep them.
    include_suppressed_in_sarif: bool = False
    color: bool = False  # text only: set by the CLI when the output is a TTY
    # Where a live result with no matching Terraform block is placed, so that
    # GitHub (which rejects results without a file location) accepts the upload.
    live_anchor: str = ".surveyor.toml"
    extra: dict[str, object] = field(default_factory=dict)


Renderer = Callable[[ScanReport], str]


def renderer(format_name: str) -> Renderer:
    if format_name not in FORMATS:
        raise ValueError(
            f"unknown format {format_name!r}; use one of {', '.join(FORMATS)}"
        )
    module = importlib.import_module(f"surveyor.report.{FORMATS[format_name]}")
    render: Renderer = module.render
    return render
