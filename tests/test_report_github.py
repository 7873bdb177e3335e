from __future__ import annotations

from test_report_samples import iac, sample_report

from surveyor.model import Severity, Status
from surveyor.report import github


def test_github_annotations_carry_file_lines_and_title() -> None:
    lines = github.render(sample_report()).splitlines()

    assert (
        "::warning file=s3.tf,line=4,endLine=6,"
        "title=AWS-S3-004 Bucket versioning disabled::"
        "aws_s3_bucket.data: AWS-S3-004 on aws_s3_bucket.data"
    ) in lines
    assert any(line.startswith("::notice file=s3.tf,line=9,") for line in lines)


def test_github_escapes_message_data_and_properties() -> None:
    assert github.escape_data("100%\r\nok") == "100%25%0D%0Aok"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    result = iac(
        "AWS-S3-001",
        Status.FAIL,
        Severity.CRITICAL,
        "aws_s3_bucket.x",
        "dir,odd:name.tf",
        2,
        "line one\nline two 50%",
    )
    (line,) = github.render(sample_report([result])).splitlines()

    assert "file=dir%2Codd%3Aname.tf," in line
    assert line.endswith("::aws_s3_bucket.x: line one%0Aline two 50%25")
    assert "\n" not in line


def test_github_errors_annotate_as_errors() -> None:
    lines = github.render(sample_report()).splitlines()
    errors = [line for line in lines if "could not be evaluated" in line]

    assert len(errors) == 2
    assert all(line.startswith("::error ") for line in errors)
    # Colons stay as they are in the message: only properties escape them.
    assert any("iam:ListMFADevices failed: AccessDenied" in line for line in errors)


def test_github_leaves_out_unknown_suppressed_and_passed() -> None:
    text = github.render(sample_report())

    assert "aws_security_group.ssh" not in text
    assert "aws_s3_bucket.site" not in text
    assert len(text.splitlines()) == 6


def test_github_caps_each_level_and_counts_the_rest_in_one_notice() -> None:
    results = (
        [
            iac(
                "AWS-S3-001",
                Status.FAIL,
                Severity.CRITICAL,
                f"b.crit{n:02d}",
                "a.tf",
                n + 1,
            )
            for n in range(13)
        ]
        + [
            iac(
                "AWS-S3-004",
                Status.FAIL,
                Severity.MEDIUM,
                f"b.med{n:02d}",
                "a.tf",
                n + 1,
            )
            for n in range(4)
        ]
        + [
            iac("AWS-S3-005", Status.FAIL, Severity.LOW, f"b.low{n:02d}", "a.tf", n + 1)
            for n in range(10)
        ]
    )
    lines = github.render(sample_report(results)).splitlines()
    levels = [line.split(" ", 1)[0].split("::")[1] for line in lines]

    assert levels.count("error") == 10
    assert levels.count("warning") == 4
    assert levels.count("notice") == 10  # nine findings and the count
    assert lines[-1].startswith("::notice title=surveyor::4 more finding(s)")
    assert "b.crit00" in lines[0] and "b.crit09" in lines[9]  # most severe first
