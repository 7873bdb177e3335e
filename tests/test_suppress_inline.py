"""Inline `surveyor:ignore` comments: scope, reasons, and what they cannot do."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from surveyor.model import Location, Resource, Result, Severity, Side, Status
from surveyor.resourceset import ResourceSet
from surveyor.suppress import (
    SUPPRESS_RULE,
    apply_suppressions,
    enclosing_block,
    parse_comment,
)

MAIN_TF = """\
resource "aws_security_group" "bastion" {
  name = "bastion"
  # surveyor:ignore AWS-EC2-001 bastion host, reviewed
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


def group(address: str, start: int, end: int, path: str = "main.tf") -> Resource:
    return Resource(
        type="aws_security_group",
        address=address,
        attributes={},
        side=Side.IAC,
        location=Location(path, start, end),
    )


def fail(rule_id: str, resource: Resource, status: Status = Status.FAIL) -> Result:
    return Result(
        rule_id=rule_id,
        status=status,
        severity=Severity.HIGH,
        resource_type=resource.type,
        resource=resource.address,
        message="port 22 open to 0.0.0.0/0",
        side=resource.side,
        location=resource.location,
    )


def suppress(
    tmp_path: Path, resources: list[Resource], results: list[Result]
) -> list[Result]:
    return apply_suppressions(results, ResourceSet(resources), root=tmp_path)


def test_parse_comment_reads_ids_and_reason() -> None:
    assert parse_comment("  # surveyor:ignore AWS-EC2-001 bastion host, reviewed") == (
        ("AWS-EC2-001",),
        "bastion host, reviewed",
    )
    assert parse_comment(
        'acl = "x" // surveyor:ignore aws-s3-001, AWS-S3-003: site'
    ) == (
        ("AWS-S3-001", "AWS-S3-003"),
        "site",
    )
    assert parse_comment("# surveyor:ignore AWS-EC2-001") == (("AWS-EC2-001",), "")
    assert parse_comment("# surveyor:ignore because") == ((), "because")
    assert parse_comment("# surveyor:ignore AWS-EC2-0011 x") == ((), "AWS-EC2-0011 x")
    assert parse_comment("# an ordinary comment") is None


def test_a_comment_suppresses_its_own_block_only(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    bastion, web = (
        group("aws_security_group.bastion", 1, 8),
        group("aws_security_group.web", 10, 16),
    )

    out = suppress(
        tmp_path,
        [bastion, web],
        [fail("AWS-EC2-001", bastion), fail("AWS-EC2-001", web)],
    )

    by_resource = {r.resource: r for r in out}
    suppressed = by_resource["aws_security_group.bastion"]
    assert suppressed.status is Status.SUPPRESSED
    assert suppressed.suppression is not None
    assert suppressed.suppression.reason == "bastion host, reviewed"
    assert suppressed.suppression.source == "inline"
    assert suppressed.message == "port 22 open to 0.0.0.0/0"
    assert by_resource["aws_security_group.web"].status is Status.FAIL


def test_a_comment_names_the_rules_it_accepts(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    bastion = group("aws_security_group.bastion", 1, 8)

    (out,) = suppress(tmp_path, [bastion], [fail("AWS-EC2-002", bastion)])

    assert out.status is Status.FAIL


def test_several_ids_in_one_comment(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "a" {\n'
        "  // surveyor:ignore AWS-EC2-001, AWS-EC2-002 lab network\n"
        "}\n"
    )
    sg = group("aws_security_group.a", 1, 3)

    out = suppress(tmp_path, [sg], [fail("AWS-EC2-001", sg), fail("AWS-EC2-002", sg)])

    assert [r.status for r in out] == [Status.SUPPRESSED, Status.SUPPRESSED]


def test_only_fail_is_suppressed(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    bastion = group("aws_security_group.bastion", 1, 8)
    results = [
        fail("AWS-EC2-001", bastion, Status.ERROR),
        fail("AWS-EC2-001", bastion, Status.UNKNOWN),
        fail("AWS-EC2-001", bastion, Status.PASS),
    ]

    out = suppress(tmp_path, [bastion], results)

    assert [r.status for r in out] == [Status.ERROR, Status.UNKNOWN, Status.PASS]


def test_a_comment_without_reason_is_an_error_and_suppresses_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "a" {\n  # surveyor:ignore AWS-EC2-001\n}\n'
    )
    sg = group("aws_security_group.a", 1, 3)

    out = suppress(tmp_path, [sg], [fail("AWS-EC2-001", sg), fail("AWS-EC2-002", sg)])

    finding, other, problem = out
    assert finding.status is Status.FAIL
    assert "main.tf:2 gives no reason" in finding.message
    assert other.message == "port 22 open to 0.0.0.0/0"
    assert problem.rule_id == SUPPRESS_RULE
    assert problem.status is Status.ERROR
    assert problem.location == Location("main.tf", 2, 2)
    assert "without a reason" in problem.message


def test_a_comment_without_rule_id_is_reported(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_security_group" "a" {\n  # surveyor:ignore it is fine\n}\n'
    )
    sg = group("aws_security_group.a", 1, 3)

    out = suppress(tmp_path, [sg], [fail("AWS-EC2-001", sg)])

    assert [r.status for r in out] == [Status.FAIL, Status.ERROR]
    assert "without a rule id" in out[1].message


def test_a_comment_in_a_merged_split_block_counts(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "site" {\n'
        '  bucket = "site"\n'
        "}\n"
        "\n"
        'resource "aws_s3_bucket_acl" "site" {\n'
        "  # surveyor:ignore AWS-S3-001 public website, approved by security\n"
        "  bucket = aws_s3_bucket.site.id\n"
        '  acl    = "public-read"\n'
        "}\n"
    )
    bucket = Resource(
        type="aws_s3_bucket",
        address="aws_s3_bucket.site",
        attributes={"acl": "public-read"},
        side=Side.IAC,
        location=Location("main.tf", 1, 3),
        attribute_locations={"acl": Location("main.tf", 8, 8)},
        components=("aws_s3_bucket_acl.site",),
    )
    result = Result(
        rule_id="AWS-S3-001",
        status=Status.FAIL,
        severity=Severity.CRITICAL,
        resource_type="aws_s3_bucket",
        resource=bucket.address,
        message='acl = "public-read"',
        side=Side.IAC,
        location=Location("main.tf", 8, 8),
        attribute="acl",
    )

    (out,) = suppress(tmp_path, [bucket], [result])

    assert out.status is Status.SUPPRESSED
    assert out.suppression is not None
    assert out.suppression.reason == "public website, approved by security"


def test_a_comment_outside_any_block_of_the_resource_does_not_count(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(
        "# surveyor:ignore AWS-EC2-001 above the block\n"
        'resource "aws_security_group" "a" {\n'
        "}\n"
    )
    sg = group("aws_security_group.a", 2, 3)

    (out,) = suppress(tmp_path, [sg], [fail("AWS-EC2-001", sg)])

    assert out.status is Status.FAIL


def live_group(location: Location) -> tuple[Resource, Result]:
    live = Resource(
        type="aws_security_group",
        address="arn:aws:ec2:us-east-1:123456789012:security-group/sg-1",
        attributes={},
        side=Side.LIVE,
    )
    placed = dataclasses.replace(fail("AWS-EC2-001", live), location=location)
    return live, placed


def test_a_live_result_placed_on_terraform_honours_that_blocks_comment(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    live, placed = live_group(Location("main.tf", 6, 6))  # the bastion's cidr line

    (out,) = suppress(tmp_path, [live], [placed])

    assert out.status is Status.SUPPRESSED
    assert out.suppression is not None
    assert out.suppression.reason == "bastion host, reviewed"


def test_a_live_result_on_the_anchor_or_another_block_stays_a_fail(
    tmp_path: Path,
) -> None:
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / ".surveyor.toml").write_text("# surveyor:ignore AWS-EC2-001 no\n")
    live, on_web = live_group(Location("main.tf", 13, 13))
    _, on_anchor = live_group(Location(".surveyor.toml", 1, 1))

    out = suppress(tmp_path, [live], [on_web, on_anchor])

    assert [r.status for r in out] == [Status.FAIL, Status.FAIL]


def test_enclosing_block_ignores_braces_in_strings_and_comments() -> None:
    lines = [
        'resource "a" "b" {',
        '  description = "not a } brace"',
        "  # nor } this",
        "  tags = {",
        '    Name = "x"',
        "  }",
        "}",
        'resource "a" "c" {',
        "}",
    ]
    assert enclosing_block(lines, 5) == (1, 7)
    assert enclosing_block(lines, 9) == (8, 9)
