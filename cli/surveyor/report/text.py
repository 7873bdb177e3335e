"""The terminal report: findings by severity, then what could not be judged."""

from __future__ import annotations

from collections.abc import Callable

from surveyor.checks.base import RuleMeta
from surveyor.model import Result, Severity, Status
from surveyor.report import ScanReport
from surveyor.report._common import (
    SEVERITIES,
    count_by_severity,
    count_by_status,
    location_text,
    plural,
    rules_by_id,
    scanned_kinds,
    suppressed_per_rule,
    title_of,
    with_status,
)

_SEVERITY_COLOUR = {
    Severity.CRITICAL: "1;35",
    Severity.HIGH: "1;31",
    Severity.MEDIUM: "33",
    Severity.LOW: "36",
    Severity.INFO: "2",
}
_SECTION_COLOUR = {"ERROR": "1;31", "UNKNOWN": "35", "SUPPRESSED": "2"}

Paint = Callable[[str, str], str]


def render(report: ScanReport) -> str:
    paint = _ansi if report.color else _plain
    rules = rules_by_id(report)
    lines = [_header(report), ""]
    lines += _findings(report, rules, paint)
    lines += _errors(report, rules, paint)
    lines += _unknowns(report, rules, paint)
    lines += _suppressed(report, paint)
    lines += _partial_collection(report, paint)
    lines += _not_evaluated(report, paint)
    lines += _summary(report, paint)
    return "\n".join(lines) + "\n"


def _ansi(code: str, text: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m"


def _plain(code: str, text: str) -> str:
    return text


def _header(report: ScanReport) -> str:
    where = str(report.root)
    if report.accounts:
        where += f", account {', '.join(report.accounts)}"
    return (
        f"surveyor {report.tool_version}: {scanned_kinds(report)} scan of {where} "
        f"({report.started_at})"
    )


def _entry(
    result: Result, rules: dict[str, RuleMeta], tag: str, anchor: str
) -> list[str]:
    lines = [f"  {tag}{result.rule_id}  {title_of(result, rules)}"]
    lines.append(f"    resource  {result.resource}")
    lines.append(f"    location  {location_text(result, anchor)}")
    lines += [f"    {line}" for line in result.message.splitlines() or [""]]
    return lines


def _findings(
    report: ScanReport, rules: dict[str, RuleMeta], paint: Paint
) -> list[str]:
    failed = with_status(report.results, Status.FAIL)
    lines: list[str] = []
    for severity in SEVERITIES:
        group = [r for r in failed if r.severity is severity]
        if not group:
            continue
        heading = f"{severity.value.upper()} ({len(group)})"
        lines.append(paint(_SEVERITY_COLOUR[severity], heading))
        for result in group:
            lines += [*_entry(result, rules, "", report.live_anchor), ""]
    if not failed:
        lines += ["No failing findings.", ""]
    return lines


def _errors(report: ScanReport, rules: dict[str, RuleMeta], paint: Paint) -> list[str]:
    heading = "could not be evaluated; not a pass"
    return _section(
        report, rules, paint, status=Status.ERROR, name="ERRORS", explanation=heading
    )


def _unknowns(
    report: ScanReport, rules: dict[str, RuleMeta], paint: Paint
) -> list[str]:
    heading = "depends on values not known statically"
    return _section(
        report, rules, paint, status=Status.UNKNOWN, name="UNKNOWN", explanation=heading
    )


def _section(
    report: ScanReport,
    rules: dict[str, RuleMeta],
    paint: Paint,
    *,
    status: Status,
    name: str,
    explanation: str,
) -> list[str]:
    results = with_status(report.results, status)
    if not results:
        return []
    heading = f"{name} ({len(results)}): {explanation}"
    lines = [paint(_SECTION_COLOUR[status.value], heading)]
    for result in results:
        lines += [
            *_entry(result, rules, f"{result.severity.value} ", report.live_anchor),
            "",
        ]
    return lines


def _suppressed(report: ScanReport, paint: Paint) -> list[str]:
    suppressed = with_status(report.results, Status.SUPPRESSED)
    if not suppressed:
        return []
    lines = [paint(_SECTION_COLOUR["SUPPRESSED"], f"SUPPRESSED ({len(suppressed)})")]
    for rule, (ignored, total) in suppressed_per_rule(report.results).items():
        share = round(100 * ignored / total)
        counted = plural(total, "finding")
        lines.append(f"  {rule}: {ignored} of {counted} ignored ({share}%)")
        for result in (r for r in suppressed if r.rule_id == rule):
            where = location_text(result, report.live_anchor)
            lines.append(f"    {result.resource}  {where}")
            lines.append(f"      {_waiver_text(result)}")
    return [*lines, ""]


def _waiver_text(result: Result) -> str:
    waiver = result.suppression
    if waiver is None:
        return "reason: (none recorded)"
    details = [waiver.source]
    if waiver.owner:
        details.append(f"owner {waiver.owner}")
    if waiver.expires:
        details.append(f"expires {waiver.expires}")
    return f"reason: {waiver.reason} ({', '.join(details)})"


def _partial_collection(report: ScanReport, paint: Paint) -> list[str]:
    if not report.collection_errors:
        return []
    count = len(report.collection_errors)
    heading = f"PARTIAL COLLECTION ({count}): these API calls failed"
    lines = [paint(_SECTION_COLOUR["ERROR"], heading)]
    for error in report.collection_errors:
        types = ", ".join(error.resource_types)
        affects = f" (affects {types})" if types else ""
        lines.append(f"  {error.describe()}{affects}")
    return [*lines, ""]


def _not_evaluated(report: ScanReport, paint: Paint) -> list[str]:
    if not report.notices:
        return []
    count = len(report.notices)
    heading = f"NOT EVALUATED ({count}): these inputs were not judged by any rule"
    lines = [paint(_SECTION_COLOUR["UNKNOWN"], heading)]
    lines += [f"  {notice.message}" for notice in report.notices]
    return [*lines, ""]


def _summary(report: ScanReport, paint: Paint) -> list[str]:
    by_status = count_by_status(report.results)
    by_severity = count_by_severity(report.results)
    statuses = ", ".join(f"{count} {name}" for name, count in by_status.items())
    severities = ", ".join(f"{count} {name}" for name, count in by_severity.items())
    return [
        paint("1", "Summary"),
        f"  results   {statuses}",
        f"  failures  {severities}",
        f"  scanned   {plural(report.resource_count, 'resource')}, "
        f"{plural(len(report.rules), 'rule')}",
    ]
