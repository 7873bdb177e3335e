"""GitHub Actions workflow commands: one annotation per finding, most severe first.

A step shows at most 10 errors, 10 warnings and 10 notices; past those limits
annotations vanish silently, so the rest are counted in one final notice.
"""

from __future__ import annotations

from surveyor.checks.base import RuleMeta
from surveyor.model import Result, Severity, Status
from surveyor.report import ScanReport
from surveyor.report._common import rules_by_id, title_of, with_status
from surveyor.resourceset import SourceNotice

LIMIT_PER_LEVEL = 10
LEVELS = ("error", "warning", "notice")
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def level_of(result: Result) -> str:
    return "error" if result.status is Status.ERROR else _LEVEL[result.severity]


def render(report: ScanReport) -> str:
    rules = rules_by_id(report)
    groups: dict[str, list[Result]] = {level: [] for level in LEVELS}
    for result in with_status(report.results, Status.FAIL, Status.ERROR):
        groups[level_of(result)].append(result)

    limits = _limits(groups, len(report.notices))
    lines: list[str] = []
    left_out = 0
    for level in LEVELS:
        shown = groups[level][: limits[level]]
        left_out += len(groups[level]) - len(shown)
        lines += [_command(level, result, rules) for result in shown]
        if level == "warning":  # modules not evaluated: after the findings
            room = max(limits[level] - len(shown), 0)
            notices = list(report.notices)
            lines += [_notice_command(n) for n in notices[:room]]
            left_out += len(notices[room:])
    if left_out:
        lines.append(
            f"::notice title=surveyor::{left_out} more finding(s) were not annotated "
            f"(GitHub shows {LIMIT_PER_LEVEL} per level per step); "
            "see the step summary or the SARIF report for all of them"
        )
    return "".join(f"{line}\n" for line in lines)


def _limits(groups: dict[str, list[Result]], notices: int = 0) -> dict[str, int]:
    """Keep one notice free for the 'not annotated' count when one is needed."""
    limits = dict.fromkeys(LEVELS, LIMIT_PER_LEVEL)
    counts = {level: len(groups[level]) for level in LEVELS}
    counts["warning"] += notices
    if any(counts[level] > limits[level] for level in LEVELS):
        limits["notice"] = LIMIT_PER_LEVEL - 1
    return limits


def _command(level: str, result: Result, rules: dict[str, RuleMeta]) -> str:
    properties: list[tuple[str, str]] = []
    if result.location is not None:
        start, end = result.location.start_line, result.location.end_line
        properties += [
            ("file", result.location.path),
            ("line", str(start)),
            ("endLine", str(max(end, start))),
        ]
    if result.status is Status.ERROR:
        title = f"{result.rule_id} could not be evaluated"
    else:
        title = f"{result.rule_id} {title_of(result, rules)}"
    properties.append(("title", title))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = f"{result.resource}: {result.message}"
    return f"::{level} {joined}::{escape_data(message)}"


def _notice_command(notice: SourceNotice) -> str:
    properties: list[tuple[str, str]] = []
    if notice.location is not None:
        start, end = notice.location.start_line, notice.location.end_line
        properties += [
            ("file", notice.location.path),
            ("line", str(start)),
            ("endLine", str(max(end, start))),
        ]
    properties.append(("title", "surveyor: not evaluated"))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::warning {joined}::{escape_data(notice.message)}"
