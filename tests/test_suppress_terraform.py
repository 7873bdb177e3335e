"""Inline suppressions on real Terraform, through the Terraform source."""

from __future__ import annotations

from pathlib import Path

from surveyor.model import Status
from surveyor.scan import ScanOptions, run_scan


def statuses(directory: Path, **kw: object) -> dict[str, tuple[Status, str | None]]:
    kw.setdefault("paths", [directory])
    report = run_scan(
        ScanOptions(
            root=directory,
            only_rules={"AWS-S3-001"},
            use_cache=False,
            **kw,  # type: ignore[arg-type]
        )
    )
    return {
        r.resource: (r.status, r.suppression.reason if r.suppression else None)
        for r in report.results
    }


def write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_comment_covers_every_instance_of_its_block_and_no_other(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "main.tf",
        'resource "aws_s3_bucket" "many" {\n'
        "  count  = 2\n"
        '  bucket = "many-${count.index}"\n'
        '  acl    = "public-read" # surveyor:ignore AWS-S3-001 demo buckets\n'
        "}\n"
        "\n"
        'resource "aws_s3_bucket" "other" {\n'
        '  bucket = "other"\n'
        '  acl    = "public-read"\n'
        "}\n",
    )

    assert statuses(tmp_path) == {
        "aws_s3_bucket.many[0]": (Status.SUPPRESSED, "demo buckets"),
        "aws_s3_bucket.many[1]": (Status.SUPPRESSED, "demo buckets"),
        "aws_s3_bucket.other": (Status.FAIL, None),
    }


def test_a_comment_in_a_split_acl_block_in_another_file_of_a_module(
    tmp_path: Path,
) -> None:
    write(tmp_path, "main.tf", 'module "b" {\n  source = "./modules/b"\n}\n')
    write(tmp_path, "modules/b/main.tf", 'resource "aws_s3_bucket" "inner" {\n}\n')
    write(
        tmp_path,
        "modules/b/acl.tf",
        'resource "aws_s3_bucket_acl" "inner" {\n'
        "  bucket = aws_s3_bucket.inner.id\n"
        "  // surveyor:ignore AWS-S3-001: module test bucket\n"
        '  acl    = "public-read"\n'
        "}\n",
    )

    assert statuses(tmp_path) == {
        "module.b.aws_s3_bucket.inner": (Status.SUPPRESSED, "module test bucket")
    }
    assert statuses(tmp_path, strict=True) == {
        "module.b.aws_s3_bucket.inner": (Status.FAIL, None)
    }


def test_a_live_finding_placed_on_commented_terraform_is_suppressed(
    tmp_path: Path,
) -> None:
    from surveyor.model import Resource, Side
    from surveyor.resourceset import ResourceSet
    from surveyor.sources.snapshot import write_snapshot

    write(
        tmp_path,
        "infra/site.tf",
        'resource "aws_s3_bucket" "site" {\n'
        '  bucket = "acme-site"\n'
        "  # surveyor:ignore AWS-S3-001 public website, approved\n"
        '  acl    = "public-read"\n'
        "}\n",
    )
    live = [
        Resource(
            type="aws_s3_bucket",
            address=f"arn:aws:s3:::{name}",
            attributes={"bucket": name, "acl": "public-read", "grant": []},
            side=Side.LIVE,
            name=name,
            arn=f"arn:aws:s3:::{name}",
            account="111122223333",
            region="us-east-1",
        )
        for name in ("acme-site", "acme-other")
    ]
    snapshot = tmp_path / "live.json"
    write_snapshot(
        ResourceSet(live),
        snapshot,
        collected_at="2026-12-04T00:00:00Z",
        tool_version="t",
    )

    found = statuses(tmp_path, paths=[snapshot], source_dir=tmp_path / "infra")

    assert found == {
        "arn:aws:s3:::acme-site": (Status.SUPPRESSED, "public website, approved"),
        "arn:aws:s3:::acme-other": (Status.FAIL, None),
    }
