"""Hand-built scans shared by the report tests (imported as a sibling module)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from surveyor.checks.base import Remediation, RuleMeta
from surveyor.model import CollectionError, Location, Result, Severity, Side, Status
from surveyor.model.result import Suppression
from surveyor.report import ScanReport

ACCOUNT = "123456789012"
LIVE_BUCKET = "arn:aws:s3:::prod-logs"


def make_rule(
    rule_id: str,
    severity: Severity,
    title: str = "",
    *,
    attack: tuple[str, ...] = (),
    compliance: dict[str, tuple[str, ...]] | None = None,
    sides: frozenset[Side] = frozenset(Side),
    sla: timedelta | None = None,
) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        title=title or f"Title of {rule_id}",
        severity=severity,
        resource_types=("aws_s3_bucket",),
        description=f"What {rule_id} looks for.",
        rationale=f"Why {rule_id} matters.",
        remediation=Remediation(
            terraform='resource "aws_s3_bucket_acl" "x" {\n  acl = "private"\n}',
            console="S3 console > bucket > Permissions > ACL: remove public grants.",
        ),
        runbook=f"Page the owner of the resource {rule_id} names.",
        sides=sides,
        side_reason="" if sides == frozenset(Side) else "only the API knows",
        sla=sla,
        mitre_attack=attack,
        compliance=compliance or {},
    )


def sample_rules() -> list[RuleMeta]:
    return [
        make_rule(
            "AWS-S3-001",
            Severity.CRITICAL,
            "Bucket ACL grants public read or write",
            attack=("T1530",),
            compliance={"CIS AWS Foundations v3.0.0": ("2.1.4",)},
        ),
        make_rule(
            "AWS-EC2-001",
            Severity.HIGH,
            "Security group allows SSH from the internet",
            attack=("T1133", "T1021.004"),
        ),
        make_rule("AWS-S3-004", Severity.MEDIUM, "Bucket versioning disabled"),
        make_rule("AWS-S3-005", Severity.LOW, "Bucket server access logging disabled"),
        make_rule(
            "AWS-IAM-002",
            Severity.HIGH,
            "IAM user with a console password has no MFA device",
            sides=frozenset({Side.LIVE}),
        ),
    ]


def iac(
    rule: str,
    status: Status,
    severity: Severity,
    address: str,
    path: str,
    line: int,
    message: str = "",
    suppression: Suppression | None = None,
) -> Result:
    return Result(
        rule_id=rule,
        status=status,
        severity=severity,
        resource_type=address.split(".", maxsplit=1)[0],
        resource=address,
        message=message or f"{rule} on {address}",
        side=Side.IAC,
        location=Location(path, line, line + 2),
        attribute="acl",
        suppression=suppression,
    )


def live(
    rule: str,
    status: Status,
    severity: Severity,
    arn: str,
    message: str = "",
    location: Location | None = None,
) -> Result:
    return Result(
        rule_id=rule,
        status=status,
        severity=severity,
        resource_type="aws_s3_bucket",
        resource=arn,
        message=message or f"{rule} on {arn}",
        side=Side.LIVE,
        location=location,
        arn=arn,
        account=ACCOUNT,
        region="us-east-1",
    )


def sample_results() -> list[Result]:
    waiver = Suppression(
        reason="public website bucket",
        source="inline",
        owner="web",
        expires="2027-01-31",
    )
    return [
        iac(
            "AWS-S3-004", Status.FAIL, Severity.MEDIUM, "aws_s3_bucket.data", "s3.tf", 4
        ),
        iac(
            "AWS-S3-001",
            Status.FAIL,
            Severity.CRITICAL,
            "aws_s3_bucket.logs",
            "modules/s3/main.tf",
            12,
            'acl is "public-read": anyone | can\nlist objects, 100% sure',
        ),
        iac("AWS-S3-005", Status.FAIL, Severity.LOW, "aws_s3_bucket.data", "s3.tf", 9),
        iac(
            "AWS-S3-001",
            Status.PASS,
            Severity.CRITICAL,
            "aws_s3_bucket.data",
            "s3.tf",
            1,
        ),
        iac(
            "AWS-S3-001",
            Status.SUPPRESSED,
            Severity.CRITICAL,
            "aws_s3_bucket.site",
            "site.tf",
            3,
            suppression=waiver,
        ),
        iac(
            "AWS-EC2-001",
            Status.UNKNOWN,
            Severity.HIGH,
            "aws_security_group.ssh",
            "net.tf",
            20,
            "cidr_blocks depends on var.admin_cidr, which has no value",
        ),
        live(
            "AWS-S3-001",
            Status.FAIL,
            Severity.CRITICAL,
            LIVE_BUCKET,
            "grant to AllUsers",
        ),
        live(
            "AWS-IAM-002",
            Status.ERROR,
            Severity.HIGH,
            "arn:aws:iam::123456789012:user/alice",
            "iam:ListMFADevices failed: AccessDenied: not authorized",
        ),
        Result(
            rule_id="SURVEYOR-INPUT",
            status=Status.ERROR,
            severity=Severity.HIGH,
            resource_type="file",
            resource="broken.tf",
            message="broken.tf:3: cannot parse HCL: unexpected token",
            location=Location("broken.tf", 3, 3),
        ),
    ]


def sample_report(
    results: Sequence[Result] | None = None,
    *,
    kinds: tuple[str, ...] = ("terraform", "aws"),
    **changes: object,
) -> ScanReport:
    report = ScanReport(
        results=list(sample_results() if results is None else results),
        rules=sample_rules(),
        root=Path("/repo"),
        kinds=kinds,
        tool_version="0.1.0",
        started_at="2026-12-04T05:00:00Z",
        finished_at="2026-12-04T05:00:03Z",
        resource_count=7,
        collection_errors=(
            CollectionError(
                operation="iam:GetCredentialReport",
                region="global",
                code="AccessDenied",
                message="User is not authorized",
                resource_types=("aws_iam_user",),
            ),
        ),
        accounts=(ACCOUNT,),
        regions=("us-east-1",),
    )
    if changes:
        import dataclasses

        report = dataclasses.replace(report, **changes)  # type: ignore[arg-type]
    return report


def test_sample_report_holds_every_status() -> None:
    statuses = {result.status for result in sample_report().results}
    assert statuses == set(Status)
