"""The engine: one result per (check, resource); failures become ERROR data."""

from __future__ import annotations

from typing import ClassVar

from surveyor.checks import (
    Check,
    CheckContext,
    Remediation,
    RuleMeta,
    Severity,
    Side,
    Verdict,
)
from surveyor.engine import SOURCE_ERROR_RULE, run_checks
from surveyor.model import UNKNOWN, CollectionError, Location, Resource, Status
from surveyor.resourceset import ResourceSet, SourceError


def meta(
    rule_id: str = "T-S3-001", sides: frozenset[Side] = frozenset(Side)
) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        title="acl is private",
        severity=Severity.HIGH,
        resource_types=("aws_s3_bucket",),
        description="d",
        rationale="r",
        remediation=Remediation("t", "c"),
        runbook="rb",
        sides=sides,
        side_reason="" if sides == frozenset(Side) else "test",
    )


class PrivateAcl(Check):
    meta: ClassVar[RuleMeta] = meta()

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        acl = resource.get("acl")
        if acl is UNKNOWN:
            return Verdict.unknown("acl is not known statically", "acl")
        if acl == "private":
            return Verdict.passed("acl is private", "acl")
        return Verdict.failed(f'acl = "{acl}"', "acl")


class Exploding(Check):
    meta: ClassVar[RuleMeta] = meta("T-S3-002")

    def evaluate(self, resource: Resource, context: CheckContext) -> Verdict:
        raise KeyError("versioning")


def bucket(address: str, acl: object, side: Side = Side.IAC, **kw: object) -> Resource:
    return Resource(
        type="aws_s3_bucket",
        address=address,
        attributes={"acl": acl},
        side=side,
        location=Location("main.tf", 1, 9),
        attribute_locations={"acl": Location("main.tf", 3, 3)},
        **kw,  # type: ignore[arg-type]
    )


def test_each_status_and_the_attribute_line() -> None:
    resources = ResourceSet(
        [
            bucket("a.ok", "private"),
            bucket("a.bad", "public-read"),
            bucket("a.maybe", UNKNOWN),
        ]
    )
    results = {r.resource: r for r in run_checks([PrivateAcl()], resources)}
    assert {k: v.status for k, v in results.items()} == {
        "a.ok": Status.PASS,
        "a.bad": Status.FAIL,
        "a.maybe": Status.UNKNOWN,
    }
    assert results["a.bad"].location == Location("main.tf", 3, 3)
    assert results["a.bad"].message == 'acl = "public-read"'


def test_a_raising_check_is_an_error_result_and_the_scan_goes_on() -> None:
    resources = ResourceSet([bucket("a.ok", "private")])
    results = run_checks([Exploding(), PrivateAcl()], resources)
    statuses = {(r.rule_id, r.status) for r in results}
    assert statuses == {("T-S3-002", Status.ERROR), ("T-S3-001", Status.PASS)}
    error = next(r for r in results if r.status is Status.ERROR)
    assert "KeyError" in error.message and "test_engine.py" in error.message


def test_resource_with_missing_data_never_passes() -> None:
    missing = CollectionError(
        "s3:GetBucketAcl",
        "us-east-1",
        "AccessDenied",
        "denied",
        ("aws_s3_bucket",),
        "arn:aws:s3:::b",
    )
    resources = ResourceSet(
        [
            bucket(
                "arn:aws:s3:::b",
                "private",
                side=Side.LIVE,
                arn="arn:aws:s3:::b",
                errors=(missing,),
            )
        ]
    )
    (result,) = run_checks([PrivateAcl()], resources)
    assert result.status is Status.ERROR
    assert (
        "s3:GetBucketAcl in us-east-1" in result.message
        and "AccessDenied" in result.message
    )


def test_a_failed_list_call_is_an_error_for_rules_needing_that_type() -> None:
    denied = CollectionError(
        "s3:ListBuckets", "global", "AccessDenied", "no", ("aws_s3_bucket",)
    )
    other = CollectionError(
        "rds:DescribeDBInstances",
        "us-east-1",
        "AccessDenied",
        "no",
        ("aws_db_instance",),
    )
    results = run_checks([PrivateAcl()], ResourceSet(collection_errors=[denied, other]))
    assert len(results) == 1
    assert results[0].status is Status.ERROR
    assert "s3:ListBuckets" in results[0].message


def test_rules_only_run_on_the_sides_they_declare() -> None:
    class LiveOnly(PrivateAcl):
        meta = meta("T-S3-003", frozenset({Side.LIVE}))

    resources = ResourceSet([bucket("a.bad", "public-read")])
    assert run_checks([LiveOnly()], resources) == []


def test_unreadable_input_is_an_error_result() -> None:
    resources = ResourceSet(
        source_errors=[
            SourceError("main.tf:4: unexpected token", Location("main.tf", 4, 4))
        ]
    )
    (result,) = run_checks([], resources)
    assert (result.rule_id, result.status, result.location) == (
        SOURCE_ERROR_RULE,
        Status.ERROR,
        Location("main.tf", 4, 4),
    )


def test_severity_override_applies() -> None:
    resources = ResourceSet([bucket("a.bad", "public-read")])
    (result,) = run_checks(
        [PrivateAcl()], resources, severity_overrides={"T-S3-001": Severity.LOW}
    )
    assert result.severity is Severity.LOW
