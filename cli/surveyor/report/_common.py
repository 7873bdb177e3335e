"""Ordering, counting and small formatting helpers every writer shares."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from surveyor.checks.base import RuleMeta
from surveyor.engine import SOURCE_ERROR_RULE
from surveyor.model import Result, Severity, Side, Status
from surveyor.report import ScanReport

SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: -s.rank))
STATUSES: tuple[Status, ...] = (
    Status.FAIL,
    Status.ERROR,
    Status.UNKNOWN,
    Status.SUPPRESSED,
    Status.PASS,
)
_STATUS_ORDER = {status: index for index, status in enumerate(STATUSES)}


def result_key(result: Result) -> tuple[int, int, str, str, str, int]:
    """Most severe first, then FAIL before ERROR, then by rule, resource, place."""
    location = result.location
    return (
        -result.severity.rank,
        _STATUS_ORDER[result.status],
        result.rule_id,
        result.resource,
        location.path if location else "",
        location.start_line if location else 0,
    )


def ordered(results: Iterable[Result]) -> list[Result]:
    return sorted(results, key=result_key)


def with_status(results: Iterable[Result], *statuses: Status) -> list[Result]:
    return ordered(r for r in results if r.status in statuses)


def count_by_status(results: Iterable[Result]) -> dict[str, int]:
    counts = Counter(r.status for r in results)
    return {status.value: counts.get(status, 0) for status in STATUSES}


def count_by_severity(results: Iterable[Result], *statuses: Status) -> dict[str, int]:
    """Results of the given statuses (FAIL by default) per severity, all levels."""
    wanted = statuses or (Status.FAIL,)
    counts = Counter(r.severity for r in results if r.status in wanted)
    return {severity.value: counts.get(severity, 0) for severity in SEVERITIES}


def suppressed_per_rule(results: Iterable[Result]) -> dict[str, tuple[int, int]]:
    """Rule id -> (suppressed, suppressed + failed): the share of ignored findings."""
    suppressed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for result in results:
        if result.status is Status.SUPPRESSED:
            suppressed[result.rule_id] += 1
        elif result.status is Status.FAIL:
            failed[result.rule_id] += 1
    return {
        rule: (suppressed[rule], suppressed[rule] + failed[rule])
        for rule in sorted(suppressed)
    }


def rules_by_id(report: ScanReport) -> dict[str, RuleMeta]:
    return {meta.id: meta for meta in report.rules}


def fingerprint(result: Result) -> str:
    """Stable identity of a finding across scans: rule, side and resource.

    Never a line number, so moving a block or re-ordering files keeps it.
    """
    import hashlib

    side = side_text(result.side)
    text = "\x1f".join((result.rule_id, side, result.resource))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def location_text(result: Result, live_anchor: str | None = None) -> str:
    """`path:line` for a placed result, else the account/region it was seen in.

    A live result parked on the anchor file (so GitHub accepts it) is shown
    by account and region: the anchor line tells a person nothing.
    """
    location = result.location
    parked = (
        location is not None
        and result.side is Side.LIVE
        and live_anchor is not None
        and location.path == live_anchor
    )
    if location is not None and not parked:
        return f"{location.path}:{location.start_line}"
    where = "/".join(part for part in (result.account, result.region) if part)
    return where or "-"


def relative_uri(path: str, root: Path) -> str:
    """A POSIX path relative to the scan root, without a leading `./`."""
    candidate = Path(path)
    if candidate.is_absolute():
        # Outside the root: keep it absolute rather than invent a path.
        with contextlib.suppress(ValueError):
            candidate = candidate.relative_to(root)
    text = PurePosixPath(candidate.as_posix()).as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def scanned_kinds(report: ScanReport) -> str:
    """ "terraform", "aws" or "terraform+aws": a stable name for what was read."""
    known = [kind for kind in _KIND_ORDER if kind in report.kinds]
    others = sorted(kind for kind in set(report.kinds) if kind not in _KIND_ORDER)
    return "+".join(known + others) or "none"


_KIND_ORDER = ("terraform", "aws")


def side_text(side: Side | None) -> str:
    return side.value if side is not None else "input"


# Results the framework itself makes carry rule ids no check defines.
FRAMEWORK_RULES: dict[str, str] = {
    SOURCE_ERROR_RULE: "Input could not be read",
    "SURVEYOR-SUPPRESS": "Inline suppression without a rule id or a reason",
}


def title_of(result: Result, rules: dict[str, RuleMeta]) -> str:
    meta = rules.get(result.rule_id)
    if meta is not None:
        return meta.title
    return FRAMEWORK_RULES.get(result.rule_id, result.rule_id)


def one_line(text: str) -> str:
    return " ".join(text.split())


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def rule_ids(results: Sequence[Result]) -> list[str]:
    return sorted({r.rule_id for r in results})


# Indented JSON goes through the pure-Python encoder (about 5x slower); big
# documents are written compact, which also keeps SARIF under upload limits.
PRETTY_JSON_MAX_RESULTS = 2000


def dump_json(document: object, result_count: int) -> str:
    import json

    if result_count <= PRETTY_JSON_MAX_RESULTS:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
