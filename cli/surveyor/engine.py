"""Run every enabled check against every resource it applies to."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from surveyor.checks.base import Check, CheckContext, Verdict
from surveyor.model import Resource, Result, Severity, Side, Status
from surveyor.model.types import ACCOUNT_ANCHOR
from surveyor.resourceset import ResourceSet, SourceError

logger = logging.getLogger(__name__)

SOURCE_ERROR_RULE = "SURVEYOR-INPUT"  # the rule id of unreadable-input results


def run_checks(
    checks: Iterable[Check],
    resources: ResourceSet,
    *,
    severity_overrides: dict[str, Severity] | None = None,
) -> list[Result]:
    """One result per (check, resource), plus ERROR results for missing data.

    A check that raises yields an ERROR for that resource and the scan goes on.
    """
    overrides = severity_overrides or {}
    results: list[Result] = [_source_error_result(e) for e in resources.source_errors]
    for check in checks:
        severity = overrides.get(check.meta.id, check.meta.severity)
        results.extend(_collection_error_results(check, severity, resources))
        for resource in resources.of_type(*check.meta.resource_types):
            if resource.side not in check.meta.sides:
                continue
            result = _evaluate_one(check, severity, resource, resources)
            if result is not None:
                results.append(result)
    return results


def _evaluate_one(
    check: Check, severity: Severity, resource: Resource, resources: ResourceSet
) -> Result | None:
    context = CheckContext(resources=resources, side=resource.side)
    try:
        if not check.applies_to(resource, context):
            return None
        verdict = check.evaluate(resource, context)
        if not isinstance(verdict, Verdict):
            raise TypeError(
                f"evaluate() returned {type(verdict).__name__}, not Verdict"
            )
    except Exception as exc:
        logger.debug(
            "check %s raised on %s", check.meta.id, resource.address, exc_info=True
        )
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
        verdict = Verdict(
            Status.ERROR, f"check raised {type(exc).__name__}: {exc} ({where})"
        )

    status, message = verdict.status, verdict.message
    if resource.errors and status in (Status.UNKNOWN, Status.PASS):
        # Data this resource needed was not collected: neither a PASS nor a shrug.
        status = Status.ERROR
        message = f"{message}; incomplete data: " + "; ".join(
            e.describe() for e in resource.errors
        )
    return Result(
        rule_id=check.meta.id,
        status=status,
        severity=severity,
        resource_type=resource.type,
        resource=resource.identity,
        message=message,
        side=resource.side,
        location=resource.location_of(verdict.attribute),
        attribute=verdict.attribute,
        arn=resource.arn,
        account=resource.account,
        region=resource.region,
    )


def _collection_error_results(
    check: Check, severity: Severity, resources: ResourceSet
) -> list[Result]:
    if Side.LIVE not in check.meta.sides:
        return []
    results = []
    for error in resources.errors_for(check.meta.resource_types):
        account = _account_of(resources)
        results.append(
            Result(
                rule_id=check.meta.id,
                status=Status.ERROR,
                severity=severity,
                resource_type=",".join(error.resource_types),
                resource=f"aws://{account or 'unknown-account'}/{error.region}",
                message=f"cannot evaluate: {error.describe()}",
                side=Side.LIVE,
                account=account,
                region=error.region,
            )
        )
    return results


def _account_of(resources: ResourceSet) -> str | None:
    anchors = resources.of_type(ACCOUNT_ANCHOR)
    return anchors[0].account if anchors else None


def _source_error_result(error: SourceError) -> Result:
    return Result(
        rule_id=SOURCE_ERROR_RULE,
        status=Status.ERROR,
        severity=Severity.HIGH,
        resource_type="file",
        resource=error.location.path if error.location else (error.path or "input"),
        message=error.message,
        location=error.location,
    )
