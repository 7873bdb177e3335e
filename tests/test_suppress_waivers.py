"""Config waivers: globs on rule and resource, expiry, and what they carry."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from surveyor.config import Waiver
from surveyor.model import Result, Severity, Side, Status
from surveyor.resourceset import ResourceSet
from surveyor.suppress import apply_suppressions

ARN = "arn:aws:s3:::legacy-logs"
TODAY = dt.date(2026, 12, 4)


def result(
    rule_id: str = "AWS-S3-004", resource: str = "aws_s3_bucket.legacy_logs"
) -> Result:
    return Result(
        rule_id=rule_id,
        status=Status.FAIL,
        severity=Severity.MEDIUM,
        resource_type="aws_s3_bucket",
        resource=resource,
        message="versioning is not configured",
        side=Side.IAC,
    )


def live_result() -> Result:
    return Result(
        rule_id="AWS-S3-004",
        status=Status.FAIL,
        severity=Severity.MEDIUM,
        resource_type="aws_s3_bucket",
        resource=ARN,
        message="versioning is not configured",
        side=Side.LIVE,
        arn=ARN,
    )


def apply(results: list[Result], *waivers: Waiver) -> list[Result]:
    return apply_suppressions(
        results,
        ResourceSet(),
        root=Path("/nonexistent"),
        waivers=waivers,
        waiver_source="config:.surveyor.toml",
        today=TODAY,
    )


def test_a_waiver_suppresses_matching_rule_and_resource() -> None:
    waiver = Waiver(
        rule="AWS-S3-*",
        resource="aws_s3_bucket.legacy*",
        reason="migrating in Q1",
        owner="alice",
        expires=dt.date(2027, 3, 31),
    )

    hit, other_rule, other_resource = apply(
        [result(), result("AWS-EC2-001"), result(resource="aws_s3_bucket.new")], waiver
    )

    assert hit.status is Status.SUPPRESSED
    assert hit.suppression is not None
    assert hit.suppression.source == "config:.surveyor.toml"
    assert hit.suppression.reason == "migrating in Q1"
    assert hit.suppression.owner == "alice"
    assert hit.suppression.expires == "2027-03-31"
    assert other_rule.status is Status.FAIL
    assert other_resource.status is Status.FAIL


def test_a_waiver_without_resource_covers_every_resource() -> None:
    (out,) = apply([result()], Waiver(rule="AWS-S3-004", reason="accepted"))
    assert out.status is Status.SUPPRESSED


def test_a_waiver_matches_a_live_resource_by_arn() -> None:
    waiver = Waiver(rule="AWS-S3-004", resource="arn:aws:s3:::legacy-*", reason="r")
    (out,) = apply([live_result()], waiver)
    assert out.status is Status.SUPPRESSED


def test_a_waiver_applies_through_its_expiry_day() -> None:
    (out,) = apply([result()], Waiver(rule="AWS-S3-004", reason="r", expires=TODAY))
    assert out.status is Status.SUPPRESSED


def test_an_expired_waiver_stops_applying_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    expired = Waiver(
        rule="AWS-S3-004", reason="r", expires=dt.date(2026, 12, 3), line=7
    )

    with caplog.at_level(logging.WARNING, logger="surveyor.suppress"):
        first, second = apply([result(), result(resource="aws_s3_bucket.b")], expired)
    assert second.status is Status.FAIL

    assert first.status is Status.FAIL
    assert first.suppression is None
    assert "waiver at config:.surveyor.toml:7 expired on 2026-12-03" in first.message
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # once per waiver, not per result
    assert warnings[0].startswith(".surveyor.toml:7: waiver for AWS-S3-004 expired")


def test_a_later_valid_waiver_still_applies_after_an_expired_one() -> None:
    expired = Waiver(rule="AWS-S3-004", reason="old", expires=dt.date(2026, 1, 1))
    current = Waiver(rule="AWS-S3-004", reason="renewed")

    (out,) = apply([result()], expired, current)

    assert out.status is Status.SUPPRESSED
    assert out.suppression is not None
    assert out.suppression.reason == "renewed"


def test_errors_are_never_waived() -> None:
    error = Result(
        rule_id="AWS-S3-004",
        status=Status.ERROR,
        severity=Severity.MEDIUM,
        resource_type="aws_s3_bucket",
        resource=ARN,
        message="s3:GetBucketVersioning failed: AccessDenied",
        side=Side.LIVE,
        arn=ARN,
    )
    (out,) = apply([error], Waiver(rule="*", reason="everything"))
    assert out.status is Status.ERROR


def test_a_waiver_that_matches_nothing_is_reported_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    used = Waiver(rule="AWS-S3-004", reason="legacy", line=3)
    stale = Waiver(
        rule="AWS-EC2-001", resource="aws_security_group.gone", reason="r", line=9
    )
    with caplog.at_level(logging.WARNING, logger="surveyor.suppress"):
        (out,) = apply([result()], used, stale)
    assert out.status is Status.SUPPRESSED
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        ".surveyor.toml:9: waiver for AWS-EC2-001 matched no finding in this scan; "
        "remove it if the finding is fixed, or check its rule and resource"
    ]
