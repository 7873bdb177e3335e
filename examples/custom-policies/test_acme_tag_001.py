"""ACME-TAG-001 against its Terraform and live fixtures."""

from pathlib import Path

from surveyor.scan import ScanOptions, run_scan

HERE = Path(__file__).resolve().parent


def statuses(target: str) -> dict[str, str]:
    report = run_scan(
        ScanOptions(
            paths=[HERE / target],
            root=HERE,
            policy_dirs=[HERE / "policies"],
            only_rules={"ACME-TAG-001"},
            use_cache=False,
        )
    )
    return {r.resource: r.status.value for r in report.results}


def test_terraform_buckets_without_owner_fail() -> None:
    assert statuses("terraform") == {
        "aws_s3_bucket.reports": "PASS",
        "aws_s3_bucket.scratch": "FAIL",
        "aws_s3_bucket.legacy": "FAIL",
        "aws_s3_bucket.shared": "UNKNOWN",
    }


def test_live_bucket_tagged_in_the_console_is_judged_the_same() -> None:
    assert statuses("live/snapshot.json") == {
        "arn:aws:s3:::acme-reports": "PASS",
        "arn:aws:s3:::acme-clickops": "FAIL",
    }
