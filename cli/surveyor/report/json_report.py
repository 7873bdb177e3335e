"""The machine-readable report: every result, versioned by `schema_version`.

The shape is described by `surveyor/schemas/report-v1.json` (JSON Schema draft
2020-12). Additive changes keep version 1; a removed or retyped field bumps it.
"""

from __future__ import annotations

from typing import Any

from surveyor.model import CollectionError, Result
from surveyor.report import ScanReport
from surveyor.report._common import (
    count_by_severity,
    count_by_status,
    dump_json,
    fingerprint,
    ordered,
    suppressed_per_rule,
)
from surveyor.report.rule_info import rule_summary
from surveyor.resourceset import SourceNotice

SCHEMA_VERSION = "1.0"
SCHEMA_RESOURCE = "report-v1.json"


def render(report: ScanReport) -> str:
    return dump_json(report_document(report), len(report.results))


def report_document(report: ScanReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "surveyor", "version": report.tool_version},
        "scan": {
            "kinds": list(report.kinds),
            "root": report.root.as_posix(),
            "started_at": report.started_at,
            "finished_at": report.finished_at,
            "resource_count": report.resource_count,
            "accounts": list(report.accounts),
            "regions": list(report.regions),
        },
        "counts": {
            "by_status": count_by_status(report.results),
            "failures_by_severity": count_by_severity(report.results),
            "suppressed_by_rule": {
                rule: {"suppressed": ignored, "total": total}
                for rule, (ignored, total) in suppressed_per_rule(
                    report.results
                ).items()
            },
            "rules_run": len(report.rules),
        },
        "collection_errors": [_collection_error(e) for e in report.collection_errors],
        "notices": [_notice(n) for n in report.notices],
        "rules": [rule_summary(meta) for meta in sorted(report.rules, key=_rule_id)],
        "results": [_result(r) for r in ordered(report.results)],
    }


def _rule_id(meta: Any) -> str:
    return str(meta.id)


def _notice(notice: SourceNotice) -> dict[str, Any]:
    where = notice.location
    return {
        "message": notice.message,
        "path": where.path if where else None,
        "start_line": where.start_line if where else None,
        "end_line": where.end_line if where else None,
    }


def _collection_error(error: CollectionError) -> dict[str, Any]:
    return {
        "operation": error.operation,
        "region": error.region,
        "code": error.code,
        "message": error.message,
        "resource_types": list(error.resource_types),
        "resource_id": error.resource_id,
    }


def _result(result: Result) -> dict[str, Any]:
    location = result.location
    waiver = result.suppression
    return {
        "status": result.status.value,
        "rule_id": result.rule_id,
        "severity": result.severity.value,
        "resource": result.resource,
        "resource_type": result.resource_type,
        "side": result.side.value if result.side is not None else None,
        "location": (
            {
                "path": location.path,
                "start_line": location.start_line,
                "end_line": location.end_line,
            }
            if location is not None
            else None
        ),
        "attribute": result.attribute,
        "arn": result.arn,
        "account": result.account,
        "region": result.region,
        "message": result.message,
        "fingerprint": fingerprint(result),
        "suppression": (
            {
                "reason": waiver.reason,
                "source": waiver.source,
                "owner": waiver.owner,
                "expires": waiver.expires,
            }
            if waiver is not None
            else None
        ),
    }
