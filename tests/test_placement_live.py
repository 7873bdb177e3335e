"""Live results get a file: the declaring Terraform block, else the anchor."""

from __future__ import annotations

from pathlib import Path

from surveyor.model import Location, Resource, Result, Severity, Side, Status
from surveyor.placement import place_live_results

BUCKET_ARN = "arn:aws:s3:::customer-data"
SG_ARN = "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0abc"


def live(type_: str, arn: str, **attributes: object) -> Resource:
    return Resource(type_, arn, attributes, Side.LIVE, arn=arn, account="1", region="r")


def declared(type_: str, address: str, line: int, **attributes: object) -> Resource:
    return Resource(
        type_,
        address,
        attributes,
        Side.IAC,
        location=Location("infra/main.tf", line, line + 5),
        attribute_locations={"acl": Location("infra/main.tf", line + 2, line + 2)},
    )


def result(
    resource: Resource, attribute: str | None = None, side: Side = Side.LIVE
) -> Result:
    return Result(
        rule_id="AWS-S3-001",
        status=Status.FAIL,
        severity=Severity.CRITICAL,
        resource_type=resource.type,
        resource=resource.identity,
        message="m",
        side=side,
        attribute=attribute,
        arn=resource.arn,
    )


def test_live_bucket_lands_on_the_attribute_of_its_declaring_block() -> None:
    bucket = live("aws_s3_bucket", BUCKET_ARN, bucket="customer-data")
    block = declared("aws_s3_bucket", "aws_s3_bucket.data", 10, bucket="customer-data")

    (placed,) = place_live_results([result(bucket, "acl")], [bucket], [block], ".x")

    assert placed.location == Location("infra/main.tf", 12, 12)


def test_without_an_attribute_location_the_block_start_is_used() -> None:
    group = live("aws_security_group", SG_ARN, name="bastion", id="sg-0abc")
    block = declared("aws_security_group", "aws_security_group.b", 30, name="bastion")

    (placed,) = place_live_results([result(group, "ingress")], [group], [block], ".x")

    assert placed.location == Location("infra/main.tf", 30, 35)


def test_unmatched_live_result_goes_on_the_anchor_line_one() -> None:
    bucket = live("aws_s3_bucket", BUCKET_ARN, bucket="customer-data")
    other = declared("aws_s3_bucket", "aws_s3_bucket.other", 1, bucket="other")

    (placed,) = place_live_results(
        [result(bucket)], [bucket], [other], "ops/.surveyor.toml"
    )

    assert placed.location == Location("ops/.surveyor.toml", 1, 1)


def test_two_blocks_claiming_one_name_place_on_neither() -> None:
    bucket = live("aws_s3_bucket", BUCKET_ARN, bucket="customer-data")
    twins = [
        declared(
            "aws_s3_bucket", "module.a.aws_s3_bucket.x", 1, bucket="customer-data"
        ),
        declared(
            "aws_s3_bucket", "module.b.aws_s3_bucket.x", 9, bucket="customer-data"
        ),
    ]

    (placed,) = place_live_results([result(bucket)], [bucket], twins, ".surveyor.toml")

    assert placed.location == Location(".surveyor.toml", 1, 1)


def test_names_only_match_within_the_same_type() -> None:
    role = live("aws_iam_role", "arn:aws:iam::1:role/deploy", name="deploy")
    user_block = declared("aws_iam_user", "aws_iam_user.deploy", 3, name="deploy")

    (placed,) = place_live_results([result(role)], [role], [user_block], ".a")

    assert placed.location == Location(".a", 1, 1)


def test_inline_policy_matches_on_owner_and_name_together() -> None:
    policy = live(
        "aws_iam_role_policy",
        "arn:aws:iam::1:role/app/inline-policy/p",
        role="app",
        name="p",
    )
    wrong = declared(
        "aws_iam_role_policy", "aws_iam_role_policy.q", 1, role="x", name="p"
    )
    right = declared(
        "aws_iam_role_policy", "aws_iam_role_policy.p", 7, role="app", name="p"
    )

    (placed,) = place_live_results([result(policy)], [policy], [wrong, right], ".a")

    assert placed.location is not None and placed.location.start_line == 7


def test_unknown_names_in_terraform_never_match() -> None:
    from surveyor.model import Unknown

    bucket = live("aws_s3_bucket", BUCKET_ARN, bucket="customer-data")
    block = declared("aws_s3_bucket", "aws_s3_bucket.d", 4, bucket=Unknown("var.name"))

    (placed,) = place_live_results([result(bucket)], [bucket], [block], ".a")

    assert placed.location == Location(".a", 1, 1)


def test_terraform_results_and_placed_results_are_left_alone() -> None:
    block = declared("aws_s3_bucket", "aws_s3_bucket.d", 4, bucket="b")
    iac = result(block, side=Side.IAC)
    iac = Result(**{**iac.__dict__, "location": Location("main.tf", 4, 4)})

    assert place_live_results([iac], [], [block], ".a") == [iac]


def test_scan_places_snapshot_findings_on_the_source_directory(tmp_path: Path) -> None:
    """End to end through run_scan: a snapshot plus --source."""
    import json

    from surveyor.scan import ScanOptions, run_scan

    source = tmp_path / "infra"
    source.mkdir()
    (source / "main.tf").write_text(
        'resource "aws_s3_bucket" "data" {\n'
        '  bucket = "customer-data"\n'
        '  acl    = "public-read"\n'
        "}\n"
    )
    snapshot = tmp_path / "snap.json"
    snapshot.write_text(
        json.dumps(
            {
                "format": "surveyor-snapshot",
                "version": 1,
                "tool": {"name": "surveyor", "version": "0"},
                "collected_at": "2026-12-04T05:00:00Z",
                "account": "123456789012",
                "regions": ["us-east-1"],
                "resources": [
                    {
                        "type": "aws_s3_bucket",
                        "address": BUCKET_ARN,
                        "side": "live",
                        "arn": BUCKET_ARN,
                        "account": "123456789012",
                        "region": "us-east-1",
                        "name": "customer-data",
                        "attributes": {
                            "bucket": "customer-data",
                            "acl": "public-read",
                            "grant": [],
                        },
                    }
                ],
                "collection_errors": [],
            }
        )
    )

    report = run_scan(
        ScanOptions(
            paths=[snapshot],
            root=tmp_path,
            source_dir=source,
            only_rules={"AWS-S3-001"},
        )
    )

    (finding,) = [r for r in report.results if r.status is Status.FAIL]
    assert finding.resource == BUCKET_ARN
    assert finding.location is not None
    assert finding.location.path == "infra/main.tf"
    assert finding.location.start_line in (1, 3)
