"""SARIF 2.1.0 for GitHub code scanning: one run per scan, upload-safe.

Follows what GitHub accepts (see FACTS.md): every result has a file location
(live results without matching code sit on `report.live_anchor`, line 1),
suppressed results are left out unless asked for, UNKNOWN results are only
counted, and live results carry a fingerprint made from rule id and ARN.

The run's category (`automationDetails.id`) is `surveyor/<kinds>/` where kinds
is `terraform`, `aws` or `terraform+aws` when one scan read both; set
`report.extra["sarif_category"]` to override it (e.g. one per account).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from surveyor.model import Result, Side, Status
from surveyor.report import ScanReport
from surveyor.report._common import (
    dump_json,
    fingerprint,
    ordered,
    relative_uri,
    scanned_kinds,
)
from surveyor.report.sarif_rules import (
    INFORMATION_URI,
    framework_descriptor,
    level_for,
    rule_descriptor,
)
from surveyor.resourceset import SourceNotice

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000  # GitHub rejects a run with more
FINGERPRINT_KEY = "surveyor/v1"


def render(report: ScanReport) -> str:
    return dump_json(sarif_log(report), len(report.results))


def sarif_log(report: ScanReport) -> dict[str, Any]:
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [_run(report)]}


def category(report: ScanReport) -> str:
    override = report.extra.get("sarif_category")
    if isinstance(override, str) and override:
        return override if override.endswith("/") else f"{override}/"
    return f"surveyor/{scanned_kinds(report)}/"


def _reported(report: ScanReport) -> list[Result]:
    statuses = {Status.FAIL, Status.ERROR}
    if report.include_suppressed_in_sarif:
        statuses.add(Status.SUPPRESSED)
    return [r for r in ordered(report.results) if r.status in statuses]


def _run(report: ScanReport) -> dict[str, Any]:
    reported = _reported(report)
    kept, dropped = reported[:MAX_RESULTS], len(reported) - MAX_RESULTS
    descriptors, index = _rule_table(report, kept)
    statuses = Counter(r.status for r in report.results)
    root_uri = report.root.absolute().as_uri().rstrip("/") + "/"
    return {
        "tool": {
            "driver": {
                "name": "surveyor",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "automationDetails": {"id": category(report)},
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
        "invocations": [
            {
                "executionSuccessful": True,
                "startTimeUtc": report.started_at,
                "endTimeUtc": report.finished_at,
                "toolExecutionNotifications": _notifications(
                    report, index, max(dropped, 0)
                ),
            }
        ],
        "results": [_result(report, r, index) for r in kept],
        "properties": {
            "kinds": list(report.kinds),
            "resourceCount": report.resource_count,
            "rulesRun": len(report.rules),
            "failCount": statuses.get(Status.FAIL, 0),
            "errorCount": statuses.get(Status.ERROR, 0),
            "unknownCount": statuses.get(Status.UNKNOWN, 0),
            "suppressedCount": statuses.get(Status.SUPPRESSED, 0),
            "passCount": statuses.get(Status.PASS, 0),
            "droppedForLimit": max(dropped, 0),
            "collectionErrorCount": len(report.collection_errors),
        },
    }


def _rule_table(
    report: ScanReport, results: list[Result]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every rule that ran, by id, then framework rules that results name."""
    descriptors = [rule_descriptor(m) for m in sorted(report.rules, key=_meta_id)]
    known = {d["id"] for d in descriptors}
    extra_ids = sorted({r.rule_id for r in report.results} - known)
    descriptors += [framework_descriptor(rule_id) for rule_id in extra_ids]
    return descriptors, {d["id"]: i for i, d in enumerate(descriptors)}


def _meta_id(meta: Any) -> str:
    return str(meta.id)


def _result(
    report: ScanReport, result: Result, index: dict[str, int]
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "ruleId": result.rule_id,
        "ruleIndex": index[result.rule_id],
        "level": "error"
        if result.status is Status.ERROR
        else level_for(result.severity),
        "message": {"text": _message(result)},
        "locations": [_location(report, result)],
        "partialFingerprints": _fingerprints(result),
        "properties": _properties(result),
    }
    if result.status is Status.SUPPRESSED:
        entry["suppressions"] = [_suppression(result)]
    return entry


def _message(result: Result) -> str:
    if result.status is Status.ERROR and result.side is None:
        return (
            f"Input could not be read, so nothing in it was checked: {result.message}"
        )
    if result.status is Status.ERROR:
        return (
            f"{result.rule_id} could not be evaluated on {result.resource}: "
            f"{result.message}. This is not a pass; fix the cause and scan again."
        )
    return result.message or result.rule_id


def _location(report: ScanReport, result: Result) -> dict[str, Any]:
    if result.location is not None:
        uri = relative_uri(result.location.path, report.root)
        start, end = result.location.start_line, result.location.end_line
    else:
        uri, start, end = relative_uri(report.live_anchor, report.root), 1, 1
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
            "region": {"startLine": max(start, 1), "endLine": max(end, start, 1)},
        }
    }
    if result.side is not None:
        location["logicalLocations"] = [
            {
                "fullyQualifiedName": result.arn or result.resource,
                "kind": "resource",
            }
        ]
    return location


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _fingerprints(result: Result) -> dict[str, str]:
    """Stable across scans; never derived from a line number.

    GitHub computes primaryLocationLineHash itself for file findings, so it is
    only set for live results, from the rule id and ARN.
    """
    prints = {FINGERPRINT_KEY: fingerprint(result)}
    if result.side is Side.LIVE:
        identity = result.arn or result.resource
        prints["primaryLocationLineHash"] = (
            f"{_digest(result.rule_id, identity)[:16]}:1"
        )
    return prints


def _properties(result: Result) -> dict[str, Any]:
    properties = {
        "status": result.status.value,
        "severity": result.severity.value,
        "resource": result.resource,
        "resourceType": result.resource_type,
        "side": result.side.value if result.side is not None else None,
        "attribute": result.attribute,
        "account": result.account,
        "region": result.region,
    }
    return {key: value for key, value in properties.items() if value is not None}


def _suppression(result: Result) -> dict[str, Any]:
    waiver = result.suppression
    if waiver is None:
        return {"kind": "external", "status": "accepted"}
    entry: dict[str, Any] = {
        "kind": "inSource" if waiver.source == "inline" else "external",
        "status": "accepted",
        "justification": waiver.reason,
    }
    details = {
        "source": waiver.source,
        "owner": waiver.owner,
        "expires": waiver.expires,
    }
    entry["properties"] = {k: v for k, v in details.items() if v is not None}
    return entry


def _notifications(
    report: ScanReport, index: dict[str, int], dropped: int
) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = []
    for result in (r for r in ordered(report.results) if r.status is Status.ERROR):
        notes.append(
            {
                "descriptor": {"id": "surveyor/evaluation-error"},
                "associatedRule": {
                    "id": result.rule_id,
                    "index": index[result.rule_id],
                },
                "level": "error",
                "message": {"text": _message(result)},
            }
        )
    for error in report.collection_errors:
        notes.append(
            {
                "descriptor": {"id": "surveyor/collection-error"},
                "level": "error",
                "message": {"text": f"Partial collection: {error.describe()}"},
            }
        )
    notes.extend(_not_evaluated(report, notice) for notice in report.notices)
    unknown = Counter(r.rule_id for r in report.results if r.status is Status.UNKNOWN)
    for rule_id, count in sorted(unknown.items()):
        notes.append(
            {
                "descriptor": {"id": "surveyor/unknown"},
                "associatedRule": {"id": rule_id, "index": index[rule_id]},
                "level": "note",
                "message": {
                    "text": f"{rule_id}: {count} result(s) UNKNOWN (they depend on "
                    "values not known statically) and are not reported as results."
                },
            }
        )
    if dropped:
        notes.append(
            {
                "descriptor": {"id": "surveyor/results-dropped"},
                "level": "warning",
                "message": {
                    "text": f"{dropped} less severe result(s) were left out: a SARIF "
                    f"run holds at most {MAX_RESULTS} results. See the JSON report."
                },
            }
        )
    return notes


def _not_evaluated(report: ScanReport, notice: SourceNotice) -> dict[str, Any]:
    note: dict[str, Any] = {
        "descriptor": {"id": "surveyor/not-evaluated"},
        "level": "warning",
        "message": {"text": notice.message},
    }
    where = notice.location
    if where is not None:
        note["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": relative_uri(where.path, report.root),
                        "uriBaseId": SRCROOT,
                    },
                    "region": {
                        "startLine": max(where.start_line, 1),
                        "endLine": max(where.end_line, where.start_line, 1),
                    },
                }
            }
        ]
    return note
