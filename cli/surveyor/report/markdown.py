"""The `$GITHUB_STEP_SUMMARY` page: counts, a capped findings table, waivers.

GitHub takes at most 1 MiB per step summary, so the findings table stops at
`MAX_ROWS` rows or `MAX_TABLE_BYTES` bytes and says how much it left out.
"""

from __future__ import annotations

import html

from surveyor.model import Result, Status
from surveyor.report import ScanReport
from surveyor.report._common import (
    SEVERITIES,
    STATUSES,
    count_by_status,
    location_text,
    plural,
    scanned_kinds,
    suppressed_per_rule,
    with_status,
)

MAX_ROWS = 500
MAX_TABLE_BYTES = 256 * 1024
MAX_MESSAGE_CHARS = 300
_MARKDOWN_SPECIAL = "\\`*_[]|"


def cell(text: str) -> str:
    """Text safe inside a table cell: no HTML, no Markdown, no row breaks."""
    escaped = html.escape(text, quote=False)
    for char in _MARKDOWN_SPECIAL:
        escaped = escaped.replace(char, f"\\{char}")
    return "<br>".join(part for part in escaped.replace("\r", "").split("\n"))


def render(report: ScanReport) -> str:
    lines = [f"## surveyor: {scanned_kinds(report)} scan", "", _headline(report), ""]
    lines += _count_table(report)
    lines += _findings_table(report)
    lines += _suppressed_table(report)
    lines += _collection_errors(report)
    lines += _not_evaluated(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _headline(report: ScanReport) -> str:
    counts = count_by_status(report.results)
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in STATUSES)
    return (
        f"{parts}. Scanned {plural(report.resource_count, 'resource')} "
        f"with {plural(len(report.rules), 'rule')}."
    )


def _count_table(report: ScanReport) -> list[str]:
    header = "| Severity | " + " | ".join(s.value for s in STATUSES) + " |"
    lines = [header, "|---|" + "---:|" * len(STATUSES)]
    for severity in SEVERITIES:
        row = [
            sum(1 for r in report.results if r.severity is severity and r.status is s)
            for s in STATUSES
        ]
        lines.append(f"| {severity.value} | " + " | ".join(map(str, row)) + " |")
    return [*lines, ""]


def _row(result: Result, anchor: str) -> str:
    severity = result.severity.value
    if result.status is Status.ERROR:
        severity = f"ERROR ({severity})"
    message = result.message
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 3] + "..."
    cells = (
        severity,
        result.rule_id,
        result.resource,
        location_text(result, anchor),
        message,
    )
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _findings_table(report: ScanReport) -> list[str]:
    findings = with_status(report.results, Status.FAIL, Status.ERROR)
    if not findings:
        return ["No failing findings and no errors.", ""]
    lines = [
        "### Findings",
        "",
        "| Severity | Rule | Resource | Location | Message |",
        "|---|---|---|---|---|",
    ]
    size = 0
    shown = 0
    for result in findings:
        row = _row(result, report.live_anchor)
        size += len(row.encode()) + 1
        if shown >= MAX_ROWS or size > MAX_TABLE_BYTES:
            break
        lines.append(row)
        shown += 1
    if shown < len(findings):
        lines += [
            "",
            f"_{len(findings) - shown} more of {len(findings)} findings not shown "
            "(the summary is capped); the SARIF and JSON reports hold them all._",
        ]
    return [*lines, ""]


def _suppressed_table(report: ScanReport) -> list[str]:
    per_rule = suppressed_per_rule(report.results)
    if not per_rule:
        return []
    lines = [
        "### Suppressed",
        "",
        "| Rule | Suppressed | Of findings | Share |",
        "|---|---:|---:|---:|",
    ]
    for rule, (ignored, total) in per_rule.items():
        lines.append(
            f"| {cell(rule)} | {ignored} | {total} | {100 * ignored // total}% |"
        )
    return [*lines, ""]


def _collection_errors(report: ScanReport) -> list[str]:
    if not report.collection_errors:
        return []
    lines = ["### Partial collection", "", "These API calls failed:", ""]
    lines += [f"- {cell(error.describe())}" for error in report.collection_errors]
    return [*lines, ""]


def _not_evaluated(report: ScanReport) -> list[str]:
    if not report.notices:
        return []
    lines = ["### Not evaluated", "", "No rule judged these inputs:", ""]
    lines += [f"- {cell(notice.message)}" for notice in report.notices]
    return [*lines, ""]
