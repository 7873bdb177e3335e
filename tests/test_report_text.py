from __future__ import annotations

from test_report_samples import ACCOUNT, iac, sample_report

from surveyor.model import Severity, Status
from surveyor.report import renderer

render = renderer("text")


def test_text_lists_findings_most_severe_first_with_location_and_message() -> None:
    text = render(sample_report())

    critical = text.index("CRITICAL (2)")
    medium = text.index("MEDIUM (1)")
    low = text.index("LOW (1)")
    assert critical < medium < low
    assert "modules/s3/main.tf:12" in text
    assert 'acl is "public-read"' in text
    assert "aws_s3_bucket.logs" in text
    assert f"{ACCOUNT}/us-east-1" in text  # a live finding with no code location


def test_text_never_hides_errors_or_unknowns() -> None:
    text = render(sample_report())

    errors = text.split("ERRORS (2)")[1]
    assert "iam:ListMFADevices failed: AccessDenied" in errors
    assert "cannot parse HCL" in errors
    assert "UNKNOWN (1)" in text
    assert "var.admin_cidr" in text.split("UNKNOWN (1)")[1]


def test_text_shows_suppression_reason_and_share_per_rule() -> None:
    text = render(sample_report())

    section = text.split("SUPPRESSED (1)")[1]
    assert "AWS-S3-001: 1 of 3 findings ignored (33%)" in section
    assert "reason: public website bucket (inline, owner web, expires 2027-01-31)" in (
        section
    )


def test_text_lists_collection_errors_as_partial_collection() -> None:
    text = render(sample_report())

    assert "PARTIAL COLLECTION (1)" in text
    assert "iam:GetCredentialReport in global failed: AccessDenied" in text


def test_text_ends_with_counts_by_status_and_severity() -> None:
    summary = render(sample_report()).split("Summary")[1]

    assert "4 FAIL, 2 ERROR, 1 UNKNOWN, 1 SUPPRESSED, 1 PASS" in summary
    assert "2 critical, 0 high, 1 medium, 1 low, 0 info" in summary
    assert "7 resources, 5 rules" in summary


def test_text_uses_ansi_colour_only_when_asked() -> None:
    assert "\x1b[" not in render(sample_report())
    assert "\x1b[1;35mCRITICAL (2)\x1b[0m" in render(sample_report(color=True))


def test_text_says_so_when_nothing_fails() -> None:
    passing = [iac("AWS-S3-001", Status.PASS, Severity.CRITICAL, "a.b", "x.tf", 1)]
    text = render(sample_report(passing, collection_errors=()))

    assert "No failing findings." in text
    assert "ERRORS" not in text
    assert "PARTIAL COLLECTION" not in text


def test_text_shows_parked_live_findings_by_account_and_matched_ones_by_file() -> None:
    from test_report_samples import LIVE_BUCKET, live

    from surveyor.model import Location

    parked = live(
        "AWS-S3-001",
        Status.FAIL,
        Severity.CRITICAL,
        LIVE_BUCKET,
        location=Location(".surveyor.toml", 1, 1),
    )
    matched = live(
        "AWS-S3-004",
        Status.FAIL,
        Severity.MEDIUM,
        "arn:aws:s3:::other",
        location=Location("s3.tf", 7, 9),
    )
    text = render(sample_report([parked, matched]))

    assert f"location  {ACCOUNT}/us-east-1" in text
    assert "location  s3.tf:7" in text
    assert ".surveyor.toml" not in text
